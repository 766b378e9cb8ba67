/**
 * The statements of one usage batch: the at-most-once claim, the raw rows and the adding upserts of
 * both rollup tables. Plain values only, built before the transaction, because a driver may run the
 * list on another thread (SQLite's writer thread).
 */
import { encodeRows, usageSpec } from '../columns.js';
import { MODEL_ROLLUPS, modelRollupsOf } from '../model-rollups.js';
import { rollupKey } from '../rollup.js';
import { encodeRollup, rollupUpsertSql } from '../rollup-sql.js';
import type { UsageBatch, UsageRollup } from '../types.js';
import { BATCH_WRITER_RETENTION_MS, claimBatchParams, claimBatchSql, staleWritersSql } from '../usage-batches.js';
import type { Stmt } from './driver.js';
import type { StatementTexts } from './statement-texts.js';

/** In key order: two gateways upserting the same buckets then lock them in the same order (no deadlock). */
function inKeyOrder(rollups: readonly UsageRollup[]): UsageRollup[] {
  return rollups
    .map((r) => ({ k: rollupKey(r), r }))
    .sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0))
    .map((x) => x.r);
}

/** `now` stamps the batch claim and ages out stale writers' claims. */
export function usageStatements(batch: UsageBatch, texts: StatementTexts, now: number): Stmt[] {
  const d = texts.d;
  const out: Stmt[] = [];
  if (batch.id) {
    if (batch.id.seq === 1)
      out.push({
        sql: texts.text('stale batch writers', 1, () => staleWritersSql(d.ph)),
        params: [now - BATCH_WRITER_RETENTION_MS],
      });
    // Changes no row when applied already (the first attempt committed, its acknowledgement was lost): stop there.
    out.push({
      sql: texts.text('batch claim', 1, () => claimBatchSql(d.ph)),
      params: claimBatchParams(batch.id, now),
      orStop: true,
    });
  }
  for (let i = 0, n = d.usageRowsPerInsert, records = batch.records; i < records.length; i += n) {
    const to = Math.min(records.length, i + n);
    out.push({ sql: texts.insert(usageSpec, to - i), params: encodeRows(usageSpec, records, i, to, d) });
  }
  // The per-model rollups are summed from the same batch, in the same transaction (model-rollups.ts).
  const rollups = inKeyOrder(batch.rollups);
  const layout = d.rollupLayout;
  for (const [table, rs] of [
    ['usage_rollups', rollups],
    [MODEL_ROLLUPS, inKeyOrder(modelRollupsOf(rollups))],
  ] as const) {
    for (let i = 0, n = d.rollupsPerUpsert; i < rs.length; i += n) {
      const rows = Math.min(n, rs.length - i);
      const params = encodeRollup(rs[i] as UsageRollup, layout);
      for (let j = i + 1; j < i + rows; j++) for (const v of encodeRollup(rs[j] as UsageRollup, layout)) params.push(v);
      out.push({ sql: texts.text(table, rows, () => rollupUpsertSql(d.name, rows, table, layout)), params });
    }
  }
  return out;
}
