import { rmSync } from 'node:fs';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { UsageError } from '../../src/core/errors.js';
import { tokenMatches } from '../../src/http/token.js';
import { createDashboardServer, type DashboardServer } from '../../src/dashboard/server.js';
import type { Store } from '../../src/store/types.js';
import { NOW, seededStore } from './seed.js';

const TOKEN = 'dash-token-7f3a9c';
let store: Store;
let dir: string;
let server: DashboardServer;

beforeAll(async () => {
  ({ store, dir } = await seededStore());
  server = await createDashboardServer({
    store,
    clock: new ManualClock(NOW),
    port: 0,
    host: '127.0.0.1',
    token: TOKEN,
  });
});
afterAll(async () => {
  await server.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function status(
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; text: string; auth: string | null }> {
  const res = await fetch(new URL(path, server.url), { headers });
  return { status: res.status, text: await res.text(), auth: res.headers.get('www-authenticate') };
}

describe('dashboard with a token', () => {
  it('refuses the API and the page without a token', async () => {
    const api = await status('/api/usage');
    expect(api.status).toBe(401);
    expect(api.auth).toMatch(/^Bearer/);
    expect(JSON.parse(api.text)).toMatchObject({ error: { code: 'unauthorized' } });
    expect((await status('/')).status).toBe(401);
  });

  it('refuses a wrong token, in the header or the query', async () => {
    expect((await status('/api/state', { authorization: 'Bearer wrong' })).status).toBe(401);
    expect((await status(`/api/state?token=${TOKEN}x`)).status).toBe(401);
    expect((await status('/api/state', { authorization: `Bearer ${TOKEN.slice(0, -1)}` })).status).toBe(401);
  });

  it('accepts the Bearer header and ?token=, and never echoes the token', async () => {
    const header = await status('/api/usage', { authorization: `Bearer ${TOKEN}` });
    expect(header.status).toBe(200);
    expect(JSON.parse(header.text)).toMatchObject({ requests: 7 });
    const query = await status(`/api/history?token=${TOKEN}&days=3`);
    expect(query.status).toBe(200);
    const page = await status(`/?token=${TOKEN}`);
    expect(page.status).toBe(200);
    for (const r of [header, query, page]) expect(r.text).not.toContain(TOKEN);
  });

  it('still validates params once authenticated', async () => {
    const r = await status(`/api/usage?token=${TOKEN}&by=nope`);
    expect(r.status).toBe(400);
    expect(JSON.parse(r.text)).toMatchObject({ error: { param: 'by' } });
  });

  it('with a token, any Host header is fine (the token is the guard)', async () => {
    const u = new URL('/api/state', server.url);
    const code = await new Promise<number>((resolve, reject) => {
      const req = request(
        {
          host: u.hostname,
          port: u.port,
          path: u.pathname,
          headers: { host: 'dash.example.com', authorization: `Bearer ${TOKEN}` },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(code).toBe(200);
  });
});

describe('binding rules', () => {
  it('refuses a non-loopback host without a token', async () => {
    await expect(
      createDashboardServer({ store, clock: new ManualClock(NOW), port: 0, host: '0.0.0.0' }),
    ).rejects.toThrow(UsageError);
    await expect(
      createDashboardServer({ store, clock: new ManualClock(NOW), port: 0, host: '0.0.0.0' }),
    ).rejects.toThrow(/non-loopback host 0\.0\.0\.0/);
  });

  it('serves a non-loopback host when a token is set', async () => {
    const s = await createDashboardServer({
      store,
      clock: new ManualClock(NOW),
      port: 0,
      host: '0.0.0.0',
      token: TOKEN,
    });
    try {
      const url = s.url.replace('0.0.0.0', '127.0.0.1');
      expect((await fetch(new URL('/api/usage', url))).status).toBe(401);
      expect((await fetch(new URL('/api/usage', url), { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(
        200,
      );
    } finally {
      await s.close();
    }
  });

  it('compares tokens by digest (any length, empty never matches)', () => {
    expect(tokenMatches(TOKEN, TOKEN)).toBe(true);
    expect(tokenMatches('short', TOKEN)).toBe(false);
    expect(tokenMatches('', '')).toBe(false);
  });
});
