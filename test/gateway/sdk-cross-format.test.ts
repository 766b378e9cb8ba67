/** Official SDKs pointed at the gateway reach providers of another wire format, plain and streaming. */
import { describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import { GoogleGenAI } from '@google/genai';
import { SIM_PROVIDERS } from '../support/gateway-harness.js';
import { useSdkGateway } from '../support/sdk-gateway.js';

const gw = useSdkGateway(
  (sim) => `${SIM_PROVIDERS(sim)}
routes:
  via-anthropic: { targets: { production: as_anthropic/sim-chat-2026-01-15 } }
  via-openai: { targets: { production: as_openai/sim-chat-2026-01-15 } }
  via-gemini: { targets: { production: as_gemini/sim-mini-2026-03-01 } }
gateway:
  auth: keys
  keys:
    - { id: app, key: "\${GW_KEY}" }
`,
);

describe('OpenAI SDK -> route on an Anthropic-format provider', () => {
  it('answers a plain completion with the served snapshot in the headers', async () => {
    const client = gw.openai();
    const { data, response } = await client.chat.completions
      .create({ model: 'via-anthropic', messages: [{ role: 'user', content: 'Say hello' }] })
      .withResponse();
    expect(data.choices[0]?.message.content).toBeTruthy();
    expect(data.usage?.completion_tokens).toBeGreaterThan(0);
    expect(response.headers.get('x-modelpin-route')).toBe('via-anthropic');
    expect(response.headers.get('x-modelpin-target')).toBe('as_anthropic/sim-chat-2026-01-15');
    expect(response.headers.get('x-modelpin-served-model')).toBe('sim-chat-2026-01-15');
    expect(response.headers.get('x-modelpin-attempts')).toBe('1');
    expect(Number(response.headers.get('x-modelpin-overhead-ms'))).toBeGreaterThanOrEqual(0);
  });

  it('streams', async () => {
    const client = gw.openai();
    const stream = await client.chat.completions.create({
      model: 'via-anthropic',
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'Say hello' }],
    });
    let text = '';
    let finish: string | null = null;
    let usage = 0;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
      usage = chunk.usage?.completion_tokens ?? usage;
    }
    expect(text.length).toBeGreaterThan(0);
    expect(finish).toBe('stop');
    expect(usage).toBeGreaterThan(0);
  });

  it('raises the SDK error class for a bad key and an unknown route', async () => {
    const bad = new OpenAI({ baseURL: `${gw.harness().gateway.url}/v1`, apiKey: 'wrong', maxRetries: 0 });
    await expect(
      bad.chat.completions.create({ model: 'via-anthropic', messages: [{ role: 'user', content: 'x' }] }),
    ).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
    const good = gw.openai();
    const err = await good.chat.completions
      .create({ model: 'nope', messages: [{ role: 'user', content: 'x' }] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.NotFoundError);
    expect((err as Error).message).toMatch(/via-anthropic, via-openai, via-gemini/);
  });

  it('lists the routes as models', async () => {
    const client = gw.openai();
    const ids: string[] = [];
    for await (const m of client.models.list()) ids.push(m.id);
    expect(ids).toEqual(['via-anthropic', 'via-openai', 'via-gemini']);
  });
});

describe('Anthropic SDK -> route on a Gemini-format provider', () => {
  it('answers a plain message', async () => {
    const client = gw.anthropic();
    const { data, response } = await client.messages
      .create({ model: 'via-gemini', max_tokens: 200, messages: [{ role: 'user', content: 'Say hello' }] })
      .withResponse();
    const first = data.content[0];
    expect(first?.type === 'text' ? first.text : '').toBeTruthy();
    expect(response.headers.get('x-modelpin-served-model')).toBe('sim-mini-2026-03-01');
  });

  it('streams', async () => {
    const client = gw.anthropic();
    const stream = client.messages.stream({
      model: 'via-gemini',
      max_tokens: 200,
      messages: [{ role: 'user', content: 'Say hello' }],
    });
    const final = await stream.finalMessage();
    const first = final.content[0];
    expect(first?.type === 'text' ? first.text : '').toBeTruthy();
    expect(final.stop_reason).toBe('end_turn');
  });
});

describe('Gemini SDK -> route on an OpenAI-format provider', () => {
  const ai = () => gw.gemini();

  it('answers generateContent', async () => {
    const res = await ai().models.generateContent({ model: 'via-openai', contents: 'Say hello' });
    expect(res.text).toBeTruthy();
  });

  it('streams generateContentStream', async () => {
    const stream = await ai().models.generateContentStream({ model: 'via-openai', contents: 'Say hello' });
    let text = '';
    for await (const chunk of stream) text += chunk.text ?? '';
    expect(text.length).toBeGreaterThan(0);
  });

  it('raises the SDK error for an unknown route', async () => {
    await expect(ai().models.generateContent({ model: 'nope', contents: 'x' })).rejects.toThrow(/unknown route/);
  });

  it('lists and gets the routes as Gemini models', async () => {
    const names: string[] = [];
    for await (const m of await ai().models.list()) names.push(m.name ?? '');
    expect(names.sort()).toEqual(['models/via-anthropic', 'models/via-gemini', 'models/via-openai']);
    const one = await ai().models.get({ model: 'via-openai' });
    expect(one.name).toBe('models/via-openai');
    expect(one.supportedActions ?? []).toContain('generateContent');
    await expect(ai().models.get({ model: 'nope' })).rejects.toMatchObject({ status: 404 });
  });

  it('a wrong key cannot list', async () => {
    const bad = new GoogleGenAI({ apiKey: 'wrong', httpOptions: { baseUrl: gw.harness().gateway.url } });
    await expect(bad.models.list()).rejects.toMatchObject({ status: 401 });
  });
});
