/**
 * What `modelpin store prune` deletes: the retention settings (models.yml or the defaults), narrowed
 * by `--only` and with `--older-than` replacing the ages. Pure; bad flags are UsageErrors (exit 2).
 */
import { UsageError } from '../core/errors.js';
import { PRUNE_KINDS } from './prune.js';
import { RETENTION_AGE, retentionSettings } from './retention.js';
import type { PruneKind } from './types.js';

export interface PrunePlanInput {
  /** `store.retention` from models.yml, if any. */
  configured?: Partial<Record<PruneKind, string>>;
  /** `--older-than`: one age for every table pruned. */
  olderThan?: string;
  /** `--only`: comma-separated table names. */
  only?: string;
}

/** Settings for the selected tables only: `never` for a table that is kept, absent for one not selected. */
export type PrunePlan = Partial<Record<PruneKind, string>>;

function isKind(s: string): s is PruneKind {
  return (PRUNE_KINDS as readonly string[]).includes(s);
}

export function parseOnly(text: string): PruneKind[] {
  const names = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (names.length === 0) throw new UsageError(`--only needs table names: ${PRUNE_KINDS.join(', ')}`);
  return names.map((n) => {
    if (n === 'audit') throw new UsageError('--only audit: the audit log is never pruned');
    if (!isKind(n))
      throw new UsageError(
        `--only "${n}" is not a prunable table; expected one or more of ${PRUNE_KINDS.join(', ')} (comma-separated)`,
      );
    return n;
  });
}

export function prunePlan(input: PrunePlanInput): PrunePlan {
  let olderThan: string | undefined;
  if (input.olderThan !== undefined) {
    olderThan = input.olderThan.trim();
    if (olderThan === 'never' || !RETENTION_AGE.test(olderThan))
      throw new UsageError(
        `--older-than "${input.olderThan}": expected a duration in hours, days or weeks, e.g. 36h, 30d, 2w`,
      );
  }
  const only = input.only === undefined ? null : new Set(parseOnly(input.only));
  const base = retentionSettings(input.configured);
  const plan: PrunePlan = {};
  for (const kind of PRUNE_KINDS) {
    if (only && !only.has(kind)) continue;
    // --older-than does not override `never` (eval runs by default) unless --only names the table.
    plan[kind] = olderThan !== undefined && (only !== null || base[kind] !== 'never') ? olderThan : base[kind];
  }
  return plan;
}
