/** Random and malformed bodies to every endpoint: always a JSON error in the right format, and the process stays up. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { ClientWireFormat } from '../../src/wire/canonical.js';
import { startHarness, type Harness } from './helpers/setup.js';

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
];

function isWireError(wire: ClientWireFormat, body: unknown): boolean {
  const b = body as Record<string, unknown> & { error?: Record<string, unknown> };
  if (!b || typeof b !== 'object' || !b.error || typeof b.error !== 'object') return false;
  // Responses clients get the Chat Completions error body: the SDK parses both the same way.
  if (wire === 'openai' || wire === 'openai-responses') return typeof b.error.message === 'string' && typeof b.error.type === 'string';
  if (wire === 'anthropic') return b.type === 'error' && typeof b.error.message === 'string' && typeof b.error.type === 'string';
  return typeof b.error.message === 'string' && typeof b.error.code === 'number' && typeof b.error.status === 'string';
}

const body = fc.oneof(
  fc.string(),
  fc.json(),
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.record({ model: fc.oneof(fc.string(), fc.constant('summarize'), fc.integer()), messages: fc.jsonValue() }).map((v) => JSON.stringify(v)),
  fc.record({ contents: fc.jsonValue(), generationConfig: fc.jsonValue() }).map((v) => JSON.stringify(v)),
  fc
    .record(
      {
        model: fc.oneof(fc.string(), fc.constant('summarize')),
        input: fc.oneof(fc.string(), fc.jsonValue(), fc.array(fc.record({ role: fc.constantFrom('user', 'assistant', 'system', 'robot'), content: fc.jsonValue() }))),
        tools: fc.jsonValue(),
        text: fc.jsonValue(),
        store: fc.jsonValue(),
      },
      { requiredKeys: ['model', 'input'] },
    )
    .map((v) => JSON.stringify(v)),
  fc.string({ minLength: 4100, maxLength: 5000 }),
);

describe('fuzzed bodies', () => {
  it('every answer is either a success or a JSON error in the endpoint wire format', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ENDPOINTS), body, async (ep, text) => {
        const res = await fetch(`${h.gateway.url}${ep.path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: text });
        const raw = await res.text();
        if (res.status === 200) return; // a random body that happens to be a valid request
        expect(res.status).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
        expect(res.headers.get('content-type')).toContain('application/json');
        expect(isWireError(ep.wire, JSON.parse(raw))).toBe(true);
      }),
      { numRuns: 150, seed: 1234 },
    );
    expect((await fetch(`${h.gateway.url}/healthz`)).status).toBe(200);
  });
});
