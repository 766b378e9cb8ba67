/** The gateway's own client limits: slow headers, slow bodies and connection floods are cut off. */
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/gateway-harness.js';

const YAML = (limits: string) => (simUrl: string) => `providers:
  sim: { type: openai, base_url: "${simUrl}/v1", api_key: "sk-upstream-secret" }
routes:
  summarize: { targets: { production: sim/sim-chat-2026-01-15 } }
gateway:
${limits}
`;

function open(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1', () => resolve(s));
    s.once('error', reject);
  });
}

/** Everything the server sends until it closes the socket. */
function readUntilClose(s: Socket): Promise<string> {
  return new Promise((resolve) => {
    let out = '';
    s.on('data', (d: Buffer) => (out += d.toString('latin1')));
    s.on('error', () => {});
    s.once('close', () => resolve(out));
  });
}

/** Write `parts` one by one, `gapMs` apart, until the socket closes. */
function trickle(s: Socket, parts: string[], gapMs: number): void {
  let i = 0;
  const t = setInterval(() => {
    if (s.destroyed || i >= parts.length) return clearInterval(t);
    s.write(parts[i++] as string);
  }, gapMs);
  s.once('close', () => clearInterval(t));
}

describe('gateway server limits', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(
      YAML('  headers_timeout_ms: 400\n  request_timeout_ms: 800\n  keep_alive_timeout_ms: 1000\n'),
    );
  });
  afterAll(() => h.close());

  it('answers 408 and disconnects a client that sends its headers too slowly (slow-loris)', async () => {
    const s = await open(h.gateway.port);
    const closed = readUntilClose(s);
    // One header line every 150 ms, for far longer than the 400 ms header limit.
    trickle(
      s,
      [
        'POST /v1/chat/completions HTTP/1.1\r\n',
        'Host: localhost\r\n',
        ...Array.from({ length: 200 }, (_, i) => `x-slow-${i}: 1\r\n`),
      ],
      150,
    );
    const got = await closed;
    expect(got).toMatch(/^HTTP\/1\.1 408/);
  }, 15_000);

  it('answers 408 and disconnects a client that sends its body too slowly', async () => {
    const s = await open(h.gateway.port);
    const closed = readUntilClose(s);
    const body = JSON.stringify({ model: 'summarize', messages: [{ role: 'user', content: 'x'.repeat(200) }] });
    s.write(
      `POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n`,
    );
    // One byte every 100 ms: the whole body would take 25 s, the request limit is 800 ms.
    trickle(s, body.split(''), 100);
    const got = await closed;
    expect(got).toMatch(/^HTTP\/1\.1 408/);
  }, 15_000);

  it('a slow but complete request within the limits is answered', async () => {
    const s = await open(h.gateway.port);
    const closed = readUntilClose(s);
    const body = JSON.stringify({ model: 'summarize', messages: [{ role: 'user', content: 'hi' }] });
    s.write(
      `POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nconnection: close\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n`,
    );
    trickle(s, [body.slice(0, 10), body.slice(10)], 100);
    expect(await closed).toMatch(/^HTTP\/1\.1 200/);
  }, 15_000);

  it('applies the keep-alive limit and advertises it', async () => {
    const res = await fetch(`${h.gateway.url}/healthz`);
    await res.text();
    expect(res.headers.get('keep-alive')).toBe('timeout=1');
  });
});

describe('gateway connection cap', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(YAML('  max_connections: 3\n'));
  });
  afterAll(() => h.close());

  it('closes connections past gateway.max_connections at once and counts them', async () => {
    const held = await Promise.all([open(h.gateway.port), open(h.gateway.port), open(h.gateway.port)]);
    // Half a request on each, so each is a live connection the server is waiting on.
    for (const s of held) s.write('POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\n');
    await new Promise((r) => setTimeout(r, 100));
    const extra = await open(h.gateway.port);
    const got = await readUntilClose(extra);
    expect(got).toBe('');
    for (const s of held) s.destroy();
    await new Promise((r) => setTimeout(r, 100));
    const metrics = await (await fetch(`${h.gateway.url}/metrics`)).text();
    expect(metrics).toMatch(/^modelpin_connections_dropped_total 1$/m);
  });
});

describe('gateway limits in models.yml', () => {
  it('refuses a header limit longer than the request limit', async () => {
    await expect(startHarness(YAML('  headers_timeout_ms: 5000\n  request_timeout_ms: 1000\n'))).rejects.toThrow(
      /headers_timeout_ms cannot be longer than request_timeout_ms/,
    );
  });
});
