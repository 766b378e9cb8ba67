/**
 * The per-model rollups (arm and client key folded in) answer every read that neither splits nor
 * filters by arm or client key: those reads must equal the same read summed from the full rollups,
 * after writes, after migration 9's backfill of a store that had only the full rollups, and after pruning.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open.js';
import { DAY_MS, HOUR_MS, MINUTE_MS, mergeSums, rollupsOf } from '../../src/store/rollup.js';
import { readTable, type RollupDim } from '../../src/store/rollup-sql.js';
import type { RollupAggregate, Store } from '../../src/store/types.js';
import { PG_URL, T0, dropPgSchema, pgSchemaName, usage } from './fixtures.js';
import { rewindTo8 } from './rewind.js';

const dir = mkdtempSync(join(tmpdir(), 'modelpin-model-rollups-'));
const schemas: string[] = [];
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  for (const s of schemas) await dropPgSchema(s);
});

const backends: Array<{ name: 'sqlite' | 'postgres'; open: () => Promise<Store> }> = [
  {
    name: 'sqlite',
    open: () => openStore({ type: 'sqlite', path: join(dir, `s-${Math.random().toString(36).slice(2)}.db`) }),
  },
  {
    name: 'postgres',
    open: () => {
      const schema = pgSchemaName('store_reads_model');
      schemas.push(schema);
      return openStore({ type: 'postgres', url: PG_URL }, { schema });
    },
  },
];

function traffic(n: number, from: number, until: number): ReturnType<typeof usage>[] {
  const step = (until - from) / n;
  return Array.from({ length: n }, (_, i) =>
    usage({
      ts: Math.floor(from + i * step),
      route: i % 3 === 0 ? 'classify' : 'summarize',
      target: i % 5 === 0 ? 'sim/new' : 'sim/old',
      servedModel: i % 5 === 0 ? 'sim-chat-2026-12-10' : i % 17 === 0 ? null : 'sim-chat-2026-01-15',
      arm: i % 4 === 0 ? 'canary' : i % 4 === 1 ? 'shadow' : 'stable',
      clientKeyId: i % 2 === 0 ? 'team-a' : i % 3 === 0 ? 'team-b' : null,
      status: i % 11 === 0 ? 502 : 200,
      errorCode: i % 11 === 0 ? 'upstream_error' : null,
      latencyMs: 50 + ((i * 7919) % 900),
      ttftMs: i % 2 === 0 ? 10 + (i % 40) : null,
      outputTokens: 20 + (i % 29),
      costUsd: i % 7 === 0 ? null : 0.001 + (i % 10) / 10_000,
      formatValid: i % 6 === 0 ? i % 12 === 0 : null,
    }),
  );
}

/** An aggregate as comparable data: histograms as sorted bins, cost rounded (sums in another order differ in the last bits). */
function plain(a: RollupAggregate, by: readonly RollupDim[]): Record<string, unknown> {
  const group = Object.fromEntries(by.map((k) => [k, a.group[k] ?? null]));
  return {
    ...a,
    group,
    costUsd: a.costUsd === null ? null : Math.round(a.costUsd * 1e9),
    latency: [...a.latency].sort((x, y) => x[0] - y[0]),
    ttft: [...a.ttft].sort((x, y) => x[0] - y[0]),
  };
}

/** The full rollups read by the same dims plus arm, then summed over the arms. */
async function viaFullRollups(
  store: Store,
  q: Parameters<Store['queryRollups']>[0],
): Promise<Array<Record<string, unknown>>> {
  expect(readTable({ ...q, by: [...q.by, 'arm'] })).toBe('usage_rollups');
  const out = new Map<string, RollupAggregate>();
  for (const a of await store.queryRollups({ ...q, by: [...q.by, 'arm'] })) {
    const k = `${a.bucketStart}|${q.by.map((d) => a.group[d] ?? '').join('|')}`;
    const acc = out.get(k);
    if (acc) mergeSums(acc, a);
    else out.set(k, a);
  }
  return sorted([...out.values()].map((a) => plain(a, q.by)));
}

const sorted = (xs: Array<Record<string, unknown>>): Array<Record<string, unknown>> =>
  xs.sort((a, b) => JSON.stringify([a.bucketStart, a.group]).localeCompare(JSON.stringify([b.bucketStart, b.group])));

async function expectSameAsFull(store: Store): Promise<void> {
  const w = { sinceMs: T0 - 2 * DAY_MS + 17 * MINUTE_MS, untilMs: T0 + 1 };
  const cases: Array<{ by: RollupDim[]; bucketMs?: number; route?: string }> = [
    { by: ['servedModel', 'route', 'env'] },
    { by: ['servedModel'], bucketMs: HOUR_MS },
    { by: ['target'], bucketMs: 15 * MINUTE_MS, route: 'classify' },
    { by: ['route'], bucketMs: DAY_MS },
    { by: [] },
  ];
  for (const c of cases) {
    const q = { ...w, ...c };
    expect(readTable(q)).toBe('usage_model_rollups');
    const folded = sorted((await store.queryRollups(q)).map((a) => plain(a, q.by)));
    expect(folded.length).toBeGreaterThan(0);
    expect(folded).toEqual(await viaFullRollups(store, q));
  }
}

describe.each(backends)('per-model rollups on $name', ({ name, open }) => {
  it('answer reads without arm or client key exactly as the full rollups summed over arms, written with them and backfilled by migration 9', async () => {
    const store = await open();
    try {
      const records = traffic(4000, T0 - 2 * DAY_MS, T0);
      // Several flushes adding into the same buckets, as a gateway writes them.
      for (let i = 0; i < records.length; i += 700)
        await store.writeUsage({ records: [], rollups: rollupsOf(records.slice(i, i + 700)) });
      const [all] = await store.queryRollups({ sinceMs: T0 - 3 * DAY_MS, untilMs: T0 + 1, by: [] });
      expect(all?.requests).toBe(records.length);
      await expectSameAsFull(store);

      // A store written before migration 9: only the full rollups. Migrating fills the per-model ones.
      await rewindTo8(store, name);
      await store.migrate();
      await expectSameAsFull(store);
      const [again] = await store.queryRollups({ sinceMs: T0 - 3 * DAY_MS, untilMs: T0 + 1, by: [] });
      expect(again?.requests).toBe(records.length);
    } finally {
      await store.close();
    }
  });

  it('are pruned with the full rollups of the same grain', async () => {
    const store = await open();
    try {
      const records = traffic(900, T0 - 2 * DAY_MS, T0);
      await store.writeUsage({ records: [], rollups: rollupsOf(records) });
      const cut = T0 - DAY_MS;
      const minutesBefore = {
        sinceMs: T0 - 3 * DAY_MS,
        untilMs: T0 + 1,
        ranges: [{ grain: MINUTE_MS, lo: T0 - 3 * DAY_MS, hi: cut }],
      } as const;
      expect((await store.queryRollups({ ...minutesBefore, by: [] }))[0]?.requests).toBeGreaterThan(0);
      const counted = await store.prune({ usage_minutes: cut }, { batchSize: 50 });
      // Counts are the full rollups' rows, as before: the per-model rows go with them uncounted.
      expect(counted.usage_minutes).toBeGreaterThan(0);
      expect(await store.queryRollups({ ...minutesBefore, by: [] })).toEqual([]);
      expect(await store.queryRollups({ ...minutesBefore, by: ['arm'] })).toEqual([]);
      expect((await store.queryRollups({ sinceMs: T0 - 3 * DAY_MS, untilMs: T0 + 1, by: [] }))[0]?.requests).toBe(
        records.length,
      );
    } finally {
      await store.close();
    }
  });
});
