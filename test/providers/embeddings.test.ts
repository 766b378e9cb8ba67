import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { createProviderClient } from '../../src/providers/registry.js';
import type { ProviderClient, ProviderSettings } from '../../src/providers/types.js';
import { simEmbedding } from '../../src/sim/embedding.js';
import { countTokens } from '../../src/core/tokenizer.js';
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

const tokens = (texts: string[]) => texts.reduce((n, t) => n + countTokens(t), 0);

describe('embed against the simulator over HTTP', () => {
  it.each([
    ['openai', '/v1'],
    ['openai-compatible', '/v1'],
    ['gemini', '/v1beta'],
  ] as const)('%s: one vector per text, in order, equal to the simulated vectors', async (type, path) => {
    const c = client({ type, baseUrl: sim.url + path, apiKey: KEY });
    const res = await c.embed?.({ texts: TEXTS }, MODEL);
    expect(res?.vectors).toEqual(TEXTS.map((t) => simEmbedding(t, MODEL)));
  });

  it.each(['openai', 'openai-compatible'] as const)(
    '%s: the answering snapshot and exact prompt_tokens come back from the response',
    async (type) => {
      // An alias: the response names the snapshot it resolved to.
      const res = await client({ type, baseUrl: `${sim.url}/v1` }).embed?.({ texts: TEXTS }, 'sim-mini-latest');
      expect(res?.model).toBe('sim-mini-2026-03-01');
      expect(res?.usage).toEqual({ inputTokens: tokens(TEXTS) });
      expect(res?.vectors[0]).toEqual(simEmbedding(TEXTS[0] ?? '', 'sim-mini-2026-03-01'));
    },
  );

  it('gemini: batchEmbedContents names no model and counts no tokens, so both are null', async () => {
    const res = await client({ type: 'gemini', baseUrl: `${sim.url}/v1beta` }).embed?.({ texts: TEXTS }, MODEL);
    expect([res?.model, res?.usage]).toEqual([null, null]);
  });

  it.each([
    ['openai', '/v1'],
    ['gemini', '/v1beta'],
  ] as const)('%s: dimensions go to the provider, which answers vectors of that length', async (type, path) => {
    const res = await client({ type, baseUrl: sim.url + path }).embed?.({ texts: TEXTS, dimensions: 48 }, MODEL);
    expect(res?.vectors).toEqual(TEXTS.map((t) => simEmbedding(t, MODEL, 48)));
  });

  it('more dimensions than the model has: the provider refuses, a non-retryable upstream_bad_request', async () => {
    const e = await rejection(
      client({ type: 'openai', baseUrl: `${sim.url}/v1` }).embed?.({ texts: TEXTS, dimensions: 4096 }, MODEL),
    );
    expect([e.code, e.status, e.retryable, e.provider]).toEqual(['upstream_bad_request', 400, false, 'p-openai']);
    expect(e.message).toMatch(/dimensions: 4096 is not between 1 and 256/);
  });

  it('gemini: taskType and title reach the simulator, which accepts them as Gemini does', async () => {
    const res = await client({ type: 'gemini', baseUrl: `${sim.url}/v1beta` }).embed?.(
      { texts: TEXTS, taskType: 'RETRIEVAL_DOCUMENT', title: 'Policies' },
      MODEL,
    );
    expect(res?.vectors).toHaveLength(2);
  });

  it('gemini: more texts than one batch takes go in several requests, still in order', async () => {
    const c = client({ type: 'gemini', baseUrl: `${sim.url}/v1beta` });
    const texts = Array.from({ length: 150 }, (_, i) => `text number ${i}`);
    const res = await c.embed?.({ texts }, `models/${MODEL}`);
    expect(res?.vectors).toHaveLength(150);
    expect(res?.vectors[149]).toEqual(simEmbedding('text number 149', MODEL));
  });

  it('a retired model is the same typed 404 as a chat call to it, attributed to the provider', async () => {
    for (const [type, path] of [
      ['openai', '/v1'],
      ['gemini', '/v1beta'],
    ] as const) {
      const c = client({ type, baseUrl: sim.url + path });
      const e = await rejection(c.embed?.({ texts: ['x'] }, 'sim-chat-2025-06-01'));
      const chat = await rejection(
        c.complete(
          { model: 'r', stream: false, messages: [{ role: 'user', content: [{ type: 'text', text: 'x' }] }] },
          'sim-chat-2025-06-01',
        ),
      );
      // Over the wire a retired snapshot reads like a real provider's unknown model.
      expect([e.code, e.status, e.retryable, e.provider]).toEqual(['model_not_found', 404, true, `p-${type}`]);
      expect([e.code, e.message]).toEqual([chat.code, chat.message]);
    }
  });

  it('an empty text is a non-retryable upstream_bad_request', async () => {
    const e = await rejection(
      client({ type: 'openai', baseUrl: `${sim.url}/v1` }).embed?.({ texts: ['ok', ''] }, MODEL),
    );
    expect([e.code, e.status, e.retryable]).toEqual(['upstream_bad_request', 400, false]);
  });
});

describe('embed wire shapes', () => {
  it('openai: POST /embeddings with bearer auth, {model, input, encoding_format: float}; answers sorted by index, with model and usage', async () => {
    fake.setHandler((_req, res) =>
      json(res, 200, {
        object: 'list',
        data: [
          { object: 'embedding', index: 1, embedding: [0, 1] },
          { object: 'embedding', index: 0, embedding: [1, 0] },
        ],
        model: 'text-embedding-3-small',
        usage: { prompt_tokens: 7, total_tokens: 7 },
      }),
    );
    const res = await client({ type: 'openai', baseUrl: `${fake.url}/v1`, apiKey: KEY }).embed?.(
      { texts: ['a', 'b'] },
      'text-embedding-3-small',
    );
    expect(res).toEqual({
      vectors: [
        [1, 0],
        [0, 1],
      ],
      model: 'text-embedding-3-small',
      usage: { inputTokens: 7 },
    });
    const r = fake.requests[0];
    expect([r?.method, r?.url, r?.headers.authorization]).toEqual(['POST', '/v1/embeddings', `Bearer ${KEY}`]);
    expect(JSON.parse(r?.body ?? '')).toEqual({
      model: 'text-embedding-3-small',
      input: ['a', 'b'],
      encoding_format: 'float',
    });
  });

  it('openai: dimensions are sent as `dimensions`', async () => {
    fake.setHandler((_req, res) => json(res, 200, { data: [{ index: 0, embedding: [0.6, 0.8] }] }));
    await client({ type: 'openai', baseUrl: fake.url }).embed?.(
      { texts: ['a'], dimensions: 2 },
      'text-embedding-3-large',
    );
    expect(JSON.parse(fake.requests[0]?.body ?? '')).toEqual({
      model: 'text-embedding-3-large',
      input: ['a'],
      encoding_format: 'float',
      dimensions: 2,
    });
  });

  it('openai: texts past the 2048-input limit go in a second request; usage adds up across them', async () => {
    fake.setHandler((_req, res, rec) => {
      const input = (JSON.parse(rec.body) as { input: string[] }).input;
      json(res, 200, {
        data: input.map((_t, index) => ({ index, embedding: [1] })),
        model: 'm-1',
        usage: { prompt_tokens: input.length },
      });
    });
    const res = await client({ type: 'openai', baseUrl: fake.url }).embed?.(
      { texts: Array<string>(2050).fill('a') },
      'm',
    );
    expect(fake.requests.map((r) => (JSON.parse(r.body) as { input: string[] }).input.length)).toEqual([2048, 2]);
    expect([res?.vectors.length, res?.model, res?.usage]).toEqual([2050, 'm-1', { inputTokens: 2050 }]);
  });

  it('openai-compatible: a server answering base64 anyway is decoded (little-endian float32); no model or usage reads as unknown', async () => {
    const b64 = Buffer.from(new Float32Array([0.5, -0.25]).buffer).toString('base64');
    fake.setHandler((_req, res) => json(res, 200, { data: [{ index: 0, embedding: b64 }] }));
    expect(
      await client({ type: 'openai-compatible', baseUrl: fake.url }).embed?.({ texts: ['a'] }, 'nomic-embed-text'),
    ).toEqual({ vectors: [[0.5, -0.25]], model: null, usage: null });
    expect(fake.requests[0]?.url).toBe('/embeddings');
  });

  it('azure-openai: the deployment URL with api-version and the api-key header; no model in the body, dimensions in it', async () => {
    fake.setHandler((_req, res) =>
      json(res, 200, {
        data: [{ index: 0, embedding: [0.6, 0.8] }],
        model: 'text-embedding-3-small',
        usage: { prompt_tokens: 1, total_tokens: 1 },
      }),
    );
    const c = client({ type: 'azure-openai', baseUrl: fake.url, apiKey: KEY, apiVersion: '2024-10-21' });
    expect(await c.embed?.({ texts: ['a'], dimensions: 2 }, 'my-embed-deployment')).toEqual({
      vectors: [[0.6, 0.8]],
      model: 'text-embedding-3-small',
      usage: { inputTokens: 1 },
    });
    const r = fake.requests[0];
    expect(r?.url).toBe('/openai/deployments/my-embed-deployment/embeddings?api-version=2024-10-21');
    expect(r?.headers['api-key']).toBe(KEY);
    expect(r?.headers.authorization).toBeUndefined();
    expect(JSON.parse(r?.body ?? '')).toEqual({ input: ['a'], encoding_format: 'float', dimensions: 2 });
  });

  it('gemini: POST /models/{model}:batchEmbedContents with x-goog-api-key, one request per text', async () => {
    fake.setHandler((_req, res) => json(res, 200, { embeddings: [{ values: [1, 2] }, { values: [3, 4] }] }));
    const c = client({ type: 'gemini', baseUrl: `${fake.url}/v1beta`, apiKey: KEY });
    expect(await c.embed?.({ texts: ['a', 'b'] }, 'gemini-embedding-001')).toEqual({
      vectors: [
        [1, 2],
        [3, 4],
      ],
      model: null,
      usage: null,
    });
    const r = fake.requests[0];
    expect([r?.url, r?.headers['x-goog-api-key']]).toEqual([
      '/v1beta/models/gemini-embedding-001:batchEmbedContents',
      KEY,
    ]);
    expect(r?.url).not.toContain('key=');
    expect(JSON.parse(r?.body ?? '')).toEqual({
      requests: [
        { model: 'models/gemini-embedding-001', content: { parts: [{ text: 'a' }] } },
        { model: 'models/gemini-embedding-001', content: { parts: [{ text: 'b' }] } },
      ],
    });
  });

  it('gemini: outputDimensionality, taskType and title go with every request', async () => {
    fake.setHandler((_req, res) => json(res, 200, { embeddings: [{ values: [1] }, { values: [2] }] }));
    await client({ type: 'gemini', baseUrl: fake.url }).embed?.(
      { texts: ['a', 'b'], dimensions: 1, taskType: 'RETRIEVAL_DOCUMENT', title: 'Returns' },
      'gemini-embedding-001',
    );
    const options = { taskType: 'RETRIEVAL_DOCUMENT', title: 'Returns', outputDimensionality: 1 };
    expect(JSON.parse(fake.requests[0]?.body ?? '')).toEqual({
      requests: [
        { model: 'models/gemini-embedding-001', content: { parts: [{ text: 'a' }] }, ...options },
        { model: 'models/gemini-embedding-001', content: { parts: [{ text: 'b' }] }, ...options },
      ],
    });
  });

  it.each([
    ['openai', { taskType: 'RETRIEVAL_QUERY' }, 'taskType'],
    ['azure-openai', { title: 'Returns' }, 'title'],
    ['openai-compatible', { taskType: 'CLUSTERING' }, 'taskType'],
  ] as const)(
    '%s has no task options: %o is refused (unsupported, 400) before any request',
    async (type, options, field) => {
      const e = await rejection(client({ type, baseUrl: fake.url }).embed?.({ texts: ['a'], ...options }, 'm'));
      expect([e.code, e.status, e.retryable, e.provider]).toEqual(['unsupported', 400, false, `p-${type}`]);
      expect(e.message).toMatch(
        new RegExp(`^${field}: provider "p-${type}" \\(type ${type}\\) has no ${field} in its embeddings API`),
      );
      expect(fake.requests).toHaveLength(0);
    },
  );

  it('a malformed request (zero dimensions, a non-string text) is a bad_request naming the field, before any request', async () => {
    const c = client({ type: 'openai', baseUrl: fake.url });
    const dims = await rejection(c.embed?.({ texts: ['a'], dimensions: 0 }, 'm'));
    expect([dims.code, dims.message]).toEqual(['bad_request', expect.stringMatching(/^dimensions: /)]);
    const text = await rejection(c.embed?.({ texts: ['a', 3] } as unknown as { texts: string[] }, 'm'));
    expect(text.message).toMatch(/^texts\[1\]: expected string/);
    expect(fake.requests).toHaveLength(0);
  });

  it('anthropic has no embeddings API: no embed method', () => {
    expect(client({ type: 'anthropic', apiKey: KEY }).embed).toBeUndefined();
  });
});

describe('embed upstream failures', () => {
  it('429 with retry-after: rate_limited, retryable, delay in ms', async () => {
    fake.setHandler((_req, res) =>
      json(
        res,
        429,
        { error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' } },
        { 'retry-after': '3' },
      ),
    );
    const e = await rejection(
      client({ type: 'openai', baseUrl: fake.url }).embed?.({ texts: ['a'] }, 'text-embedding-3-small'),
    );
    expect([e.code, e.retryable, e.retryAfterMs, e.provider]).toEqual(['rate_limited', true, 3000, 'p-openai']);
  });

  it('gemini 503 UNAVAILABLE is a retryable overload', async () => {
    fake.setHandler((_req, res) =>
      json(res, 503, { error: { code: 503, message: 'The model is overloaded.', status: 'UNAVAILABLE' } }),
    );
    const e = await rejection(
      client({ type: 'gemini', baseUrl: fake.url }).embed?.({ texts: ['a'] }, 'gemini-embedding-001'),
    );
    expect([e.code, e.retryable]).toEqual(['overloaded', true]);
  });

  it('a 401 that echoes the key never shows it', async () => {
    fake.setHandler((_req, res) =>
      json(res, 401, {
        error: {
          message: `Incorrect API key provided: ${KEY}`,
          type: 'invalid_request_error',
          code: 'invalid_api_key',
        },
      }),
    );
    const e = await rejection(
      client({ type: 'openai', baseUrl: fake.url, apiKey: KEY }).embed?.({ texts: ['a'] }, 'text-embedding-3-small'),
    );
    expect(e.code).toBe('upstream_auth');
    expect(e.message).not.toContain(KEY);
  });

  it.each([
    ['not the documented shape', { data: [{ index: 0 }] }, /did not match the expected shape: data\[0\]\.embedding/],
    ['fewer vectors than texts', { data: [{ index: 0, embedding: [1] }] }, /has 1 vectors for 2 inputs/],
    [
      'a gap in the indexes',
      {
        data: [
          { index: 0, embedding: [1] },
          { index: 2, embedding: [1] },
        ],
      },
      /no vector for index 1/,
    ],
    [
      'vectors of different lengths',
      {
        data: [
          { index: 0, embedding: [1] },
          { index: 1, embedding: [1, 2] },
        ],
      },
      /different lengths/,
    ],
  ])('openai answer with %s: upstream_bad_response', async (_name, body, message) => {
    fake.setHandler((_req, res) => json(res, 200, body));
    const e = await rejection(client({ type: 'openai', baseUrl: fake.url }).embed?.({ texts: ['a', 'b'] }, 'm'));
    expect(e.code).toBe('upstream_bad_response');
    expect(e.provider).toBe('p-openai');
    expect(e.message).toMatch(message);
  });

  it('gemini answer without embeddings: upstream_bad_response', async () => {
    fake.setHandler((_req, res) => json(res, 200, { embedding: { values: [1] } }));
    const e = await rejection(
      client({ type: 'gemini', baseUrl: fake.url }).embed?.({ texts: ['a'] }, 'gemini-embedding-001'),
    );
    expect(e.code).toBe('upstream_bad_response');
  });

  it('timeout: no answer within timeoutMs is a retryable timeout', async () => {
    fake.setHandler(() => undefined);
    const e = await rejection(
      client({ type: 'openai', baseUrl: fake.url }).embed?.({ texts: ['a'] }, 'm', { timeoutMs: 50 }),
    );
    expect([e.code, e.retryable]).toEqual(['timeout', true]);
  });
});
