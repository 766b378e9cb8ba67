import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { ModelpinError, ProviderError } from '../../src/core/errors.js';
import { createProviderClient } from '../../src/providers/registry.js';
import type { ProviderClient, ProviderSettings, ProviderType, UpstreamStream } from '../../src/providers/types.js';
import { assembleStream, responseToEvents } from '../../src/wire/assemble.js';
import type { CanonicalRequest, CanonicalResponse, StreamEvent, WireFormat } from '../../src/wire/canonical.js';
import { codecs } from '../../src/wire/registry.js';
import { json, rejection, startServer, type TestServer } from './http-server.js';

const KEY = 'sk-test-SECRETKEY-1234567890';
const clock = new ManualClock(Date.UTC(2026, 10, 23, 9, 0, 0));

const REQ: CanonicalRequest = {
  model: 'route',
  messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }],
  maxTokens: 50,
  stream: false,
};
const RES: CanonicalResponse = {
  id: 'resp_1',
  model: 'served-model-2026-01-15',
  content: [
    { type: 'text', text: 'Hello there, how can I help?' },
    { type: 'tool_use', id: 'call_1', name: 'lookup', input: { q: 'x' } },
  ],
  stopReason: 'tool_use',
  usage: { inputTokens: 12, outputTokens: 7 },
  created: 1_700_000_000,
};

const FORMAT: Record<Exclude<ProviderType, 'simulator'>, WireFormat> = {
  anthropic: 'anthropic',
  openai: 'openai',
  gemini: 'gemini',
  'openai-compatible': 'openai',
  'azure-openai': 'openai',
};
const TYPES = Object.keys(FORMAT) as Array<keyof typeof FORMAT>;

let server: TestServer;
const clients: ProviderClient[] = [];

function client(type: ProviderType, extra: Partial<ProviderSettings> = {}): ProviderClient {
  const c = createProviderClient(
    {
      id: `p-${type}`,
      type,
      baseUrl:
        server.url + (type === 'openai' || type === 'openai-compatible' ? '/v1' : type === 'gemini' ? '/v1beta' : ''),
      apiKey: KEY,
      ...extra,
    },
    { clock },
  );
  clients.push(c);
  return c;
}

function sseText(format: WireFormat, events: StreamEvent[]): string {
  const enc = codecs[format].createStreamEncoder('served-model-2026-01-15', { includeUsage: true });
  return events.map((e) => enc.encode(e)).join('') + enc.end();
}

async function collect(s: UpstreamStream): Promise<StreamEvent[]> {
  const out: StreamEvent[] = [];
  for await (const e of s) out.push(e);
  return out;
}

beforeAll(async () => {
  server = await startServer((_req, res) => json(res, 500, {}));
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close?.()));
  server.requests.length = 0;
});
afterAll(async () => {
  await server.close();
});

describe.each(TYPES)('%s client', (type) => {
  const format = FORMAT[type];

  it('sends the provider’s auth headers and path, and decodes the answer', async () => {
    server.setHandler((_req, res) =>
      json(res, 200, codecs[format].encodeResponse(RES, RES.model), { 'x-request-id': 'req_abc' }),
    );
    const res = await client(type, { apiVersion: '2025-01-01' }).complete(REQ, 'my-model');
    expect(res.content).toEqual(RES.content);
    expect(res.model).toBe(RES.model);
    expect(res.providerRequestId).toBe('req_abc');
    const r = server.requests[0];
    expect(r?.method).toBe('POST');
    const h = r?.headers ?? {};
    const expected: Record<typeof type, () => void> = {
      anthropic: () => {
        expect(r?.url).toBe('/v1/messages');
        expect(h['x-api-key']).toBe(KEY);
        expect(h['anthropic-version']).toBe('2023-06-01');
      },
      openai: () => {
        expect(r?.url).toBe('/v1/chat/completions');
        expect(h.authorization).toBe(`Bearer ${KEY}`);
      },
      'openai-compatible': () => {
        expect(r?.url).toBe('/v1/chat/completions');
        expect(h.authorization).toBe(`Bearer ${KEY}`);
      },
      gemini: () => {
        expect(r?.url).toBe('/v1beta/models/my-model:generateContent');
        expect(h['x-goog-api-key']).toBe(KEY);
        expect(r?.url).not.toContain(KEY);
      },
      'azure-openai': () => {
        expect(r?.url).toBe('/openai/deployments/my-model/chat/completions?api-version=2025-01-01');
        expect(h['api-key']).toBe(KEY);
      },
    };
    expected[type]();
    if (format !== 'gemini') expect((JSON.parse(r?.body ?? '{}') as { model?: string }).model).toBe('my-model');
  });

  it('streams: events arrive in order and assemble into the response', async () => {
    server.setHandler((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'request-id': 'req_stream' });
      const text = sseText(format, responseToEvents(RES, 5));
      // Odd-sized writes so events straddle TCP chunks.
      for (let i = 0; i < text.length; i += 37) res.write(text.slice(i, i + 37));
      res.end();
    });
    const s = await client(type).stream(REQ, 'my-model');
    const events = await collect(s);
    expect(events.at(-1)?.type).toBe('finish');
    const got = assembleStream(events);
    expect(got.content).toEqual(RES.content);
    expect(got.usage).toEqual(RES.usage);
    expect(got.providerRequestId).toBe('req_stream');
    const path = server.requests[0]?.url ?? '';
    if (format === 'gemini') expect(path).toBe('/v1beta/models/my-model:streamGenerateContent?alt=sse');
    if (format === 'openai')
      expect(JSON.parse(server.requests[0]?.body ?? '{}')).toMatchObject({
        stream: true,
        stream_options: { include_usage: true },
      });
  });

  it('a stream cut before the terminal event ends with stream_cut, never a clean finish', async () => {
    server.setHandler((req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const text = sseText(format, responseToEvents(RES, 5));
      res.write(text.slice(0, Math.floor(text.length / 2)));
      setTimeout(() => req.socket.destroy(), 20);
    });
    const events = await collect(await client(type).stream(REQ, 'my-model'));
    expect(events.some((e) => e.type === 'finish')).toBe(false);
    const last = events.at(-1);
    expect(last?.type).toBe('error');
    if (last?.type === 'error') {
      expect(last.error.code).toBe('stream_cut');
      expect(last.error.retryable).toBe(true);
    }
  });

  it('a body that ends cleanly but early is a stream_cut too', async () => {
    server.setHandler((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const events = responseToEvents(RES, 5).filter((e) => e.type !== 'finish');
      res.end(events.map((e) => codecs[format].createStreamEncoder('m').encode(e)).join(''));
    });
    const events = await collect(await client(type).stream(REQ, 'my-model'));
    const last = events.at(-1);
    expect(last?.type === 'error' && last.error.code).toBe('stream_cut');
  });
});

describe('upstream failures', () => {
  it('429 with retry-after: rate_limited, retryable, delay in ms — thrown by stream() before the first byte', async () => {
    server.setHandler((_req, res) =>
      json(
        res,
        429,
        { error: { message: 'Rate limit reached', type: 'requests', param: null, code: 'rate_limit_exceeded' } },
        { 'retry-after': '2' },
      ),
    );
    const e1 = await rejection(client('openai').complete(REQ, 'gpt'));
    const e2 = await rejection(client('openai').stream(REQ, 'gpt'));
    for (const e of [e1, e2]) {
      expect(e).toBeInstanceOf(ProviderError);
      expect(e.code).toBe('rate_limited');
      expect(e.retryable).toBe(true);
      expect(e.retryAfterMs).toBe(2000);
      expect(e.provider).toBe('p-openai');
    }
  });

  it('529 overloaded from Anthropic is retryable', async () => {
    server.setHandler((_req, res) =>
      json(res, 529, { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }),
    );
    const e = await rejection(client('anthropic').complete(REQ, 'claude'));
    expect([e.code, e.status, e.retryable, e.providerCode]).toEqual(['overloaded', 529, true, 'overloaded_error']);
  });

  it.each([
    ['anthropic', { type: 'error', error: { type: 'not_found_error', message: 'model: claude-3-sonnet-20240229' } }],
    [
      'openai',
      {
        error: {
          message: 'The model `gpt-4-0314` has been deprecated.',
          type: 'invalid_request_error',
          param: null,
          code: 'model_not_found',
        },
      },
    ],
    [
      'gemini',
      {
        error: {
          code: 404,
          message:
            'models/gemini-1.0-pro is not found for API version v1beta, or is not supported for generateContent.',
          status: 'NOT_FOUND',
        },
      },
    ],
  ] as const)('404 for a retired/unknown %s model is recognised and lets fallback move on', async (type, body) => {
    server.setHandler((_req, res) => json(res, 404, body));
    const e = await rejection(client(type).complete(REQ, 'old-model'));
    expect(['model_not_found', 'model_retired']).toContain(e.code);
    expect(e.retryable).toBe(true);
    if (type === 'openai') expect(e.code).toBe('model_retired');
  });

  it('timeout: no answer within timeoutMs -> retryable timeout', async () => {
    server.setHandler(() => undefined);
    const e = await rejection(client('openai').complete(REQ, 'gpt', { timeoutMs: 80 }));
    expect([e.code, e.retryable]).toEqual(['timeout', true]);
    const e2 = await rejection(client('anthropic').stream(REQ, 'claude', { timeoutMs: 80 }));
    expect([e2.code, e2.retryable]).toEqual(['timeout', true]);
  });

  it('caller abort is not retryable', async () => {
    server.setHandler(() => undefined);
    const ac = new AbortController();
    const p = client('openai').complete(REQ, 'gpt', { signal: ac.signal });
    setTimeout(() => ac.abort(), 20);
    const e = await rejection(p);
    expect([e.code, e.retryable]).toEqual(['timeout', false]);
  });

  it('connection reset and refused -> retryable connection errors', async () => {
    server.setHandler((req) => {
      req.socket.destroy();
    });
    const e = await rejection(client('gemini').complete(REQ, 'gemini-x'));
    expect([e.code, e.retryable]).toEqual(['connection', true]);
    const dead = await startServer(() => undefined);
    const url = dead.url;
    await dead.close();
    const c = createProviderClient({ id: 'dead', type: 'openai-compatible', baseUrl: url });
    clients.push(c);
    const e2 = await rejection(c.complete(REQ, 'm'));
    expect([e2.code, e2.retryable]).toEqual(['connection', true]);
  });

  it('invalid JSON from upstream -> upstream_bad_response', async () => {
    server.setHandler((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"id": "x", "choices": [');
    });
    const e = await rejection(client('openai').complete(REQ, 'gpt'));
    expect(e.code).toBe('upstream_bad_response');
    server.setHandler((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end('data: {not json}\n\n');
    });
    const events = await collect(await client('openai').stream(REQ, 'gpt'));
    expect(events.at(-1)?.type === 'error' && (events.at(-1) as { error: ModelpinError }).error.code).toBe(
      'upstream_bad_response',
    );
  });

  it('a 401 that echoes the key never shows it, for any provider', async () => {
    for (const type of TYPES) {
      server.setHandler((_req, res) =>
        json(res, 401, {
          error: {
            message: `Incorrect API key provided: ${KEY}. Key ${KEY} is invalid.`,
            type: 'invalid_request_error',
            code: 'invalid_api_key',
            status: 'UNAUTHENTICATED',
          },
          type: 'error',
        }),
      );
      const e = await rejection(client(type).complete(REQ, 'm'));
      expect(e.code).toBe('upstream_auth');
      expect(e.retryable).toBe(false);
      expect(e.message).not.toContain(KEY);
      expect(JSON.stringify(e)).not.toContain(KEY);
      expect(String(e.stack)).not.toContain(KEY);
    }
  });

  it('errors inside a 200 stream surface as error events with their type', async () => {
    server.setHandler((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(
        'event: message_start\ndata: {"type":"message_start","message":{"id":"m1","model":"claude-x","usage":{"input_tokens":3,"output_tokens":1}}}\n\nevent: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n\n',
      );
    });
    const events = await collect(await client('anthropic').stream(REQ, 'claude'));
    expect(events[0]?.type).toBe('start');
    const last = events.at(-1);
    expect(last?.type === 'error' && [last.error.code, last.error.retryable]).toEqual(['overloaded', true]);
  });

  it('fills created from the injected clock when the format has none', async () => {
    server.setHandler((_req, res) => json(res, 200, codecs.anthropic.encodeResponse(RES, RES.model)));
    const res = await client('anthropic').complete(REQ, 'claude');
    expect(res.created).toBe(Math.floor(clock.now() / 1000));
  });

  it('reuses keep-alive connections for sequential calls', async () => {
    server.setHandler((_req, res) => json(res, 200, codecs.openai.encodeResponse(RES, RES.model)));
    const c = client('openai');
    for (let i = 0; i < 6; i++) await c.complete(REQ, 'gpt');
    const ports = new Set(server.requests.map((r) => r.remotePort));
    expect(server.requests).toHaveLength(6);
    // A socket goes back to the pool a tick after its body ends, so the next call may open a second one.
    expect(ports.size).toBeLessThanOrEqual(2);
  });

  it('a stream that goes silent past timeoutMs ends with a timeout error event', async () => {
    server.setHandler((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(sseText('anthropic', responseToEvents(RES, 5).slice(0, 2)));
    });
    const events = await collect(await client('anthropic').stream(REQ, 'claude', { timeoutMs: 100 }));
    expect(events[0]?.type).toBe('start');
    const last = events.at(-1);
    expect(last?.type === 'error' && [last.error.code, last.error.retryable]).toEqual(['timeout', true]);
  });

  it('lists models', async () => {
    server.setHandler((_req, res) =>
      json(res, 200, { models: [{ name: 'models/gemini-2.5-flash' }, { name: 'models/gemini-2.5-pro' }] }),
    );
    expect(await client('gemini').listModels?.()).toEqual(['gemini-2.5-flash', 'gemini-2.5-pro']);
    expect(server.requests[0]?.headers['x-goog-api-key']).toBe(KEY);
  });
});
