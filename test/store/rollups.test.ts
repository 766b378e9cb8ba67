import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { histogramPercentile } from '../../src/store/histogram.js';
import { MIGRATIONS, migrationSql } from '../../src/store/migrations.js';
import { openStore, type OpenStoreOptions } from '../../src/store/open.js';
import { DAY_MS, HOUR_MS, MINUTE_MS, rollupRanges, rollupsOf } from '../../src/store/rollup.js';
import type { RollupAggregate, Store, UsageRecord } from '../../src/store/types.js';
import { percentile } from '../../src/usage/percentile.js';
import { summarizeUsage } from '../../src/usage/summarize.js';
import { PG_URL, T0, dropPgSchema, pgSchemaName, usage } from './fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'modelpin-rollups-'));
const schemas: string[] = [];
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  for (const s of schemas) await dropPgSchema(s);
});

/** A varied day of traffic: two routes, two served models, arms, errors, unpriced calls, streams. */
function traffic(n: number, from = T0 - 20 * HOUR_MS, until = T0): UsageRecord[] {
  const step = (until - from) / n;
  return Array.from({ length: n }, (_, i) =>
    usage({
      ts: Math.floor(from + i * step),
      route: i % 3 === 0 ? 'classify' : 'summarize',
      servedModel: i % 5 === 0 ? 'sim-chat-2026-12-10' : 'sim-chat-2026-01-15',
      arm: i % 4 === 0 ? 'canary' : 'stable',
      status: i % 11 === 0 ? 502 : 200,
      errorCode: i % 11 === 0 ? 'upstream_error' : null,
      attempts: i % 13 === 0 ? 2 : 1,
      latencyMs: 50 + ((i * 7919) % 900),
      ttftMs: i % 2 === 0 ? 10 + (i % 40) : null,
      inputTokens: 100 + (i % 17),
      outputTokens: 20 + (i % 29),
      cachedTokens: i % 3,
      cacheWriteTokens: i % 2,
      reasoningTokens: i % 5,
      costUsd: i % 7 === 0 ? null : 0.001 + (i % 10) / 10_000,
      formatValid: i % 6 === 0 ? i % 12 === 0 : null,
      clientKeyId: i % 2 === 0 ? 'team-a' : null,
    }),
  );
}

/** A store as modelpin left it before rollups: migrations 1-5 and raw rows only. */
async function legacySqlite(records: UsageRecord[], opts: OpenStoreOptions = {}): Promise<() => Promise<Store>> {
  const file = join(dir, `legacy-${Math.random().toString(36).slice(2)}.db`);
  const db = new Database(file);
  db.exec(
    'CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at BIGINT NOT NULL)',
  );
  for (const m of MIGRATIONS.filter((x) => x.version <= 5)) {
    db.exec(migrationSql(m, 'sqlite'));
    db.prepare('INSERT INTO schema_version VALUES (?, ?, 0)').run(m.version, m.description);
  }
  const cols = Object.keys(legacyRow(records[0] as UsageRecord));
  const ins = db.prepare(`INSERT INTO usage_records (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`);
  db.transaction(() => {
    for (const r of records)
      ins.run(...Object.values(legacyRow(r)).map((v) => (typeof v === 'boolean' ? (v ? 1 : 0) : v)));
  })();
  db.close();
  return () => openStore({ type: 'sqlite', path: file }, opts);
}

const backends: Array<{
  name: string;
  open: () => Promise<Store>;
  legacy: (records: UsageRecord[]) => Promise<() => Promise<Store>>;
}> = [
  {
    name: 'sqlite',
    open: async () => openStore({ type: 'sqlite', path: join(dir, `s-${Math.random().toString(36).slice(2)}.db`) }),
    legacy: (records) => legacySqlite(records),
  },
  {
    // The gateway's way: usage writes on a writer thread with its own connection, reads on the main one.
    name: 'sqlite with a writer thread',
    open: async () =>
      openStore(
        { type: 'sqlite', path: join(dir, `w-${Math.random().toString(36).slice(2)}.db`) },
        { writerThread: true },
      ),
    legacy: (records) => legacySqlite(records, { writerThread: true }),
  },
  {
    name: 'postgres',
    open: async () => {
      const schema = pgSchemaName('mp_rollup');
      schemas.push(schema);
      return openStore({ type: 'postgres', url: PG_URL }, { schema });
    },
    legacy: async (records) => {
      const schema = pgSchemaName('mp_rollup_legacy');
      schemas.push(schema);
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      try {
        await c.query(`CREATE SCHEMA ${schema}; SET search_path = ${schema}`);
        await c.query(
          'CREATE TABLE schema_version (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at BIGINT NOT NULL)',
        );
        for (const m of MIGRATIONS.filter((x) => x.version <= 5)) {
          await c.query(migrationSql(m, 'postgres'));
          await c.query('INSERT INTO schema_version VALUES ($1, $2, 0)', [m.version, m.description]);
        }
        const cols = Object.keys(legacyRow(records[0] as UsageRecord));
        for (let i = 0; i < records.length; i += 1000) {
          const chunk = records.slice(i, i + 1000);
          const values = chunk
            .map((_, r) => `(${cols.map((_c, j) => `$${r * cols.length + j + 1}`).join(', ')})`)
            .join(', ');
          await c.query(
            `INSERT INTO usage_records (${cols.join(', ')}) VALUES ${values}`,
            chunk.flatMap((r) => Object.values(legacyRow(r))),
          );
        }
      } finally {
        await c.end();
      }
      return () => openStore({ type: 'postgres', url: PG_URL }, { schema });
    },
  },
];

function legacyRow(r: UsageRecord): Record<string, unknown> {
  return {
    ts: r.ts,
    route: r.route,
    env: r.env,
    target: r.target,
    provider: r.provider,
    requested_model: r.requestedModel,
    served_model: r.servedModel,
    fingerprint: r.fingerprint,
    status: r.status,
    error_code: r.errorCode,
    attempts: r.attempts,
    latency_ms: r.latencyMs,
    ttft_ms: r.ttftMs,
    input_tokens: r.inputTokens,
    output_tokens: r.outputTokens,
    cached_tokens: r.cachedTokens,
    cache_write_tokens: r.cacheWriteTokens,
    reasoning_tokens: r.reasoningTokens,
    cost_usd: r.costUsd,
    client_key_id: r.clientKeyId,
    arm: r.arm,
    wire: r.wire,
    stream: r.stream,
    format_valid: r.formatValid,
    gateway_id: r.gatewayId,
  };
}

/** What a rollup read must equal: the same sums computed from the records themselves. */
function expectMatches(agg: RollupAggregate | undefined, rs: UsageRecord[]): void {
  expect(agg).toBeDefined();
  if (!agg) return;
  const priced = rs.filter((r) => r.costUsd !== null);
  expect(agg.requests).toBe(rs.length);
  expect(agg.errors).toBe(rs.filter((r) => r.status >= 400 || r.errorCode !== null).length);
  expect(agg.versionErrors).toBe(rs.filter((r) => r.status >= 400 || r.errorCode !== null || r.attempts > 1).length);
  expect(agg.inputTokens).toBe(rs.reduce((s, r) => s + r.inputTokens, 0));
  expect(agg.outputTokens).toBe(rs.reduce((s, r) => s + r.outputTokens, 0));
  expect(agg.cachedTokens).toBe(rs.reduce((s, r) => s + r.cachedTokens, 0));
  expect(agg.cacheWriteTokens).toBe(rs.reduce((s, r) => s + r.cacheWriteTokens, 0));
  expect(agg.reasoningTokens).toBe(rs.reduce((s, r) => s + r.reasoningTokens, 0));
  expect(agg.pricedRequests).toBe(priced.length);
  if (priced.length === 0) expect(agg.costUsd).toBeNull();
  else
    expect(agg.costUsd).toBeCloseTo(
      priced.reduce((s, r) => s + (r.costUsd ?? 0), 0),
      9,
    );
  expect(agg.formatChecked).toBe(rs.filter((r) => r.formatValid !== null).length);
  expect(agg.formatValid).toBe(rs.filter((r) => r.formatValid === true).length);
  expect(agg.firstTs).toBe(Math.min(...rs.map((r) => r.ts)));
  expect(agg.lastTs).toBe(Math.max(...rs.map((r) => r.ts)));
  const lat = rs.map((r) => r.latencyMs);
  for (const p of [50, 95, 99]) {
    const exact = percentile(lat, p) ?? 0;
    const est = histogramPercentile(agg.latency, p, agg.latencyMinMs, agg.latencyMaxMs) ?? 0;
    expect(Math.abs(est - exact) / exact).toBeLessThanOrEqual(0.02 + 1e-9);
  }
  const ttfts = rs.flatMap((r) => (r.ttftMs === null ? [] : [r.ttftMs]));
  expect([...agg.ttft.values()].reduce((a, b) => a + b, 0)).toBe(ttfts.length);
}

describe('rollupRanges', () => {
  it('covers a window with days inside, hours and minutes at the edges, and nothing twice', () => {
    const since = Date.UTC(2026, 10, 1, 10, 17, 30);
    const until = Date.UTC(2026, 10, 5, 3, 42, 10);
    const ranges = rollupRanges(since, until);
    expect(ranges.map((r) => r.grain)).toEqual([MINUTE_MS, HOUR_MS, DAY_MS, HOUR_MS, MINUTE_MS]);
    expect(ranges[0]?.lo).toBe(Date.UTC(2026, 10, 1, 10, 17));
    for (let i = 1; i < ranges.length; i++) expect(ranges[i]?.lo).toBe(ranges[i - 1]?.hi);
    expect(ranges.at(-1)?.hi).toBe(until);
    // Per hour: no day buckets.
    expect(rollupRanges(since, until, HOUR_MS).some((r) => r.grain === DAY_MS)).toBe(false);
    expect(rollupRanges(since, until, 15 * MINUTE_MS).every((r) => r.grain === MINUTE_MS)).toBe(true);
  });
});

describe.each(backends)('usage rollups on $name', ({ open, legacy }) => {
  it('sums any window and grouping from the buckets exactly as the records would', async () => {
    const store = await open();
    try {
      const records = traffic(3000);
      await store.insertUsage(records);
      const until = T0 + 1;
      for (const since of [T0 - 20 * HOUR_MS, T0 - 7 * HOUR_MS - 13 * MINUTE_MS, T0 - 36 * HOUR_MS]) {
        const inWindow = records.filter((r) => r.ts >= Math.floor(since / MINUTE_MS) * MINUTE_MS && r.ts < until);
        const rows = await store.queryRollups({ sinceMs: since, untilMs: until, by: ['servedModel', 'arm'] });
        const expected = new Map<string, UsageRecord[]>();
        for (const r of inWindow) {
          const k = `${r.servedModel}|${r.arm}`;
          expected.set(k, [...(expected.get(k) ?? []), r]);
        }
        expect(rows).toHaveLength(expected.size);
        for (const [k, rs] of expected)
          expectMatches(
            rows.find((a) => `${a.group.servedModel}|${a.group.arm}` === k),
            rs,
          );
      }
      // A filter and hourly buckets.
      const hourly = await store.queryRollups({
        sinceMs: T0 - 20 * HOUR_MS,
        untilMs: until,
        route: 'classify',
        by: ['route'],
        bucketMs: HOUR_MS,
      });
      const classify = records.filter((r) => r.route === 'classify');
      for (const a of hourly)
        expectMatches(
          a,
          classify.filter((r) => Math.floor(r.ts / HOUR_MS) * HOUR_MS === a.bucketStart),
        );
      expect(hourly.reduce((s, a) => s + a.requests, 0)).toBe(classify.length);
      // Null group values come back as null, not ''.
      const keys = await store.queryRollups({
        sinceMs: T0 - 20 * HOUR_MS,
        untilMs: until,
        by: ['clientKeyId'],
        histograms: false,
      });
      expect(keys.map((k) => k.group.clientKeyId).sort()).toEqual([null, 'team-a'].sort());
    } finally {
      await store.close();
    }
  });

  it('adds batches from several writers into the same buckets', async () => {
    const store = await open();
    try {
      const records = traffic(1200, T0 - 2 * HOUR_MS);
      // Three "gateways" each flushing interleaved slices of the same minutes, some at once.
      const slices = [0, 1, 2].map((g) => records.filter((_, i) => i % 3 === g));
      await Promise.all(
        slices.map(async (s) => {
          for (let i = 0; i < s.length; i += 100)
            await store.writeUsage({ records: [], rollups: rollupsOf(s.slice(i, i + 100)) });
        }),
      );
      const [all] = await store.queryRollups({ sinceMs: T0 - 2 * HOUR_MS, untilMs: T0 + 1, by: [] });
      expectMatches(all, records);
      // Raw rows were not kept: the rollups alone answer.
      expect(await store.countUsage({})).toBe(0);
    } finally {
      await store.close();
    }
  });

  it('applies a batch at most once per writer and sequence number', async () => {
    const store = await open();
    try {
      const batch = (n: number) => {
        const records = traffic(n, T0 - HOUR_MS);
        return { records, rollups: rollupsOf(records) };
      };
      const a = { writer: 'gw-a', seq: 1 };
      const first = batch(30);
      await store.writeUsage({ ...first, id: a });
      // The same batch again (a retry after a lost acknowledgement), and an older one: skipped.
      await store.writeUsage({ ...first, id: a });
      await store.writeUsage({ ...batch(5), id: { writer: 'gw-a', seq: 0 } });
      // The writer's next batch, another writer's batch with the same number, a batch without an id: applied.
      await store.writeUsage({ ...batch(7), id: { writer: 'gw-a', seq: 2 } });
      await store.writeUsage({ ...batch(11), id: { writer: 'gw-b', seq: 1 } });
      await store.writeUsage(batch(13));
      const [all] = await store.queryRollups({ sinceMs: T0 - HOUR_MS, untilMs: T0 + 1, by: [] });
      expect(all?.requests).toBe(30 + 7 + 11 + 13);
      expect(await store.countUsage({})).toBe(30 + 7 + 11 + 13);
    } finally {
      await store.close();
    }
  });

  it('backfills rollups from the raw rows of a store migrated before rollups existed', async () => {
    const records = traffic(12_000, T0 - 3 * DAY_MS);
    const reopen = await legacy(records);
    const store = await reopen();
    try {
      const [all] = await store.queryRollups({ sinceMs: T0 - 3 * DAY_MS, untilMs: T0 + DAY_MS, by: [] });
      expectMatches(all, records);
      const byModel = await store.queryRollups({ sinceMs: T0 - 3 * DAY_MS, untilMs: T0 + DAY_MS, by: ['servedModel'] });
      const rows = summarizeUsage(records, 'served-model');
      expect(byModel.map((a) => [a.group.servedModel, a.requests]).sort()).toEqual(
        rows.map((r) => [r.key, r.requests]).sort(),
      );
      // Migrating again adds nothing twice.
      await store.migrate();
      const [again] = await store.queryRollups({ sinceMs: T0 - 3 * DAY_MS, untilMs: T0 + DAY_MS, by: [] });
      expect(again?.requests).toBe(records.length);
    } finally {
      await store.close();
    }
  });

  it('prunes each grain by its own age: old minutes go, the hours and days holding them stay', async () => {
    const store = await open();
    try {
      const records = traffic(600, T0 - 3 * DAY_MS, T0);
      await store.writeUsage({ records: [], rollups: rollupsOf(records) });
      const cut = T0 - DAY_MS;
      const expectedMinutes = new Set(
        records
          .filter((r) => r.ts < Math.floor(cut / MINUTE_MS) * MINUTE_MS)
          .map((r) => `${Math.floor(r.ts / MINUTE_MS)}|${r.route}|${r.servedModel}|${r.arm}|${r.clientKeyId}`),
      ).size;
      expect(await store.countPrunable({ usage_minutes: cut })).toEqual({ usage_minutes: expectedMinutes });
      expect(await store.prune({ usage_minutes: cut }, { batchSize: 100 })).toEqual({ usage_minutes: expectedMinutes });
      // A 3-day window still adds up: whole hours and days answer where the minutes are gone.
      const [all] = await store.queryRollups({ sinceMs: T0 - 3 * DAY_MS, untilMs: T0 + 1, by: [] });
      expect(all?.requests).toBe(records.length);
      expect(await store.countPrunable({ usage_hours: T0 + DAY_MS, usage_days: T0 - 5 * DAY_MS })).toMatchObject({
        usage_days: 0,
      });
    } finally {
      await store.close();
    }
  });
});
