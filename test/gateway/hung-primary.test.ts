/**
 * A primary that accepts the TCP connection and never answers must not use up the whole budget:
 * with the DEFAULT retry settings the fallback answers, plain and streaming.
 */
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/gateway-harness.js';

let hung: Server;
const held = new Set<Socket>();
let accepted = 0;
let h: Harness;

beforeAll(async () => {
  hung = createServer((socket) => {
    accepted++;
    held.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => held.delete(socket));
    // Read the request, never answer.
    socket.resume();
  });
  await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', resolve));
  const port = (hung.address() as AddressInfo).port;
  // No retry: section at all: the defaults are what is under test.
  h = await startHarness(
    (simUrl) => `providers:
  hung: { type: openai, base_url: "http://127.0.0.1:${port}/v1", api_key: "sk-upstream-secret" }
  backup: { type: openai, base_url: "${simUrl}/v1", api_key: "sk-upstream-secret" }
routes:
  summarize: { targets: { production: hung/sim-chat-2026-01-15 }, fallback: [backup/sim-mini-2026-03-01] }
`,
  );
});
afterAll(async () => {
  await h.close();
  for (const s of held) s.destroy();
  await new Promise<void>((resolve) => hung.close(() => resolve()));
});

const ask = (stream: boolean) =>
  fetch(`${h.gateway.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'summarize', stream, messages: [{ role: 'user', content: 'Say hello' }] }),
  });

describe('a hung primary with the default settings', () => {
  it('is given up after the time-to-first-byte limit and the fallback answers, plain and streaming', async () => {
    const t0 = performance.now();
    const [plain, streamed] = await Promise.all([ask(false), ask(true)]);
    const streamText = await streamed.text();
    const plainBody = (await plain.json()) as { choices: Array<{ message: { content: string } }> };
    const elapsedMs = performance.now() - t0;

    for (const res of [plain, streamed]) {
      expect(res.status).toBe(200);
      expect(res.headers.get('x-modelpin-target')).toBe('backup/sim-mini-2026-03-01');
      // One attempt on the hung primary (not retried: its fallback gets the time), one on the fallback.
      expect(res.headers.get('x-modelpin-attempts')).toBe('2');
    }
    expect(plainBody.choices[0]?.message.content.length).toBeGreaterThan(0);
    expect(streamText).toContain('data: [DONE]');
    expect(accepted).toBeGreaterThanOrEqual(2); // both calls really reached the hung server first
    // The acceptance bound (15 s), checked loosely: the machine running tests may be loaded.
    expect(elapsedMs).toBeLessThan(20_000);
  }, 45_000);
});
