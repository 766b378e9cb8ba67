import { rmSync } from 'node:fs';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { createDashboardServer, type DashboardServer } from '../../src/dashboard/server.js';
import type { Store } from '../../src/store/types.js';
import { T0 } from '../store/fixtures.js';
import { CANDIDATE, NOW, seededStore, STABLE } from './seed.js';

/** Percentiles come from rollup histograms, within 2% of the exact value: compared at two significant figures. */
const sig2 = (v: unknown): number | null => (typeof v === 'number' ? Number(v.toPrecision(2)) : null);

let store: Store;
let dir: string;
let server: DashboardServer;

beforeAll(async () => {
  ({ store, dir } = await seededStore());
  server = await createDashboardServer({ store, clock: new ManualClock(NOW), port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await server.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function get(
  path: string,
  init?: RequestInit,
): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const res = await fetch(new URL(path, server.url), init);
  return { status: res.status, body: (await res.json()) as Record<string, unknown>, headers: res.headers };
}

type Row = Record<string, unknown> & { key: string };

describe('GET /api/usage', () => {
  it('aggregates per served model over the default 24h window', async () => {
    const { status, body } = await get('/api/usage');
    expect(status).toBe(200);
    expect(body).toMatchObject({
      by: 'served-model',
      window: '24h',
      requests: 7,
      route: null,
      since: new Date(NOW - 86_400_000).toISOString(),
    });
    expect(body.routes).toEqual(['classify', 'summarize']);
    const rows = body.rows as Row[];
    expect(
      rows.map((r) => [
        r.key,
        r.requests,
        r.errors,
        sig2(r.p50LatencyMs),
        sig2(r.p95LatencyMs),
        r.inputTokens,
        r.outputTokens,
      ]),
    ).toEqual([
      ['sim-chat-2026-01-15', 4, 0, 200, 400, 400, 200],
      ['sim-chat-2026-12-10', 2, 1, 150, 250, 180, 80],
      ['sim-mini-2026-03-01', 1, 0, 80, 80, 20, 5],
    ]);
    expect(rows[0]?.costUsd).toBeCloseTo(0.004, 10);
    expect(rows[0]?.costPerRequestUsd).toBeCloseTo(0.001, 10);
    expect(rows[1]?.errorRate).toBe(0.5);
    expect(rows[1]?.costPerRequestUsd).toBeCloseTo(0.0008, 10);
    // Unknown price stays null (the page says "unknown"), never 0.
    expect(rows[2]).toMatchObject({ costUsd: null, costPerRequestUsd: null, costKnownRequests: 0 });
  });

  it('groups by canary arm and by target, filtered to a route', async () => {
    const arm = await get('/api/usage?by=arm&route=summarize');
    expect(arm.body.requests).toBe(6);
    expect((arm.body.rows as Row[]).map((r) => [r.key, r.requests, r.errorRate])).toEqual([
      ['stable', 4, 0],
      ['canary', 2, 0.5],
    ]);
    // The selector still lists every route with traffic, not just the filtered one.
    expect(arm.body.routes).toEqual(['classify', 'summarize']);
    const target = await get('/api/usage?by=target');
    expect((target.body.rows as Row[]).map((r) => [r.key, r.requests, r.servedModels])).toEqual([
      [STABLE, 4, ['sim-chat-2026-01-15']],
      [CANDIDATE, 2, ['sim-chat-2026-12-10']],
      ['sim/sim-mini-2026-03-01', 1, ['sim-mini-2026-03-01']],
    ]);
  });

  it('widens the window with since and never includes the future', async () => {
    const { body } = await get('/api/usage?since=7d&by=route');
    expect(body.window).toBe('7d');
    expect((body.rows as Row[]).map((r) => [r.key, r.requests])).toEqual([
      ['summarize', 6],
      ['classify', 1],
      ['old', 1],
    ]);
  });
});

describe('GET /api/usage trend', () => {
  type Trend = {
    by: string;
    bucketMs: number;
    starts: number[];
    series: Array<{ key: string; points: Array<Record<string, number | null> | null> }>;
  };
  it('carries the same grouping per bucket, the bucket chosen from the window', async () => {
    const { body } = await get('/api/usage?since=7d&by=route');
    const t = body.trend as Trend;
    expect(t.by).toBe('route');
    expect(t.bucketMs).toBe(6 * 3_600_000);
    expect(t.series.map((s) => s.key)).toEqual(['summarize', 'classify', 'old']);
    const counts = (key: string) => (t.series.find((s) => s.key === key)?.points ?? []).map((p) => p?.requests ?? 0);
    expect(counts('summarize').reduce((a, b) => a + b, 0)).toBe(6);
    // The 'old' route's one request sits three days before the others, in its own bucket.
    expect(counts('old').findIndex((n) => n > 0)).toBeLessThan(counts('summarize').findIndex((n) => n > 0));
  });

  it('takes an interval, and per-bucket cost stays unknown where no price is known', async () => {
    const { body } = await get('/api/usage?interval=1h');
    const t = body.trend as Trend;
    expect(t.bucketMs).toBe(3_600_000);
    // NOW is on the hour and the window includes NOW itself, so the bucket starting at NOW is the 25th.
    expect(t.starts).toHaveLength(25);
    const mini = t.series.find((s) => s.key === 'sim-mini-2026-03-01');
    const p = mini?.points.find((x) => x !== null);
    expect(p).toMatchObject({ requests: 1, costPerRequestUsd: null, outputTokensPerRequest: 5 });
    const stable = t.series.find((s) => s.key === 'sim-chat-2026-01-15')?.points.find((x) => x !== null);
    expect({ ...stable, p95LatencyMs: sig2(stable?.p95LatencyMs ?? null) }).toMatchObject({
      requests: 4,
      p95LatencyMs: 400,
      outputTokensPerRequest: 50,
    });
  });
});

describe('GET /api/state', () => {
  it('shows overrides, canaries with both arms, alerts in the window and redacted audit', async () => {
    const { status, body } = await get('/api/state');
    expect(status).toBe(200);
    const overrides = body.overrides as Array<Record<string, unknown>>;
    expect(overrides.map((o) => [o.route, o.target, o.active])).toEqual([
      ['classify', STABLE, false],
      ['summarize', 'sim/sim-mini-2026-03-01', true],
    ]);
    const canaries = body.canaries as Array<{
      record: Record<string, unknown>;
      stable: Record<string, unknown>;
      canary: Record<string, unknown>;
      next: Record<string, unknown>;
    }>;
    expect(canaries.map((c) => [c.record.route, c.record.status, c.record.percent, c.record.reason])).toEqual([
      ['summarize', 'running', 10, null],
      ['classify', 'rolled_back', 0, 'error rate 40.0% vs stable 0.0%'],
    ]);
    expect({ ...canaries[0]?.stable, p95LatencyMs: sig2(canaries[0]?.stable.p95LatencyMs ?? null) }).toMatchObject({
      samples: 4,
      errors: 0,
      p95LatencyMs: 400,
    });
    expect({ ...canaries[0]?.canary, p95LatencyMs: sig2(canaries[0]?.canary.p95LatencyMs ?? null) }).toMatchObject({
      samples: 2,
      errors: 1,
      errorRate: 0.5,
      p95LatencyMs: 250,
    });
    expect(canaries[0]?.next.action).toBe('hold');
    expect(body.sentinel).toEqual([
      {
        ts: T0,
        route: 'summarize',
        target: 'sim/sim-chat-latest',
        kind: 'served_model_changed',
        previous: 'sim-chat-2026-01-15',
        current: 'sim-chat-2026-11-25',
      },
    ]);
    const audit = body.audit as Array<{ action: string; detail: Record<string, unknown> }>;
    expect(audit.map((a) => a.action)).toEqual(['canary.start', 'override.set']);
    expect(audit[1]?.detail).toEqual({ target: 'sim/sim-mini-2026-03-01', token: '[redacted]' });
    expect(JSON.stringify(body)).not.toContain('audit-secret-value');
  });

  it('includes older alerts when the window is wider', async () => {
    const { body } = await get('/api/state?since=7d&audit=1');
    expect((body.sentinel as Array<{ kind: string }>).map((e) => e.kind)).toEqual([
      'served_model_changed',
      'alias_moved',
    ]);
    expect(body.audit).toHaveLength(1);
  });
});

describe('GET /api/history', () => {
  it('reports streaks per route and per served snapshot, and runs per day', async () => {
    const { status, body } = await get('/api/history?days=14');
    expect(status).toBe(200);
    expect(body).toMatchObject({ today: '2026-11-23', from: '2026-11-10', days: 14 });
    const routes = body.routes as Array<Record<string, unknown>>;
    expect(routes.map((r) => [r.route, r.env, r.days, r.failingDays])).toEqual([
      ['summarize', 'production', 1, ['2026-11-22']],
      ['summarize', 'staging', 4, []],
    ]);
    const snaps = body.snapshots as Array<Record<string, unknown>>;
    expect(snaps.map((s) => [s.servedModel, s.days])).toEqual([
      ['sim-chat-2026-01-15', 1],
      ['sim-chat-2026-12-10', 4],
    ]);
    const runs = body.runs as Array<Record<string, unknown>>;
    expect(runs).toHaveLength(6);
    expect(runs[0]).toMatchObject({ day: '2026-11-23', env: 'production', passed: true, costUsd: null });
    expect(runs.find((r) => r.day === '2026-11-22' && r.env === 'production')).toMatchObject({
      passed: false,
      passedCases: 7,
      totalCases: 10,
    });
  });

  it('limits runs to the display window but keeps the full streak', async () => {
    const { body } = await get('/api/history?days=2&env=staging');
    expect((body.runs as Array<{ day: string }>).map((r) => r.day)).toEqual(['2026-11-23', '2026-11-22']);
    expect((body.routes as Array<{ days: number }>)[0]?.days).toBe(4);
  });
});

describe('bad requests', () => {
  it.each([
    ['/api/usage?by=model', 'by'],
    ['/api/usage?since=yesterday', 'since'],
    ['/api/usage?route=', 'route'],
    ['/api/usage?colour=red', 'colour'],
    ['/api/usage?by=route&by=arm', 'by'],
    ['/api/usage?interval=weekly', 'interval'],
    ['/api/usage?since=30d&interval=1m', 'interval'],
    ['/api/state?audit=-1', 'audit'],
    ['/api/history?days=0', 'days'],
    ['/api/history?days=abc', 'days'],
  ])('%s -> 400 naming %s', async (path, param) => {
    const { status, body } = await get(path);
    expect(status).toBe(400);
    const err = body.error as { code: string; param: string; message: string };
    expect(err.code).toBe('bad_request');
    expect(err.param).toBe(param);
    expect(err.message).toContain(`"${param}"`);
  });

  it('answers unknown paths with 404 and writes with 405', async () => {
    expect((await get('/api/nope')).status).toBe(404);
    // `//` is a valid HTTP request target that the URL parser refuses: a 404, not an internal error.
    const unreadable = await fetch(`${server.url}//`);
    expect(unreadable.status).toBe(404);
    expect(((await unreadable.json()) as { error: { code: string } }).error.code).toBe('not_found');
    const post = await get('/api/usage', { method: 'POST', body: '{}' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });

  it('refuses a Host header that is not loopback (DNS rebinding)', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const u = new URL('/api/usage', server.url);
      const req = request(
        { host: u.hostname, port: u.port, path: u.pathname, headers: { host: 'evil.example:8790' } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(403);
  });
});

describe('GET /api/version (drill-down)', () => {
  it("lists a version's newest requests first, bounded by limit", async () => {
    const { status, body } = await get('/api/version?key=sim-chat-2026-01-15&limit=3');
    expect(status).toBe(200);
    const reqs = body.requests as Array<{ ts: number; latencyMs: number; status: number }>;
    expect(reqs.map((r) => [r.ts, r.latencyMs])).toEqual([
      [T0 + 3, 400],
      [T0 + 2, 300],
      [T0 + 1, 200],
    ]);
    expect(body).toMatchObject({ by: 'served-model', key: 'sim-chat-2026-01-15', limit: 3 });
  });

  it('filters by target and by route; (none) means no model answered', async () => {
    const byTarget = await get(`/api/version?by=target&key=${encodeURIComponent(CANDIDATE)}`);
    expect(
      (byTarget.body.requests as Array<{ status: number; errorCode: string | null }>).map((r) => [
        r.status,
        r.errorCode,
      ]),
    ).toEqual([
      [502, 'upstream_error'],
      [200, null],
    ]);
    expect((await get('/api/version?key=sim-chat-2026-01-15&route=classify')).body.requests).toEqual([]);
    expect((await get(`/api/version?key=${encodeURIComponent('(none)')}`)).body.requests).toEqual([]);
  });

  it("returns the version's cases from its latest eval runs only", async () => {
    const { body } = await get('/api/version?key=sim-chat-2026-12-10');
    // The seeded runs carry no cases; the count of runs looked at is bounded.
    expect(body.runs).toBe(3);
    expect(body.cases).toEqual([]);
  });

  it.each([
    ['/api/version', 'key'],
    ['/api/version?key=x&limit=0', 'limit'],
    ['/api/version?key=x&limit=201', 'limit'],
    ['/api/version?key=x&by=arm', 'by'],
    ['/api/version?key=x&sort=ts', 'sort'],
  ])('%s names the bad parameter %s', async (path, param) => {
    const { status, body } = await get(path);
    expect(status).toBe(400);
    expect((body.error as { param: string }).param).toBe(param);
  });
});

describe('the page', () => {
  it('is one self-contained document with a strict CSP', async () => {
    const res = await fetch(server.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toMatch(/script-src 'sha256-[A-Za-z0-9+/=]+'/);
    const html = await res.text();
    expect(html).toContain('<table id="versions">');
    expect(html).toContain('<label for="by">');
    expect(html).toContain('prefers-color-scheme: dark');
    // No external resources of any kind.
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    // The inlined chart library's licence banner names its home; nothing else may appear.
    expect(html.replace('/*! https://github.com/leeoniya/uPlot (v1.6.32) */', '')).not.toMatch(/https?:\/\//);
    // Two inline scripts (chart library, page), each allowed by its own hash; never 'unsafe-inline'.
    expect(csp).toMatch(/script-src 'sha256-[A-Za-z0-9+/=]+' 'sha256-[A-Za-z0-9+/=]+';/);
    expect(csp).not.toContain('unsafe');
    expect(html.match(/<script>/g)).toHaveLength(2);
  });
});
