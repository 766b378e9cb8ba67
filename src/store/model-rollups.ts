/**
 * Per-model rollups: the usage rollups with the arm and client-key dimensions folded in, so one row
 * per (grain, bucket, route, env, target, served model). `usage`, its `--interval` series and the
 * dashboard group by served model, route or target and never by arm or client key: reading these
 * rows instead of the full ones reads a third of them (three arms) or far fewer (many client keys),
 * with exactly the same sums, extremes and histogram bins. Reads by arm (the canary guards) keep the
 * full table (`readTable` in rollup-sql.ts chooses).
 *
 * Written with the full rollups, in the same transaction (the store's `writeUsage`), from the
 * batch's rollups: aggregated as they are written, never on a read.
 */
import type { MigrationStatement, SqlDialect } from './migrations.js';
import { ROLLUP_GRAINS, emptySums, mergeSums, rollupKey, type UsageRollup } from './rollup.js';
import {
  ROLLUP_TABLE_SQL,
  aggregateRollupRows,
  encodeRollup,
  rollupReadSql,
  rollupUpsertSql,
  type RollupQuery,
} from './rollup-sql.js';

export const MODEL_ROLLUPS = 'usage_model_rollups';

/**
 * Same columns as usage_rollups (arm and client_key_id always ''). The key index leads with the
 * bucket and the served model, the order a series by served model groups in.
 */
export const MODEL_ROLLUP_TABLE_SQL = ROLLUP_TABLE_SQL.replaceAll('usage_rollups', MODEL_ROLLUPS).replace(
  /\(grain, bucket_start, route, env, target, served_model, arm, client_key_id\)/,
  '(grain, bucket_start, served_model, route, env, target, arm, client_key_id)',
);

/** The batch's rollups summed per model group (new objects: the inputs are left as they are). */
export function modelRollupsOf(rollups: readonly UsageRollup[]): UsageRollup[] {
  const out = new Map<string, UsageRollup>();
  for (const r of rollups) {
    const folded = { ...r, arm: null, clientKeyId: null };
    const k = rollupKey(folded);
    const acc = out.get(k);
    if (acc) mergeSums(acc, r);
    else {
      const row: UsageRollup = { ...folded, ...emptySums() };
      mergeSums(row, r);
      out.set(k, row);
    }
  }
  return [...out.values()];
}

/** Rollups per upsert statement on PostgreSQL (65535 bind parameters at most). */
const UPSERT_ROWS = 500;
/**
 * Buckets summed per read: a piece's result is its model groups × 12 buckets. The pieces' texts and
 * rows are garbage a moment later, and V8 lets the heap grow to a few times what is live before it
 * collects: with 48 buckets, 40 to 60 MB live in hour pieces took the process to 339 MB RSS on a
 * 10M-request PostgreSQL store.
 */
const PIECE_BUCKETS = 12;
const MODEL_DIMS = ['route', 'env', 'target', 'servedModel'] as const;

/**
 * Migration 9's data step: the full rollups summed per model group by the database (grouped in the
 * key index's order, so no sort), a piece of PIECE_BUCKETS buckets of one grain at a time, skipping empty
 * stretches. Each per-model row is inserted once, already whole (the upsert only guards the edges).
 */
export function* backfillModelRollups(dialect: SqlDialect): Generator<MigrationStatement, void, unknown[]> {
  const ph = (i: number): string => (dialect === 'sqlite' ? '?' : `$${i}`);
  for (const grain of ROLLUP_GRAINS) {
    let from = -Infinity;
    for (;;) {
      const [next] = yield {
        sql: `SELECT MIN(bucket_start) AS lo FROM usage_rollups WHERE grain = ${ph(1)} AND bucket_start >= ${ph(2)}`,
        params: [grain, Number.isFinite(from) ? from : Number.MIN_SAFE_INTEGER],
      };
      const lo = (next as { lo: unknown } | undefined)?.lo;
      if (lo === null || lo === undefined) break;
      const start = Number(lo);
      from = start + PIECE_BUCKETS * grain;
      const q: RollupQuery = {
        sinceMs: start,
        untilMs: from,
        by: MODEL_DIMS,
        bucketMs: grain,
        ranges: [{ grain, lo: start, hi: from }],
        table: 'usage_rollups',
        // The columns of its time: migration 10 adds the compact histograms and converts these rows.
        layout: 'json',
      };
      const { sql, params } = rollupReadSql(dialect, q);
      const rows: unknown[] = yield { sql, params };
      const rollups = aggregateRollupRows(q, rows).map(({ group, bucketStart, ...sums }): UsageRollup => ({
        ...sums,
        grain,
        bucketStart: bucketStart ?? start,
        route: group.route ?? '',
        env: group.env ?? '',
        target: group.target ?? '',
        servedModel: group.servedModel ?? null,
        arm: null,
        clientKeyId: null,
      }));
      for (let i = 0; i < rollups.length; i += UPSERT_ROWS) {
        const chunk = rollups.slice(i, i + UPSERT_ROWS);
        if (dialect === 'sqlite') {
          for (const r of chunk)
            yield { sql: rollupUpsertSql('sqlite', 1, MODEL_ROLLUPS, 'json'), params: encodeRollup(r, 'json') };
        } else {
          yield {
            sql: rollupUpsertSql('postgres', chunk.length, MODEL_ROLLUPS, 'json'),
            params: chunk.flatMap((r) => encodeRollup(r, 'json')),
          };
        }
      }
    }
  }
}
