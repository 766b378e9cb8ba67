/**
 * At-most-once usage batches, the same SQL for both dialects. Each writer (one per process) numbers
 * its batches 1, 2, 3… and sends them in order, retrying a failed one before the next. The store
 * keeps one row per writer, the last sequence number applied, updated in the batch's own
 * transaction: a batch whose number is not above it was applied already (its COMMIT went through,
 * the acknowledgement did not) and is skipped.
 *
 * One row per writer, not per batch: the table holds as many rows as processes that wrote usage,
 * and rows of writers quiet for BATCH_WRITER_RETENTION_MS are removed when a new writer starts.
 */
import type { UsageBatchId } from './types.js';

export const USAGE_BATCHES_SQL = `
CREATE TABLE IF NOT EXISTS usage_batches (
  writer_id TEXT PRIMARY KEY,
  seq {BIGINT} NOT NULL,
  applied_at {BIGINT} NOT NULL
);
`;

/**
 * A writer quiet this long has stopped. Its row can go: a retry can only come from a live writer,
 * and one cut off from the store longer than this (while other gateways prune) may count one batch twice.
 */
export const BATCH_WRITER_RETENTION_MS = 30 * 86_400_000;

/**
 * Claims the batch: inserts or raises the writer's sequence number, and changes no row when the batch
 * was applied already. `ph` numbers placeholders for the dialect.
 */
export function claimBatchSql(ph: (i: number) => string): string {
  return `INSERT INTO usage_batches (writer_id, seq, applied_at) VALUES (${ph(1)}, ${ph(2)}, ${ph(3)}) ON CONFLICT (writer_id) DO UPDATE SET seq = excluded.seq, applied_at = excluded.applied_at WHERE usage_batches.seq < excluded.seq`;
}

export function claimBatchParams(id: UsageBatchId, now: number): unknown[] {
  return [id.writer, id.seq, now];
}

/** Rows of writers quiet for the retention, removed when a writer sends its first batch. */
export function staleWritersSql(ph: (i: number) => string): string {
  return `DELETE FROM usage_batches WHERE applied_at < ${ph(1)}`;
}
