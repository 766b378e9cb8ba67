import { ApiError, GoogleGenAI, type FunctionDeclaration } from '@google/genai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { startSimulatorServer, type SimulatorServer } from '../../src/sim/server.js';
import { ERRORS_SCENARIO, PROMPTS, tempScenarios, WEATHER_SCHEMA } from './helpers.js';

let server: SimulatorServer;
let ai: GoogleGenAI;
const files = tempScenarios({ 'errors.yml': ERRORS_SCENARIO });

beforeAll(async () => {
  const clock = new ManualClock(Date.parse('2026-11-23T09:00:00Z'));
  server = await startSimulatorServer({ port: 0, scenario: files.path('errors.yml'), clock, seed: 1 });
  ai = new GoogleGenAI({ apiKey: 'sim-key', httpOptions: { baseUrl: server.url } });
});
afterAll(async () => {
  await server.close();
  files.cleanup();
});

describe('@google/genai SDK against the simulator', () => {
  it('gets the scenario answer with the served snapshot in modelVersion', async () => {
    const res = await ai.models.generateContent({ model: 'sim-chat-latest', contents: PROMPTS.contact });
    expect(res.modelVersion).toBe('sim-chat-2026-01-15');
    expect(JSON.parse(res.text ?? '')).toEqual({ name: 'Jane Doe', email: 'jane@example.com' });
    expect(res.usageMetadata?.candidatesTokenCount).toBe(22);
  });

  it('streams the same text and usage', async () => {
    const req = { model: 'sim-chat-2026-11-25', contents: PROMPTS.code };
    const plain = await ai.models.generateContent(req);
    let text = '';
    let usage: number | undefined;
    for await (const chunk of await ai.models.generateContentStream(req)) {
      text += chunk.text ?? '';
      if (chunk.usageMetadata?.candidatesTokenCount !== undefined) usage = chunk.usageMetadata.candidatesTokenCount;
      expect(chunk.modelVersion).toBe('sim-chat-2026-11-25');
    }
    expect(text).toBe(plain.text);
    expect(text.startsWith('Sure! ')).toBe(true);
    expect(usage).toBe(plain.usageMetadata?.candidatesTokenCount);
  });

  it('answers with a function call when tools are offered, plain and streaming', async () => {
    const decl: FunctionDeclaration = { name: 'get_weather', parametersJsonSchema: WEATHER_SCHEMA };
    const req = {
      model: 'sim-mini-2026-03-01',
      contents: 'What is the weather in New York?',
      config: { tools: [{ functionDeclarations: [decl] }] },
    };
    const res = await ai.models.generateContent(req);
    expect(res.functionCalls?.[0]).toMatchObject({ name: 'get_weather', args: { city: 'New York' } });
    const calls = [];
    for await (const chunk of await ai.models.generateContentStream(req)) calls.push(...(chunk.functionCalls ?? []));
    expect(calls[0]).toMatchObject({ name: 'get_weather', args: { city: 'New York' } });
  });

  it('surfaces 429, 503 (overload) and 404 as ApiError with the status', async () => {
    const call = (model: string) => ai.models.generateContent({ model, contents: 'hi' });
    const status = async (model: string) => {
      const e = await call(model).catch((err: unknown) => err);
      expect(e).toBeInstanceOf(ApiError);
      return { status: (e as ApiError).status, message: (e as ApiError).message };
    };
    expect((await status('err-ratelimit-2026-01-01')).status).toBe(429);
    expect((await status('err-overloaded-2026-01-01')).status).toBe(503);
    const gone = await status('sim-chat-2025-06-01');
    expect(gone.status).toBe(404);
    expect(gone.message).toContain('NOT_FOUND');
    expect(gone.message).toContain('models/sim-chat-2025-06-01 is not found');
  });

  it('lists models', async () => {
    const names: string[] = [];
    for await (const m of await ai.models.list()) names.push(m.name ?? '');
    expect(names).toContain('models/sim-mini-latest');
  });
});
