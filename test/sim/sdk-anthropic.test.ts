import Anthropic from '@anthropic-ai/sdk';
import { APIError as AnthropicAPIError } from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { startSimulatorServer, type SimulatorServer } from '../../src/sim/server.js';
import { ERRORS_SCENARIO, PROMPTS, tempScenarios, WEATHER_SCHEMA } from './helpers.js';

let server: SimulatorServer;
let client: Anthropic;
const files = tempScenarios({ 'errors.yml': ERRORS_SCENARIO });

beforeAll(async () => {
  const clock = new ManualClock(Date.parse('2026-11-25T09:00:00Z'));
  server = await startSimulatorServer({ port: 0, scenario: files.path('errors.yml'), clock, seed: 1 });
  client = new Anthropic({ apiKey: 'sim-key', baseURL: server.url, maxRetries: 0 });
});
afterAll(async () => {
  await server.close();
  files.cleanup();
});

const text = (m: Anthropic.Message) => m.content.map((b) => (b.type === 'text' ? b.text : '')).join('');

describe('anthropic SDK against the simulator', () => {
  it('gets the drifted snapshot through the moved alias (Wednesday): fenced JSON, served id', async () => {
    const msg = await client.messages.create({
      model: 'sim-chat-latest',
      max_tokens: 500,
      messages: [{ role: 'user', content: PROMPTS.mixed }],
    });
    expect(msg.model).toBe('sim-chat-2026-11-25');
    const fenced = /```json\n([\s\S]*?)\n```/.exec(text(msg));
    expect(JSON.parse(fenced?.[1] ?? 'null')).toEqual({ sentiment: 'mixed', confidence: 0.62 });
  });

  it('streams the same text and usage as the plain call', async () => {
    const params = {
      model: 'sim-chat-2026-01-15',
      max_tokens: 500,
      messages: [{ role: 'user' as const, content: PROMPTS.generic }],
    };
    const plain = await client.messages.create(params);
    const stream = client.messages.stream(params);
    let streamed = '';
    stream.on('text', (t) => {
      streamed += t;
    });
    const final = await stream.finalMessage();
    expect(streamed).toBe(text(plain));
    expect(final.usage.output_tokens).toBe(plain.usage.output_tokens);
    expect(final.usage.input_tokens).toBe(plain.usage.input_tokens);
    expect(final.model).toBe('sim-chat-2026-01-15');
  });

  it('answers with tool_use when tools are offered, plain and streaming', async () => {
    const tools: Anthropic.Tool[] = [
      {
        name: 'get_weather',
        description: 'Weather by city',
        input_schema: WEATHER_SCHEMA as Anthropic.Tool.InputSchema,
      },
    ];
    const params = {
      model: 'sim-mini-latest',
      max_tokens: 200,
      tools,
      messages: [{ role: 'user' as const, content: 'Weather for Berlin please' }],
    };
    const msg = await client.messages.create(params);
    expect(msg.stop_reason).toBe('tool_use');
    const block = msg.content.find((b) => b.type === 'tool_use');
    expect(block?.type === 'tool_use' && [block.name, block.input]).toEqual(['get_weather', { city: 'Berlin' }]);
    const final = await client.messages.stream(params).finalMessage();
    const streamed = final.content.find((b) => b.type === 'tool_use');
    expect(streamed?.type === 'tool_use' && streamed.input).toEqual({ city: 'Berlin' });
  });

  it('surfaces 429, 529 and 404 as the SDK error classes', async () => {
    const call = (model: string) =>
      client.messages.create({ model, max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] });
    const rl = await call('err-ratelimit-2026-01-01').catch((e: unknown) => e);
    expect(rl).toBeInstanceOf(Anthropic.RateLimitError);
    expect((rl as AnthropicAPIError).headers?.get('retry-after')).toBe('2');
    const ov = await call('err-overloaded-2026-01-01').catch((e: unknown) => e);
    expect(ov).toBeInstanceOf(Anthropic.InternalServerError);
    expect((ov as AnthropicAPIError).status).toBe(529);
    expect((ov as AnthropicAPIError).error).toMatchObject({ error: { type: 'overloaded_error' } });
    const gone = await call('sim-chat-2025-06-01').catch((e: unknown) => e);
    expect(gone).toBeInstanceOf(Anthropic.NotFoundError);
    expect((gone as AnthropicAPIError).error).toMatchObject({
      type: 'error',
      error: { type: 'not_found_error', message: 'model: sim-chat-2025-06-01' },
    });
  });

  it('lists models in the Anthropic shape', async () => {
    const page = await client.models.list();
    expect(page.data.map((m) => m.id)).toContain('sim-chat-2026-12-10');
    expect(page.data[0]?.type).toBe('model');
  });
});
