/**
 * OpenAI-family providers with `api: responses`: the HTTP client posts to `/responses` and reads
 * Responses answers, against the simulator over loopback HTTP (and a recording server for paths).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { ConfigError, ProviderError } from '../../src/core/errors.js';
import { createProviderClient } from '../../src/providers/registry.js';
import type { ProviderClient, ProviderSettings, UpstreamStream } from '../../src/providers/types.js';
import { startSimulatorServer, type SimulatorServer } from '../../src/sim/server.js';
import { assembleStream } from '../../src/wire/assemble.js';
import type { CanonicalRequest, StreamEvent } from '../../src/wire/canonical.js';
import { clientCodecs } from '../../src/wire/registry.js';
import { ERRORS_SCENARIO, PROMPTS, tempScenarios, userRequest, WEATHER_SCHEMA } from '../sim/helpers.js';
import { json, rejection, startServer, type TestServer } from './http-server.js';

const KEY = 'sk-test-SECRETKEY-1234567890';
const clock = new ManualClock(Date.parse('2026-11-23T09:00:00Z'));
const files = tempScenarios({ 'errors.yml': ERRORS_SCENARIO });
let sim: SimulatorServer;
let recorder: TestServer;
const clients: ProviderClient[] = [];

function client(settings: Partial<ProviderSettings> & { baseUrl: string }): ProviderClient {
  const c = createProviderClient({ id: 'oai', type: 'openai', api: 'responses', apiKey: KEY, ...settings }, { clock });
  clients.push(c);
  return c;
}
const simClient = () => client({ baseUrl: `${sim.url}/v1` });

async function collect(s: UpstreamStream): Promise<StreamEvent[]> {
  const out: StreamEvent[] = [];
  for await (const e of s) out.push(e);
  return out;
}

beforeAll(async () => {
  sim = await startSimulatorServer({ port: 0, scenario: files.path('errors.yml'), fast: false, clock, seed: 1 });
  recorder = await startServer((_req, res) => json(res, 500, {}));
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close?.()));
  recorder.requests.length = 0;
});
afterAll(async () => {
  await sim.close();
  await recorder.close();
  files.cleanup();
});

describe('openai provider with api: responses, against the simulator', () => {
  it('completes: served snapshot, text, usage and request id', async () => {
    const res = await simClient().complete(
      userRequest('route', PROMPTS.contact, { system: 'extract' }),
      'sim-chat-latest',
    );
    expect(res.model).toBe('sim-chat-2026-01-15');
    expect(JSON.parse(res.content.map((p) => (p.type === 'text' ? p.text : '')).join(''))).toEqual({
      name: 'Jane Doe',
      email: 'jane@example.com',
    });
    expect(res.stopReason).toBe('end_turn');
    expect(res.usage.outputTokens).toBe(22);
    expect(res.providerRequestId).toMatch(/^req_sim_/);
  });

  it('streams to the same answer as the plain call', async () => {
    const req = userRequest('route', PROMPTS.code);
    const c = simClient();
    const plain = await c.complete(req, 'sim-chat-2026-01-15');
    const events = await collect(await c.stream(req, 'sim-chat-2026-01-15'));
    expect(events[0]).toMatchObject({ type: 'start', model: 'sim-chat-2026-01-15' });
    expect(events.at(-1)?.type).toBe('finish');
    const streamed = assembleStream(events);
    expect(streamed.content).toEqual(plain.content);
    expect(streamed.usage).toEqual(plain.usage);
    expect(streamed.stopReason).toBe('end_turn');
  });

  it('calls a tool and continues after its result, plain and streaming', async () => {
    const tools = [{ name: 'get_weather', inputSchema: WEATHER_SCHEMA }];
    const req = userRequest('route', 'What is the weather in Paris?', { tools });
    const c = simClient();
    const res = await c.complete(req, 'sim-chat-2026-01-15');
    expect(res.stopReason).toBe('tool_use');
    const call = res.content.find((p) => p.type === 'tool_use');
    expect(call).toMatchObject({ name: 'get_weather', input: { city: 'Paris' } });
    const streamed = assembleStream(await collect(await c.stream(req, 'sim-chat-2026-01-15')));
    expect(streamed.stopReason).toBe('tool_use');
    expect(streamed.content.find((p) => p.type === 'tool_use')).toMatchObject({
      name: 'get_weather',
      input: { city: 'Paris' },
    });

    const followUp: CanonicalRequest = {
      ...req,
      messages: [
        ...req.messages,
        { role: 'assistant', content: res.content },
        {
          role: 'user',
          content: [
            {
              type: 'tool_result',
              toolUseId: call?.type === 'tool_use' ? call.id : '',
              content: [{ type: 'text', text: '18 degrees and sunny' }],
            },
          ],
        },
      ],
    };
    const after = await c.complete(followUp, 'sim-chat-2026-01-15');
    expect(after.content).toEqual([{ type: 'text', text: 'According to the tool result: 18 degrees and sunny' }]);
  });

  it('a 429 with retry-after is a typed, retryable ProviderError; a retired model is not found', async () => {
    const c = simClient();
    const rl = await rejection(c.complete(userRequest('route', 'hi'), 'err-ratelimit-2026-01-01'));
    expect(rl).toBeInstanceOf(ProviderError);
    expect(rl).toMatchObject({ code: 'rate_limited', retryable: true, retryAfterMs: 2000, provider: 'oai' });
    const streamRl = await rejection(c.stream(userRequest('route', 'hi'), 'err-ratelimit-2026-01-01'));
    expect(streamRl).toMatchObject({ code: 'rate_limited', retryAfterMs: 2000 });
    const gone = await rejection(c.complete(userRequest('route', 'hi'), 'sim-chat-2025-06-01'));
    expect(gone.code).toMatch(/^model_(not_found|retired)$/);
    expect(gone.message).not.toContain(KEY);
  });

  it('a stream the simulator cuts short ends with a stream_cut error, never a finish', async () => {
    const events = await collect(await simClient().stream(userRequest('route', PROMPTS.generic), 'err-cut-2026-01-01'));
    expect(events.some((e) => e.type === 'finish')).toBe(false);
    expect(events.at(-1)).toMatchObject({ type: 'error', error: { code: 'stream_cut', provider: 'oai' } });
  });

  it('a field the Responses API cannot carry is refused before any request', async () => {
    const err = await rejection(
      simClient().complete(userRequest('route', 'hi', { stop: ['x'] }), 'sim-chat-2026-01-15'),
    );
    expect(err).toMatchObject({ code: 'unsupported', details: { field: 'stop' } });
  });
});

describe('endpoints and auth with api: responses', () => {
  const answer = clientCodecs['openai-responses'].encodeResponse(
    {
      id: 'r1',
      model: 'served',
      content: [{ type: 'text', text: 'ok' }],
      stopReason: 'end_turn',
      usage: { inputTokens: 1, outputTokens: 1 },
      created: 1,
    },
    'served',
  );

  it.each([
    ['openai', { baseUrl: '/v1' }, '/v1/responses', 'authorization'],
    ['openai-compatible', { baseUrl: '/v1' }, '/v1/responses', 'authorization'],
    ['azure-openai', { baseUrl: '', apiVersion: '2025-01-01' }, '/openai/v1/responses', 'api-key'],
  ] as const)('%s posts to %s with its auth header and the model in the body', async (type, s, path, authHeader) => {
    recorder.setHandler((_req, res) => json(res, 200, answer));
    const res = await client({
      type,
      baseUrl: recorder.url + s.baseUrl,
      ...('apiVersion' in s ? { apiVersion: s.apiVersion } : {}),
    }).complete(userRequest('route', 'hi'), 'my-deployment');
    expect(res.content).toEqual([{ type: 'text', text: 'ok' }]);
    const r = recorder.requests[0];
    expect(r?.url).toBe(path);
    expect(r?.headers[authHeader]).toContain(KEY);
    expect(JSON.parse(r?.body ?? '{}')).toMatchObject({
      model: 'my-deployment',
      store: false,
      input: [{ type: 'message', role: 'user' }],
    });
  });

  it('chat-completions stays the default, and other provider types refuse api: responses', async () => {
    recorder.setHandler((_req, res) => json(res, 500, {}));
    await rejection(
      client({ baseUrl: `${recorder.url}/v1`, api: 'chat-completions' }).complete(userRequest('route', 'hi'), 'm'),
    );
    expect(recorder.requests[0]?.url).toBe('/v1/chat/completions');
    expect(() => createProviderClient({ id: 'a', type: 'anthropic', api: 'responses' })).toThrow(ConfigError);
    expect(() => createProviderClient({ id: 's', type: 'simulator', api: 'responses' })).toThrow(/only for openai/);
  });
});
