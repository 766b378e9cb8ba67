import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { createProviderClient } from '../../src/providers/registry.js';
import type { ProviderClient, ProviderSettings } from '../../src/providers/types.js';
import { simEmbedding } from '../../src/sim/embedding.js';
import { startSimulatorServer, type SimulatorServer } from '../../src/sim/server.js';
import { json, rejection, startServer, type TestServer } from './http-server.js';

const KEY = 'sk-test-SECRETKEY-1234567890';
const clock = new ManualClock(Date.UTC(2026, 10, 23, 9, 0, 0));
const MODEL = 'sim-embed-2026-03-01';
const TEXTS = ['You can return any item within 30 days for a full refund.', 'Paris is the capital of France.'];

let sim: SimulatorServer;
let fake: TestServer;
const clients: ProviderClient[] = [];

function client(settings: Omit<ProviderSettings, 'id'>): ProviderClient {
  const c = createProviderClient({ id: `p-${settings.type}`, ...settings }, { clock });
  clients.push(c);
  return c;
}

beforeAll(async () => {
  sim = await startSimulatorServer({ port: 0, scenario: 'default', clock, seed: 1 });
  fake = await startServer((_req, res) => json(res, 500, {}));
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close?.()));
  fake.requests.length = 0;
});
afterAll(async () => {
  await Promise.all([sim.close(), fake.close()]);
});

describe('embed against the simulator over HTTP', () => {
  it.each([
    ['openai', '/v1'],
    ['openai-compatible', '/v1'],
    ['gemini', '/v1beta'],
  ] as const)('%s: one vector per text, in order, equal to the simulated vectors', async (type, path) => {
    const c = client({ type, baseUrl: sim.url + path, apiKey: KEY });
    const vectors = await c.embed?.(TEXTS, MODEL);
    expect(vectors).toEqual(TEXTS.map((t) => simEmbedding(t, MODEL)));
  });

  it('gemini: more texts than one batch takes go in several requests, still in order', async () => {
    const c = client({ type: 'gemini', baseUrl: `${sim.url}/v1beta` });
    const texts = Array.from({ length: 150 }, (_, i) => `text number ${i}`);
    const vectors = await c.embed?.(texts, `models/${MODEL}`);
    expect(vectors).toHaveLength(150);
    expect(vectors?.[149]).toEqual(simEmbedding('text number 149', MODEL));
  });

  it('a retired model is the same typed 404 as a chat call to it, attributed to the provider', async () => {
    for (const [type, path] of [
      ['openai', '/v1'],
      ['gemini', '/v1beta'],
    ] as const) {
      const c = client({ type, baseUrl: sim.url + path });
      const e = await rejection(c.embed?.(['x'], 'sim-chat-2025-06-01'));
      const chat = await rejection(c.complete({ model: 'r', stream: false, messages: [{ role: 'user', content: [{ type: 'text', text: 'x' }] }] }, 'sim-chat-2025-06-01'));
      // Over the wire a retired snapshot reads like a real provider's unknown model.
      expect([e.code, e.status, e.retryable, e.provider]).toEqual(['model_not_found', 404, true, `p-${type}`]);
      expect([e.code, e.message]).toEqual([chat.code, chat.message]);
    }
  });

  it('an empty text is a non-retryable upstream_bad_request', async () => {
    const e = await rejection(client({ type: 'openai', baseUrl: `${sim.url}/v1` }).embed?.(['ok', ''], MODEL));
    expect([e.code, e.status, e.retryable]).toEqual(['upstream_bad_request', 400, false]);
  });
});

describe('embed wire shapes', () => {
  it('openai: POST /embeddings with bearer auth, {model, input, encoding_format: float}; answers sorted by index', async () => {
    fake.setHandler((_req, res) =>
      json(res, 200, { object: 'list', data: [{ object: 'embedding', index: 1, embedding: [0, 1] }, { object: 'embedding', index: 0, embedding: [1, 0] }], model: 'm', usage: { prompt_tokens: 2, total_tokens: 2 } }),
    );
    const vectors = await client({ type: 'openai', baseUrl: `${fake.url}/v1`, apiKey: KEY }).embed?.(['a', 'b'], 'text-embedding-3-small');
    expect(vectors).toEqual([
      [1, 0],
      [0, 1],
    ]);
    const r = fake.requests[0];
    expect([r?.method, r?.url, r?.headers.authorization]).toEqual(['POST', '/v1/embeddings', `Bearer ${KEY}`]);
    expect(JSON.parse(r?.body ?? '')).toEqual({ model: 'text-embedding-3-small', input: ['a', 'b'], encoding_format: 'float' });
  });

  it('openai-compatible: a server answering base64 anyway is decoded (little-endian float32)', async () => {
    const b64 = Buffer.from(new Float32Array([0.5, -0.25]).buffer).toString('base64');
    fake.setHandler((_req, res) => json(res, 200, { data: [{ index: 0, embedding: b64 }] }));
    expect(await client({ type: 'openai-compatible', baseUrl: fake.url }).embed?.(['a'], 'nomic-embed-text')).toEqual([[0.5, -0.25]]);
    expect(fake.requests[0]?.url).toBe('/embeddings');
  });

  it('azure-openai: the deployment URL with api-version and the api-key header; no model in the body', async () => {
    fake.setHandler((_req, res) => json(res, 200, { data: [{ index: 0, embedding: [0.6, 0.8] }] }));
    const c = client({ type: 'azure-openai', baseUrl: fake.url, apiKey: KEY, apiVersion: '2024-10-21' });
    expect(await c.embed?.(['a'], 'my-embed-deployment')).toEqual([[0.6, 0.8]]);
    const r = fake.requests[0];
    expect(r?.url).toBe('/openai/deployments/my-embed-deployment/embeddings?api-version=2024-10-21');
    expect(r?.headers['api-key']).toBe(KEY);
    expect(r?.headers.authorization).toBeUndefined();
    expect(JSON.parse(r?.body ?? '')).toEqual({ input: ['a'], encoding_format: 'float' });
  });

  it('gemini: POST /models/{model}:batchEmbedContents with x-goog-api-key, one request per text', async () => {
    fake.setHandler((_req, res) => json(res, 200, { embeddings: [{ values: [1, 2] }, { values: [3, 4] }] }));
    const c = client({ type: 'gemini', baseUrl: `${fake.url}/v1beta`, apiKey: KEY });
    expect(await c.embed?.(['a', 'b'], 'gemini-embedding-001')).toEqual([
      [1, 2],
      [3, 4],
    ]);
    const r = fake.requests[0];
    expect([r?.url, r?.headers['x-goog-api-key']]).toEqual(['/v1beta/models/gemini-embedding-001:batchEmbedContents', KEY]);
    expect(r?.url).not.toContain('key=');
    expect(JSON.parse(r?.body ?? '')).toEqual({
      requests: [
        { model: 'models/gemini-embedding-001', content: { parts: [{ text: 'a' }] } },
        { model: 'models/gemini-embedding-001', content: { parts: [{ text: 'b' }] } },
      ],
    });
  });

  it('anthropic has no embeddings API: no embed method', () => {
    expect(client({ type: 'anthropic', apiKey: KEY }).embed).toBeUndefined();
  });
});

describe('embed upstream failures', () => {
  it('429 with retry-after: rate_limited, retryable, delay in ms', async () => {
    fake.setHandler((_req, res) => json(res, 429, { error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' } }, { 'retry-after': '3' }));
    const e = await rejection(client({ type: 'openai', baseUrl: fake.url }).embed?.(['a'], 'text-embedding-3-small'));
    expect([e.code, e.retryable, e.retryAfterMs, e.provider]).toEqual(['rate_limited', true, 3000, 'p-openai']);
  });

  it('gemini 503 UNAVAILABLE is a retryable overload', async () => {
    fake.setHandler((_req, res) => json(res, 503, { error: { code: 503, message: 'The model is overloaded.', status: 'UNAVAILABLE' } }));
    const e = await rejection(client({ type: 'gemini', baseUrl: fake.url }).embed?.(['a'], 'gemini-embedding-001'));
    expect([e.code, e.retryable]).toEqual(['overloaded', true]);
  });

  it('a 401 that echoes the key never shows it', async () => {
    fake.setHandler((_req, res) => json(res, 401, { error: { message: `Incorrect API key provided: ${KEY}`, type: 'invalid_request_error', code: 'invalid_api_key' } }));
    const e = await rejection(client({ type: 'openai', baseUrl: fake.url, apiKey: KEY }).embed?.(['a'], 'text-embedding-3-small'));
    expect(e.code).toBe('upstream_auth');
    expect(e.message).not.toContain(KEY);
  });

  it.each([
    ['not the documented shape', { data: [{ index: 0 }] }, /did not match the expected shape: data\[0\]\.embedding/],
    ['fewer vectors than texts', { data: [{ index: 0, embedding: [1] }] }, /has 1 vectors for 2 inputs/],
    ['a gap in the indexes', { data: [{ index: 0, embedding: [1] }, { index: 2, embedding: [1] }] }, /no vector for index 1/],
    ['vectors of different lengths', { data: [{ index: 0, embedding: [1] }, { index: 1, embedding: [1, 2] }] }, /different lengths/],
  ])('openai answer with %s: upstream_bad_response', async (_name, body, message) => {
    fake.setHandler((_req, res) => json(res, 200, body));
    const e = await rejection(client({ type: 'openai', baseUrl: fake.url }).embed?.(['a', 'b'], 'm'));
    expect(e.code).toBe('upstream_bad_response');
    expect(e.provider).toBe('p-openai');
    expect(e.message).toMatch(message);
  });

  it('gemini answer without embeddings: upstream_bad_response', async () => {
    fake.setHandler((_req, res) => json(res, 200, { embedding: { values: [1] } }));
    const e = await rejection(client({ type: 'gemini', baseUrl: fake.url }).embed?.(['a'], 'gemini-embedding-001'));
    expect(e.code).toBe('upstream_bad_response');
  });

  it('timeout: no answer within timeoutMs is a retryable timeout', async () => {
    fake.setHandler(() => undefined);
    const e = await rejection(client({ type: 'openai', baseUrl: fake.url }).embed?.(['a'], 'm', { timeoutMs: 50 }));
    expect([e.code, e.retryable]).toEqual(['timeout', true]);
  });
});
