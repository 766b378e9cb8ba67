/**
 * `modelpin serve` as a child process, hammered by keep-alive clients while it gets SIGTERM: every
 * request either gets its answer or is refused a new connection; no connection is reset under a
 * request, and answers during the drain say `Connection: close`.
 */
import { Agent, request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, writeConfig } from '../support/gateway-harness.js';
import { startServe } from '../support/serve-process.js';
import { startSlowOpenAi, type SlowOpenAi } from '../support/slow-openai.js';

interface Tally {
  ok: number;
  closeHeader: number;
  errors: Record<string, number>;
}

function post(agent: Agent, port: number, tally: Tally): Promise<boolean> {
  const body = JSON.stringify({ model: 'summarize', messages: [{ role: 'user', content: 'hi' }] });
  return new Promise((resolvePost) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/v1/chat/completions',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        res.resume();
        res.on('end', () => {
          if (res.statusCode === 200) tally.ok++;
          if (res.headers.connection === 'close') tally.closeHeader++;
          resolvePost(true);
        });
        res.on('error', (e: NodeJS.ErrnoException) => {
          tally.errors[e.code ?? e.message] = (tally.errors[e.code ?? e.message] ?? 0) + 1;
          resolvePost(false);
        });
      },
    );
    req.on('error', (e: NodeJS.ErrnoException) => {
      tally.errors[e.code ?? e.message] = (tally.errors[e.code ?? e.message] ?? 0) + 1;
      resolvePost(false);
    });
    req.end(body);
  });
}

describe('SIGTERM with keep-alive clients', () => {
  let upstream: SlowOpenAi;
  beforeAll(async () => {
    // A few milliseconds each, so requests are in flight at SIGTERM.
    upstream = await startSlowOpenAi(() => 5 + Math.floor(Math.random() * 10));
  });
  afterAll(() => upstream.close());

  it('resets no connection: answers in flight finish with Connection: close, later ones are refused', async () => {
    const upUrl = upstream.url;
    const config = writeConfig(
      `providers:
  up: { type: openai, base_url: "${upUrl}/v1", api_key: "sk-test-upstream" }
routes:
  summarize: { targets: { production: up/model-2026-01-01 } }
store: { type: sqlite, path: usage.db }
`,
    );
    const serve = await startServe(config, { args: ['--no-extensions'] });
    const port = serve.port;

    const tally: Tally = { ok: 0, closeHeader: 0, errors: {} };
    const agent = new Agent({ keepAlive: true, maxSockets: 24 });
    let stop = false;
    // 24 workers, each sending its next request on its keep-alive socket as soon as the last answer is in.
    const workers = Array.from({ length: 24 }, async () => {
      while (!stop) {
        const ok = await post(agent, port, tally);
        if (!ok && tally.errors['ECONNREFUSED']) return;
      }
    });
    while (tally.ok < 300) await new Promise((r) => setTimeout(r, 20));
    const code = await serve.stop();
    stop = true;
    await Promise.all(workers);
    agent.destroy();

    expect(code, serve.stderr()).toBe(0);
    expect(tally.ok).toBeGreaterThanOrEqual(300);
    // Requests that reached the gateway during the drain were answered, and told the client to let go.
    expect(tally.closeHeader).toBeGreaterThan(0);
    expect(tally.errors['ECONNRESET'] ?? 0, JSON.stringify(tally.errors)).toBe(0);
    // Anything else is a refused new connection once the gateway stopped listening.
    expect(
      Object.keys(tally.errors).filter((k) => k !== 'ECONNREFUSED'),
      JSON.stringify(tally.errors),
    ).toEqual([]);
  }, 60_000);
});

describe('a request on a kept-alive connection during the drain', () => {
  it('is answered, plain and streaming, with Connection: close', async () => {
    const h = await startHarness(
      () => `providers:
  sim: { type: simulator, fast: true }
routes:
  summarize: { targets: { production: sim/sim-chat-2026-01-15 } }
`,
    );
    const agent = new Agent({ keepAlive: true, maxSockets: 2 });
    const call = (stream: boolean) =>
      new Promise<{ status: number; connection: string | undefined; body: string }>((resolveCall, reject) => {
        const body = JSON.stringify({ model: 'summarize', stream, messages: [{ role: 'user', content: 'hi' }] });
        const req = request(
          {
            host: '127.0.0.1',
            port: h.gateway.port,
            method: 'POST',
            path: '/v1/chat/completions',
            agent,
            headers: { 'content-type': 'application/json' },
          },
          (res) => {
            let text = '';
            res.on('data', (d: Buffer) => (text += d.toString()));
            res.on('end', () =>
              resolveCall({ status: res.statusCode ?? 0, connection: res.headers.connection, body: text }),
            );
          },
        );
        req.on('error', reject);
        req.end(body);
      });
    try {
      // Two sockets, both open and idle when the drain starts.
      const warm = await Promise.all([call(false), call(false)]);
      expect(warm.map((w) => w.connection)).toEqual(['keep-alive', 'keep-alive']);
      const closing = h.close();
      const [plain, streamed] = await Promise.all([call(false), call(true)]);
      await closing;
      expect([plain.status, plain.connection]).toEqual([200, 'close']);
      expect([streamed.status, streamed.connection]).toEqual([200, 'close']);
      expect(streamed.body).toMatch(/data: \[DONE\]/);
    } finally {
      agent.destroy();
    }
  });
});
