/**
 * Host and Origin checks. Requests go to 127.0.0.1 with a chosen Host header: no name is resolved.
 * node:http is the client because fetch may not set Host.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/gateway-harness.js';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function send(
  port: number,
  o: { method?: string; path?: string; headers?: Record<string, string>; body?: string },
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: o.method ?? 'POST',
        path: o.path ?? '/v1/chat/completions',
        headers: o.headers ?? {},
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(o.body);
  });
}

const CHAT = JSON.stringify({ model: 'summarize', messages: [{ role: 'user', content: 'hi' }] });
const MESSAGES = JSON.stringify({ model: 'summarize', max_tokens: 20, messages: [{ role: 'user', content: 'hi' }] });
const GEMINI = JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }] });

const YAML = (gateway: string) => () => `providers:
  sim: { type: simulator, fast: true }
routes:
  summarize: { targets: { production: sim/sim-chat-2026-01-15 } }
gateway:
${gateway}
`;

describe('auth: none (default) answers loopback names only', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(YAML('  auth: none\n  cors: { allowed_origins: ["http://localhost:5173"] }\n'));
  });
  afterAll(() => h.close());

  it('refuses a foreign Host with a foreign Origin and a text/plain body (the drive-by page) with 403', async () => {
    const a = await send(h.gateway.port, {
      headers: { host: 'attacker.example', origin: 'http://attacker.example', 'content-type': 'text/plain' },
      body: CHAT,
    });
    expect(a.status).toBe(403);
    expect(JSON.parse(a.body)).toMatchObject({
      error: {
        type: 'permission_error',
        message: expect.stringMatching(/Host "attacker.example" is not a loopback name/),
      },
    });
    expect(a.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('refuses a foreign Host without Origin (DNS rebinding), in each caller format', async () => {
    const port = h.gateway.port;
    const host = `rebind.example:${port}`;
    const chat = await send(port, { headers: { host, 'content-type': 'application/json' }, body: CHAT });
    expect(chat.status).toBe(403);
    expect(JSON.parse(chat.body)).toMatchObject({ error: { type: 'permission_error' } });
    const msgs = await send(port, {
      path: '/v1/messages',
      headers: { host, 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
      body: MESSAGES,
    });
    expect(msgs.status).toBe(403);
    expect(JSON.parse(msgs.body)).toMatchObject({ type: 'error', error: { type: 'permission_error' } });
    const gem = await send(port, {
      path: '/v1beta/models/summarize:generateContent',
      headers: { host, 'content-type': 'application/json' },
      body: GEMINI,
    });
    expect(gem.status).toBe(403);
    expect(JSON.parse(gem.body)).toMatchObject({ error: { code: 403, status: 'PERMISSION_DENIED' } });
    const metrics = await send(port, { method: 'GET', path: '/metrics', headers: { host } });
    expect(metrics.status).toBe(403);
  });

  it('answers localhost, 127.0.0.1 and [::1] with any port', async () => {
    const port = h.gateway.port;
    for (const host of [`localhost:${port}`, 'localhost', `127.0.0.1:${port}`, `[::1]:${port}`, 'LOCALHOST:1']) {
      const a = await send(port, { headers: { host, 'content-type': 'application/json' }, body: CHAT });
      expect(a.status, host).toBe(200);
    }
  });

  it('refuses a foreign Origin even with a loopback Host', async () => {
    const a = await send(h.gateway.port, {
      headers: { host: '127.0.0.1', origin: 'http://attacker.example', 'content-type': 'text/plain' },
      body: CHAT,
    });
    expect(a.status).toBe(403);
    expect(JSON.parse(a.body).error.message).toMatch(
      /cross-origin request from "http:\/\/attacker.example" refused.*gateway.cors.allowed_origins/,
    );
    const nul = await send(h.gateway.port, {
      headers: { host: '127.0.0.1', origin: 'null', 'content-type': 'text/plain' },
      body: CHAT,
    });
    expect(nul.status).toBe(403);
  });

  it('accepts its own origin (same Host)', async () => {
    const port = h.gateway.port;
    const a = await send(port, {
      headers: { host: `127.0.0.1:${port}`, origin: `http://127.0.0.1:${port}`, 'content-type': 'application/json' },
      body: CHAT,
    });
    expect(a.status).toBe(200);
  });

  it('answers a CORS preflight from a listed origin, and its request with CORS headers', async () => {
    const port = h.gateway.port;
    const pre = await send(port, {
      method: 'OPTIONS',
      headers: {
        host: `localhost:${port}`,
        origin: 'http://localhost:5173',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type, x-stainless-os',
      },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers['access-control-allow-origin']).toBe('http://localhost:5173');
    expect(pre.headers['access-control-allow-methods']).toMatch(/POST/);
    expect(pre.headers['access-control-allow-headers']).toBe('authorization, content-type, x-stainless-os');
    expect(pre.headers['access-control-max-age']).toBe('600');
    const a = await send(port, {
      headers: { host: `localhost:${port}`, origin: 'http://localhost:5173', 'content-type': 'application/json' },
      body: CHAT,
    });
    expect(a.status).toBe(200);
    expect(a.headers['access-control-allow-origin']).toBe('http://localhost:5173');
    expect(a.headers['vary']).toBe('Origin');
    expect(String(a.headers['access-control-expose-headers'])).toMatch(/x-modelpin-route/);
  });

  it('refuses a preflight from an origin that is not listed', async () => {
    const pre = await send(h.gateway.port, {
      method: 'OPTIONS',
      headers: { host: 'localhost', origin: 'http://localhost:6000', 'access-control-request-method': 'POST' },
    });
    expect(pre.status).toBe(403);
    expect(pre.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('auth: keys behind a reverse proxy', () => {
  it('answers any Host when allowed_hosts is unset', async () => {
    const h = await startHarness(YAML('  auth: keys\n  keys: [{ id: app, key: "${GW_KEY}" }]\n'));
    try {
      const a = await send(h.gateway.port, {
        headers: {
          host: 'gateway.internal',
          'content-type': 'application/json',
          authorization: 'Bearer client-secret-1',
        },
        body: CHAT,
      });
      expect(a.status).toBe(200);
    } finally {
      await h.close();
    }
  });

  it('answers only the listed names when allowed_hosts is set', async () => {
    const h = await startHarness(
      YAML('  auth: keys\n  allowed_hosts: [gateway.internal]\n  keys: [{ id: app, key: "${GW_KEY}" }]\n'),
    );
    try {
      const headers = { 'content-type': 'application/json', authorization: 'Bearer client-secret-1' };
      expect(
        (await send(h.gateway.port, { headers: { ...headers, host: 'gateway.internal:443' }, body: CHAT })).status,
      ).toBe(200);
      const other = await send(h.gateway.port, { headers: { ...headers, host: 'other.internal' }, body: CHAT });
      expect(other.status).toBe(403);
      expect(JSON.parse(other.body).error.message).toMatch(/not in gateway.allowed_hosts/);
    } finally {
      await h.close();
    }
  });
});

describe('cors settings', () => {
  it('refuses allowed_origins: * with auth: none', async () => {
    await expect(startHarness(YAML('  cors: { allowed_origins: ["*"] }\n'))).rejects.toThrow(
      /would let any web page spend the provider keys/,
    );
  });
});
