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
import { emptySums, mergeSums, rollupKey, type UsageRollup } from './rollup.js';
import { ROLLUP_TABLE_SQL, ROLLUP_VALUE_COLS, decodeRollupAggregate, encodeRollup, rollupUpsertSql, type RollupQuery } from './rollup-sql.js';

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

const CHUNK = 5000;
/** Rollups per upsert statement on PostgreSQL (65535 bind parameters at most). */
const UPSERT_ROWS = 500;
/** The full rollup row read back as an aggregate (decodeRollupAggregate's aliases: d0.. and b). */
const READ_AS: RollupQuery = { sinceMs: 0, untilMs: 0, by: ['route', 'env', 'target', 'servedModel'], bucketMs: 60_000 };

/**
 * Migration 9's data step: fold the rollups already stored into per-model rows, a chunk of rows at
 * a time in id order (memory: one chunk), adding into the new table as the writer would.
 */
export function* backfillModelRollups(dialect: SqlDialect): Generator<MigrationStatement, void, unknown[]> {
  const ph = (i: number): string => (dialect === 'sqlite' ? '?' : `$${i}`);
  let after = -1;
  for (;;) {
    const rows: unknown[] = yield {
      sql: `SELECT id, grain, route AS d0, env AS d1, target AS d2, served_model AS d3, bucket_start AS b, ${ROLLUP_VALUE_COLS.join(', ')} FROM usage_rollups WHERE id > ${ph(1)} ORDER BY id LIMIT ${ph(2)}`,
      params: [after, CHUNK],
    };
    if (rows.length === 0) return;
    after = Number((rows[rows.length - 1] as { id: unknown }).id);
    const rollups = modelRollupsOf(
      rows.map((row) => {
        const a = decodeRollupAggregate(READ_AS, row);
        const { group, bucketStart, ...sums } = a;
        return { ...sums, route: group.route ?? '', env: group.env ?? '', target: group.target ?? '', servedModel: group.servedModel ?? null, arm: null, clientKeyId: null, grain: Number((row as { grain: unknown }).grain), bucketStart: bucketStart ?? 0 } as UsageRollup;
      }),
    );
    for (let i = 0; i < rollups.length; i += UPSERT_ROWS) {
      const chunk = rollups.slice(i, i + UPSERT_ROWS);
      if (dialect === 'sqlite') {
        for (const r of chunk) yield { sql: rollupUpsertSql('sqlite', 1, MODEL_ROLLUPS), params: encodeRollup(r) };
      } else {
        yield { sql: rollupUpsertSql('postgres', chunk.length, MODEL_ROLLUPS), params: chunk.flatMap(encodeRollup) };
      }
    }
    if (rows.length < CHUNK) return;
  }
}
