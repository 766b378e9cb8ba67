/** Random and malformed bodies to every endpoint: always a JSON error in the right format, and the process stays up. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { ClientWireFormat } from '../../src/wire/canonical.js';
import { startHarness, type Harness } from '../support/gateway-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness(
    () => `providers:
  sim: { type: simulator, fast: true }
routes:
  summarize: { targets: { production: sim/sim-chat-2026-01-15 } }
gateway: { body_limit_bytes: 4096 }
`,
  );
});
afterAll(async () => {
  await h.close();
});

const ENDPOINTS: Array<{ path: string; wire: ClientWireFormat }> = [
  { path: '/v1/chat/completions', wire: 'openai' },
  { path: '/v1/responses', wire: 'openai-responses' },
  { path: '/v1/messages', wire: 'anthropic' },
  { path: '/v1beta/models/summarize:generateContent', wire: 'gemini' },
  { path: '/v1beta/models/summarize:streamGenerateContent?alt=sse', wire: 'gemini' },
  { path: '/v1/embeddings', wire: 'openai' },
  { path: '/v1beta/models/summarize:embedContent', wire: 'gemini' },
  { path: '/v1beta/models/summarize:batchEmbedContents', wire: 'gemini' },
];

function isWireError(wire: ClientWireFormat, body: unknown): boolean {
  const b = body as Record<string, unknown> & { error?: Record<string, unknown> };
  if (!b || typeof b !== 'object' || !b.error || typeof b.error !== 'object') return false;
  // Responses clients get the Chat Completions error body: the SDK parses both the same way.
  if (wire === 'openai' || wire === 'openai-responses')
    return typeof b.error.message === 'string' && typeof b.error.type === 'string';
  if (wire === 'anthropic')
    return b.type === 'error' && typeof b.error.message === 'string' && typeof b.error.type === 'string';
  return typeof b.error.message === 'string' && typeof b.error.code === 'number' && typeof b.error.status === 'string';
}

const body = fc.oneof(
  fc.string(),
  fc.json(),
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc
    .record({ model: fc.oneof(fc.string(), fc.constant('summarize'), fc.integer()), messages: fc.jsonValue() })
    .map((v) => JSON.stringify(v)),
  fc.record({ contents: fc.jsonValue(), generationConfig: fc.jsonValue() }).map((v) => JSON.stringify(v)),
  fc
    .record(
      {
        model: fc.oneof(fc.string(), fc.constant('summarize')),
        input: fc.oneof(
          fc.string(),
          fc.jsonValue(),
          fc.array(
            fc.record({ role: fc.constantFrom('user', 'assistant', 'system', 'robot'), content: fc.jsonValue() }),
          ),
        ),
        tools: fc.jsonValue(),
        text: fc.jsonValue(),
        store: fc.jsonValue(),
      },
      { requiredKeys: ['model', 'input'] },
    )
    .map((v) => JSON.stringify(v)),
  fc
    .record(
      {
        model: fc.oneof(fc.string(), fc.constant('summarize'), fc.integer()),
        input: fc.oneof(
          fc.string(),
          fc.array(fc.string()),
          fc.array(fc.integer()),
          fc.array(fc.array(fc.integer())),
          fc.jsonValue(),
        ),
        encoding_format: fc.oneof(fc.constantFrom('float', 'base64', 'hex'), fc.jsonValue()),
        dimensions: fc.oneof(fc.integer({ min: -2, max: 300 }), fc.double(), fc.jsonValue()),
      },
      { requiredKeys: ['model', 'input'] },
    )
    .map((v) => JSON.stringify(v)),
  fc
    .record(
      {
        model: fc.oneof(fc.constant('models/summarize'), fc.string(), fc.jsonValue()),
        content: fc.oneof(
          fc.record({ parts: fc.array(fc.oneof(fc.record({ text: fc.string() }), fc.jsonValue())) }),
          fc.jsonValue(),
        ),
        outputDimensionality: fc.oneof(fc.integer({ min: -2, max: 300 }), fc.jsonValue()),
        taskType: fc.oneof(fc.constantFrom('TASK_TYPE_UNSPECIFIED', 'RETRIEVAL_QUERY'), fc.jsonValue()),
      },
      { requiredKeys: ['content'] },
    )
    .chain((r) =>
      fc.constantFrom(JSON.stringify(r), JSON.stringify({ requests: [r, r] }), JSON.stringify({ requests: r })),
    ),
  fc.string({ minLength: 4100, maxLength: 5000 }),
);

describe('fuzzed bodies', () => {
  it('every answer is either a success or a JSON error in the endpoint wire format', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ENDPOINTS), body, async (ep, text) => {
        const res = await fetch(`${h.gateway.url}${ep.path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: text,
        });
        const raw = await res.text();
        if (res.status === 200) return; // a random body that happens to be a valid request
        expect(res.status).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
        expect(res.headers.get('content-type')).toContain('application/json');
        expect(isWireError(ep.wire, JSON.parse(raw))).toBe(true);
      }),
      { numRuns: 240, seed: 1234 },
    );
    expect((await fetch(`${h.gateway.url}/healthz`)).status).toBe(200);
  });
});

describe('embeddings property', () => {
  it('any list of non-empty texts gets one vector per text, in order, of the asked length, in either format', async () => {
    const text = fc.string({ minLength: 1, maxLength: 40 });
    await fc.assert(
      fc.asyncProperty(
        fc.array(text, { minLength: 1, maxLength: 8 }),
        fc.option(fc.integer({ min: 1, max: 256 }), { nil: undefined }),
        fc.boolean(),
        async (texts, dims, viaGemini) => {
          const res = viaGemini
            ? await fetch(`${h.gateway.url}/v1beta/models/summarize:batchEmbedContents`, {
                method: 'POST',
                headers: { 'content-type': 'application/json' },
                body: JSON.stringify({
                  requests: texts.map((t) => ({
                    content: { parts: [{ text: t }] },
                    ...(dims ? { outputDimensionality: dims } : {}),
                  })),
                }),
              })
            : await fetch(`${h.gateway.url}/v1/embeddings`, {
                method: 'POST',
                headers: { 'content-type': 'application/json' },
                body: JSON.stringify({
                  model: 'summarize',
                  input: texts,
                  encoding_format: 'float',
                  ...(dims ? { dimensions: dims } : {}),
                }),
              });
          expect(res.status).toBe(200);
          const body = (await res.json()) as {
            data?: Array<{ index: number; embedding: number[] }>;
            embeddings?: Array<{ values: number[] }>;
          };
          const vectors = viaGemini
            ? (body.embeddings ?? []).map((e) => e.values)
            : (body.data ?? []).map((d) => d.embedding);
          expect(vectors).toHaveLength(texts.length);
          if (!viaGemini) expect(body.data?.map((d) => d.index)).toEqual(texts.map((_, i) => i));
          for (const v of vectors) {
            expect(v).toHaveLength(dims ?? 256);
            expect(v.every((x) => Number.isFinite(x))).toBe(true);
          }
        },
      ),
      { numRuns: 60, seed: 4321 },
    );
  });
});
