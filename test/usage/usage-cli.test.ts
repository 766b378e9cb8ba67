import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open.js';
import { T0, usage } from '../store/fixtures.js';
import { runUsageCli } from './cli-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'modelpin-usage-cli-'));
const NOW = T0 + 3_600_000;

beforeAll(async () => {
  writeFileSync(join(dir, 'models.yml'), 'version: 1\nstore:\n  type: sqlite\n  path: data/mp.db\n');
  const store = await openStore({ type: 'sqlite', path: 'data/mp.db' }, { baseDir: dir });
  await store.insertUsage([
    usage({ ts: T0, latencyMs: 100, costUsd: 0.001 }),
    usage({ ts: T0 + 1, latencyMs: 300, costUsd: 0.003 }),
    usage({
      ts: T0 + 2,
      servedModel: 'sim-chat-2026-11-25',
      target: 'sim/sim-chat-latest',
      costUsd: null,
      status: 502,
      errorCode: 'upstream_error',
      arm: 'canary',
    }),
    usage({ ts: T0 - 3 * 86_400_000, route: 'old' }),
    usage({ ts: T0 + 2 * 3_600_000, route: 'future' }),
  ]);
  await store.insertSentinelEvent({
    ts: T0 + 2,
    route: 'summarize',
    target: 'sim/sim-chat-latest',
    kind: 'served_model_changed',
    previous: 'sim-chat-2026-01-15',
    current: 'sim-chat-2026-11-25',
  });
  await store.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('modelpin usage', () => {
  it('prints --json rows for the window from models.yml in cwd', async () => {
    const r = await runUsageCli(['usage', '--json'], { now: NOW, cwd: dir });
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as {
      by: string;
      requests: number;
      rows: Array<Record<string, unknown>>;
      alerts: Array<Record<string, unknown>>;
      since: string;
      store: string;
    };
    expect(j.by).toBe('served-model');
    expect(j.requests).toBe(3);
    expect(j.since).toBe(new Date(NOW - 86_400_000).toISOString());
    expect(j.store).toContain(join(dir, 'data/mp.db'));
    expect(j.rows.map((x) => [x.key, x.requests, x.costKnownRequests, x.costUsd])).toEqual([
      ['sim-chat-2026-01-15', 2, 2, 0.004],
      ['sim-chat-2026-11-25', 1, 0, null],
    ]);
    // Percentiles come from rollup histograms, within 2% of the exact values.
    expect(j.rows[0]).toMatchObject({
      p50LatencyMs: expect.closeTo(100, -0.5),
      p95LatencyMs: expect.closeTo(300, -0.9),
      errorRate: 0,
    });
    expect(j.rows[1]).toMatchObject({ errors: 1, errorRate: 1, costPerRequestUsd: null });
    expect(j.alerts).toEqual([
      {
        ts: T0 + 2,
        route: 'summarize',
        target: 'sim/sim-chat-latest',
        kind: 'served_model_changed',
        previous: 'sim-chat-2026-01-15',
        current: 'sim-chat-2026-11-25',
      },
    ]);
  });

  it('prints a side-by-side table with the alerts under it', async () => {
    const r = await runUsageCli(['usage', '--config', join(dir, 'models.yml'), '--by', 'target', '--since', '7d'], {
      now: NOW,
      cwd: tmpdir(),
    });
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/target\s+requests\s+errors\s+p50\s+p95/);
    expect(r.out).toMatch(/sim\/sim-chat-latest\s+1\s+1 \(100\.0%\).*unknown/);
    expect(r.out).toContain('4 requests');
    expect(r.out).toMatch(/sim\/sim-chat-2026-01-15\s+3\s/);
    expect(r.out).toContain('served model changed sim-chat-2026-01-15 -> sim-chat-2026-11-25');
  });

  it('filters by route and reads --store directly', async () => {
    const r = await runUsageCli(
      [
        'usage',
        '--store',
        join(dir, 'data/mp.db'),
        '--route',
        'old',
        '--since',
        '2026-11-01',
        '--by',
        'route',
        '--json',
      ],
      { now: NOW, cwd: tmpdir() },
    );
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as { rows: Array<{ key: string }>; alerts: unknown[] };
    expect(j.rows.map((x) => x.key)).toEqual(['old']);
    expect(j.alerts).toEqual([]);
  });

  it('--interval shows each version per bucket, in the table and in --json', async () => {
    const r = await runUsageCli(['usage', '--since', '7d', '--interval', '1d'], { now: NOW, cwd: dir });
    expect(r.code).toBe(0);
    expect(r.out).toContain('Per 1d:');
    expect(r.out).toMatch(/2026-11-20\s+sim-chat-2026-01-15\s+1\s+0\.0%/);
    expect(r.out).toMatch(/2026-11-23\s+sim-chat-2026-11-25\s+1\s+100\.0%.*unknown/);
    const j = JSON.parse(
      (await runUsageCli(['usage', '--since', '7d', '--interval', '1d', '--json'], { now: NOW, cwd: dir })).out,
    ) as {
      series: {
        bucketMs: number;
        starts: number[];
        series: Array<{ key: string; points: Array<{ requests: number } | null> }>;
      };
    };
    expect(j.series.bucketMs).toBe(86_400_000);
    expect(j.series.starts).toHaveLength(8);
    const pinned = j.series.series.find((l) => l.key === 'sim-chat-2026-01-15');
    expect(pinned?.points.map((p) => p?.requests ?? 0)).toEqual([0, 0, 0, 0, 1, 0, 0, 2]);
  });

  it('exits 2 with one clear line on bad input', async () => {
    const bad = [
      [['usage', '--by', 'model'], /--by "model" is not one of: served-model, route, target, arm/],
      [['usage', '--since', 'yesterday'], /--since "yesterday" is not a duration/],
      [['usage', '--config', join(dir, 'models.yml'), '--interval', 'daily'], /interval "daily" is not a bucket size/],
      [
        ['usage', '--config', join(dir, 'models.yml'), '--since', '30d', '--interval', '1m'],
        /makes \d+ buckets; the limit is 1000/,
      ],
      [['usage', '--store', join(dir, 'nope.db')], /cannot read store: store .*nope\.db does not exist/],
      [['usage', '--store', join(dir, 'models.yml')], /not a SQLite database or is corrupt/],
      [['usage'], /no models\.yml in/],
      [['usage', '--store', 'postgres://u:hunter2pw@127.0.0.1:1/x'], /cannot reach PostgreSQL at 127\.0\.0\.1:1\/x/],
    ] as const;
    // An empty directory of its own: the shared temp dir may hold anyone's models.yml.
    const empty = mkdtempSync(join(tmpdir(), 'mp-usage-empty-'));
    for (const [args, re] of bad) {
      const r = await runUsageCli([...args], { now: NOW, cwd: empty });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err).toMatch(re);
      expect(r.err.trim().split('\n')).toHaveLength(1);
      expect(r.err).not.toContain('hunter2pw');
    }
  });

  it('has --help', async () => {
    const r = await runUsageCli(['usage', '--help'], { now: NOW, cwd: dir });
    expect(r.code).toBe(0);
    expect(r.out).toContain('--since <when>');
  });
});
