/**
 * What pruning touches and how it paces itself, shared by both dialects: each prunable kind's table
 * and timestamp column, and the batch loop (short DELETEs with a turn of the event loop between
 * them, so the gateway's requests and usage writes keep going while a large backlog is deleted).
 */
import { StoreError } from '../core/errors.js';
import type { PruneCounts, PruneCutoffs, PruneKind, PruneOptions } from './types.js';

export const PRUNE_KINDS = [
  'usage',
  'usage_minutes',
  'usage_hours',
  'usage_days',
  'shadow_pairs',
  'sentinel_events',
  'eval_runs',
] as const satisfies readonly PruneKind[];

export interface PruneTable {
  table: string;
  /** The timestamp a row's age is measured by (indexed, except eval_runs: few rows, never pruned by default). */
  tsCol: string;
  /** A further condition selecting the kind's rows in a shared table (rollups: one grain). */
  where?: string;
  /** A table derived from this one, pruned with it at the same cutoff and not counted (the per-model rollups). */
  alongside?: PruneTable;
}

const grainOf = (grain: number): PruneTable => {
  const where = `grain = ${grain}`;
  return {
    table: 'usage_rollups',
    tsCol: 'bucket_start',
    where,
    alongside: { table: 'usage_model_rollups', tsCol: 'bucket_start', where },
  };
};

export const PRUNE_TABLES: Readonly<Record<PruneKind, PruneTable>> = {
  usage: { table: 'usage_records', tsCol: 'ts' },
  // Each grain is pruned by its own age; the (grain, bucket_start, ...) unique index serves the scan.
  usage_minutes: grainOf(60_000),
  usage_hours: grainOf(3_600_000),
  usage_days: grainOf(86_400_000),
  shadow_pairs: { table: 'shadow_pairs', tsCol: 'ts' },
  sentinel_events: { table: 'sentinel_events', tsCol: 'ts' },
  eval_runs: { table: 'eval_runs', tsCol: 'started_at' },
};

export const DEFAULT_PRUNE_BATCH = 5000;

/** The kinds named in `cutoffs`, in a fixed order, with their cutoffs checked. */
export function pruneTargets(cutoffs: PruneCutoffs): Array<{ kind: PruneKind; cutoff: number; spec: PruneTable }> {
  const out: Array<{ kind: PruneKind; cutoff: number; spec: PruneTable }> = [];
  for (const kind of PRUNE_KINDS) {
    const cutoff = cutoffs[kind];
    if (cutoff === undefined) continue;
    if (!Number.isFinite(cutoff))
      throw new StoreError(`prune cutoff for ${kind} must be a finite Unix-ms timestamp, got ${String(cutoff)}`);
    // Timestamps are whole milliseconds: `ts < 1.5` is `ts < 2`, and PostgreSQL refuses a fractional BIGINT.
    out.push({ kind, cutoff: Math.ceil(cutoff), spec: PRUNE_TABLES[kind] });
  }
  return out;
}

/** One turn of the event loop, so requests waiting on it run between batches. */
export const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Delete through `deleteBatch` (which removes at most `limit` rows older than `cutoff` and says how
 * many it removed) until a batch comes back short, table by table. Between batches the event loop
 * gets a turn and the signal is checked.
 */
export async function pruneInBatches(
  cutoffs: PruneCutoffs,
  opts: PruneOptions,
  deleteBatch: (spec: PruneTable, cutoff: number, limit: number) => Promise<number>,
): Promise<PruneCounts> {
  const limit = opts.batchSize ?? DEFAULT_PRUNE_BATCH;
  if (!Number.isInteger(limit) || limit < 1)
    throw new StoreError(`prune batch size must be a positive integer, got ${String(limit)}`);
  const counts: PruneCounts = {};
  for (const { kind, cutoff, spec } of pruneTargets(cutoffs)) {
    counts[kind] = await deleteAll(spec, cutoff, limit, opts, deleteBatch);
    if (spec.alongside) await deleteAll(spec.alongside, cutoff, limit, opts, deleteBatch);
    if (opts.signal?.aborted) break;
  }
  return counts;
}

async function deleteAll(
  spec: PruneTable,
  cutoff: number,
  limit: number,
  opts: PruneOptions,
  deleteBatch: (spec: PruneTable, cutoff: number, limit: number) => Promise<number>,
): Promise<number> {
  let total = 0;
  for (;;) {
    if (opts.signal?.aborted) break;
    const n = await deleteBatch(spec, cutoff, limit);
    total += n;
    if (n < limit) break;
    await turn();
  }
  return total;
}

/** The WHERE condition selecting a kind's rows older than the cutoff placeholder. */
export function pruneCondition(spec: PruneTable, cutoffPlaceholder: string): string {
  return `${spec.where ? `${spec.where} AND ` : ''}${spec.tsCol} < ${cutoffPlaceholder}`;
}
