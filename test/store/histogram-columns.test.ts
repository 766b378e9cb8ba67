/**
 * Migration 10 keeps rollup histograms in a compact form beside the JSON ones on PostgreSQL: the rows a
 * store holds are converted, reads answer the same before and after, and a gateway still on an older
 * version (writing and merging the JSON column only) keeps working during a rolling upgrade, its bins
 * counted with the others and folded into the compact column by the next newer write. SQLite keeps the
 * JSON layout (sql/dialect.ts): the same reads and upgrades answer the same there, with nothing converted.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { MODEL_ROLLUPS, modelRollupsOf } from '../../src/store/model-rollups.js';
import { openStore } from '../../src/store/open.js';
import type { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { DAY_MS, HOUR_MS, rollupsOf, type UsageRollup } from '../../src/store/rollup.js';
import { encodeRollup, rollupUpsertSql, type RollupQuery } from '../../src/store/rollup-sql.js';
import type { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { RollupAggregate, Store } from '../../src/store/types.js';
import { PG_URL, T0, dropPgSchema, pgSchemaName, usage } from './fixtures.js';
import { rewindTo8 } from './rewind.js';

const dir = mkdtempSync(join(tmpdir(), 'modelpin-hist-columns-'));
const schemas: string[] = [];
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  for (const s of schemas) await dropPgSchema(s);
});

type Dialect = 'sqlite' | 'postgres';

/** Plain SQL on the store's tables from a second connection, as another process would run it. */
async function onTables<T>(
  store: Store,
  dialect: Dialect,
  fn: (q: (sql: string, p?: unknown[]) => Promise<unknown[]>) => Promise<T>,
): Promise<T> {
  if (dialect === 'sqlite') {
    const db = new Database((store as SqliteStore).file);
    try {
      return await fn((sql, p = []) => {
        const st = db.prepare(sql);
        return Promise.resolve(st.reader ? st.all(...p) : (st.run(...p), []));
      });
    } finally {
      db.close();
    }
  }
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  try {
    await c.query(`SET search_path = ${(store as PostgresStore).schema}`);
    return await fn(async (sql, p = []) => (await c.query(sql, p)).rows as unknown[]);
  } finally {
    await c.end();
  }
}

/** A gateway before migration 10: its own SQL, writing both rollup tables with the JSON histograms only. */
async function olderGatewayWrites(store: Store, dialect: Dialect, rollups: UsageRollup[]): Promise<void> {
  await onTables(store, dialect, async (q) => {
    for (const [t, rs] of [
      ['usage_rollups', rollups],
      [MODEL_ROLLUPS, modelRollupsOf(rollups)],
    ] as const)
      for (const r of rs) await q(rollupUpsertSql(dialect, 1, t, 'json'), encodeRollup(r, 'json'));
  });
}

function traffic(n: number, seed: number): ReturnType<typeof usage>[] {
  return Array.from({ length: n }, (_, i) =>
    usage({
      ts: T0 - DAY_MS + Math.floor((i * DAY_MS) / n),
      route: i % 3 === 0 ? 'classify' : 'summarize',
      servedModel: i % 5 === 0 ? 'sim-chat-2026-12-10' : 'sim-chat-2026-01-15',
      arm: i % 4 === 0 ? 'canary' : 'stable',
      latencyMs: 40 + ((i * 7919 + seed) % 2000) ** 1.1,
      ttftMs: i % 2 === 0 ? 5 + ((i + seed) % 90) : null,
    }),
  );
}

const READS: RollupQuery[] = [
  { sinceMs: T0 - 2 * DAY_MS, untilMs: T0 + 1, by: ['servedModel', 'route', 'env'] },
  { sinceMs: T0 - 2 * DAY_MS, untilMs: T0 + 1, by: ['servedModel'], bucketMs: HOUR_MS, histograms: 'latency' },
  { sinceMs: T0 - 2 * DAY_MS, untilMs: T0 + 1, by: ['arm'], bucketMs: HOUR_MS },
];

const plain = (xs: RollupAggregate[]): unknown[] =>
  xs
    .map((a) => ({
      ...a,
      costUsd: a.costUsd === null ? null : Math.round(a.costUsd * 1e9),
      latency: [...a.latency].sort((x, y) => x[0] - y[0]),
      ttft: [...a.ttft].sort((x, y) => x[0] - y[0]),
    }))
    .sort((a, b) => JSON.stringify([a.bucketStart, a.group]).localeCompare(JSON.stringify([b.bucketStart, b.group])));

const readAll = async (s: Store): Promise<unknown[][]> =>
  Promise.all(READS.map(async (q) => plain(await s.queryRollups(q))));

/** Rows whose JSON column still holds bins, and rows with bins in the compact column, per table. */
async function columnState(store: Store, dialect: Dialect): Promise<Record<string, { json: number; bins: number }>> {
  const text = (c: string): string => (dialect === 'postgres' ? `${c}::text` : c);
  return onTables(store, dialect, async (q) => {
    const out: Record<string, { json: number; bins: number }> = {};
    for (const t of ['usage_rollups', MODEL_ROLLUPS]) {
      const [r] = (await q(
        `SELECT SUM(CASE WHEN ${text('latency_hist')} <> '{}' OR ${text('ttft_hist')} <> '{}' THEN 1 ELSE 0 END) AS json, SUM(CASE WHEN latency_bins <> '' THEN 1 ELSE 0 END) AS bins FROM ${t}`,
      )) as Array<{ json: unknown; bins: unknown }>;
      out[t] = { json: Number(r?.json ?? 0), bins: Number(r?.bins ?? 0) };
    }
    return out;
  });
}

const backends: Array<{ name: Dialect; compact: boolean; open: () => Promise<Store> }> = [
  {
    name: 'sqlite',
    compact: false,
    open: () => openStore({ type: 'sqlite', path: join(dir, `s-${Math.random().toString(36).slice(2)}.db`) }),
  },
  {
    name: 'postgres',
    compact: true,
    open: () => {
      const schema = pgSchemaName('hist_columns');
      schemas.push(schema);
      return openStore({ type: 'postgres', url: PG_URL }, { schema });
    },
  },
];

describe.each(backends)('histogram columns on $name', ({ name, compact, open }) => {
  it('migration 10 converts the JSON histograms a store holds, and reads answer the same', async () => {
    const store = await open();
    try {
      const records = traffic(3000, 1);
      for (let i = 0; i < records.length; i += 500)
        await store.writeUsage({ records: [], rollups: rollupsOf(records.slice(i, i + 500)) });
      const before = await readAll(store);
      expect((before[0] as RollupAggregate[]).length).toBeGreaterThan(0);
      const written = await columnState(store, name);
      // Each store writes one form only: PostgreSQL the compact one, SQLite the JSON one.
      const filled = compact ? written.usage_rollups?.bins : written.usage_rollups?.json;
      const unused = compact ? written.usage_rollups?.json : written.usage_rollups?.bins;
      expect(filled).toBeGreaterThan(0);
      expect(unused).toBe(0);

      await rewindTo8(store, name);
      await store.migrate();
      expect(await (store as SqliteStore | PostgresStore).schemaVersions()).toContain(10);
      const migrated = await columnState(store, name);
      expect(migrated).toEqual(written);
      expect(await readAll(store)).toEqual(before);
    } finally {
      await store.close();
    }
  });

  it('counts what an older gateway adds to the JSON column during a rolling upgrade, and folds it in on the next write', async () => {
    const store = await open();
    try {
      const mine = traffic(2000, 2);
      const theirs = traffic(1500, 3);
      const later = traffic(700, 4);
      await store.writeUsage({ records: [], rollups: rollupsOf(mine) });
      await olderGatewayWrites(store, name, rollupsOf(theirs));
      const mixed = await columnState(store, name);
      expect(mixed.usage_rollups?.json).toBeGreaterThan(0);

      // The same traffic written by one gateway of this version, in another store, is the reference.
      const ref = await open();
      try {
        await ref.writeUsage({ records: [], rollups: rollupsOf([...mine, ...theirs]) });
        expect(await readAll(store)).toEqual(await readAll(ref));
        await store.writeUsage({ records: [], rollups: rollupsOf(later) });
        await ref.writeUsage({ records: [], rollups: rollupsOf(later) });
        expect(await readAll(store)).toEqual(await readAll(ref));
      } finally {
        await ref.close();
      }
      // `later` touches every hour and day bucket of `theirs` (same spread over the day): no JSON left there.
      const folded = await columnState(store, name);
      if (compact) expect(folded.usage_rollups?.json).toBeLessThan(mixed.usage_rollups?.json ?? 0);
      else expect(folded.usage_rollups?.bins).toBe(0);
    } finally {
      await store.close();
    }
  });
});
