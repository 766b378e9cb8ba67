/**
 * Retention policy: how long each growing table keeps its rows. Pure: turns `store.retention`
 * (or the defaults) and a clock reading into per-table cutoffs for `Store.prune`.
 *
 * Only tables that grow with traffic are prunable. The audit log is never pruned automatically
 * (it is the record of who changed what, including prunes); overrides, canaries, runtime shadows
 * and served-model observations hold one row per route/target and do not grow.
 */
import { parseDuration } from '../core/duration.js';
import { UsageError } from '../core/errors.js';
import { PRUNE_KINDS } from './prune.js';
import type { PruneCutoffs, PruneKind } from './types.js';

/** An age as written in models.yml or `--older-than`: hours, days or weeks, or `never`. */
export const RETENTION_AGE = /^(never|[1-9]\d*[hdw])$/;
/** No minutes or months: `90m` would be read as minutes by some and as months by others. */
export const RETENTION_AGE_HINT = 'expected a duration in hours, days or weeks (e.g. 36h, 90d, 2w) or "never"';

/**
 * Defaults when `store.retention` is present but omits a table (and for `modelpin store prune`
 * without a retention block). Why these:
 * - usage 90d (raw rows): drill-downs into single requests; summaries read the rollups.
 * - usage_minutes 14d: the canary guards read a step's minutes (a step held for days included) and
 *   every window's edges are read to the minute; older edges fall back to whole hours.
 * - usage_hours 90d: `usage --interval 1h` and the dashboard's trends over a quarter.
 * - usage_days 400d: a year-over-year view costs a few hundred rows per group.
 * - shadow_pairs 14d: they hold full request and answer texts (the largest rows, and the most
 *   sensitive); a shadow comparison is read within days of running it.
 * - sentinel_events 365d: tiny rows, and a year of "the provider moved this alias" is worth keeping.
 * - eval_runs never: they are the promotion evidence (`promote` counts passing days).
 */
export const DEFAULT_RETENTION: Readonly<Record<PruneKind, string>> = {
  usage: '90d',
  usage_minutes: '14d',
  usage_hours: '90d',
  usage_days: '400d',
  shadow_pairs: '14d',
  sentinel_events: '365d',
  eval_runs: 'never',
};

/** Eval runs are what `promote` reads: a shorter retention would make every promotion refuse for lack of evidence. */
export const MIN_EVAL_RUNS_RETENTION_MS = 30 * 86_400_000;

export type RetentionSettings = Readonly<Record<PruneKind, string>>;

/** Milliseconds for an age, or null for `never`. Throws a UsageError naming `what` on anything else. */
export function parseRetentionAge(text: string, what = 'retention'): number | null {
  const t = text.trim();
  if (!RETENTION_AGE.test(t)) throw new UsageError(`${what} "${text}": ${RETENTION_AGE_HINT}`);
  if (t === 'never') return null;
  return parseDuration(t, what);
}

/** The settings in effect: the configured block with defaults filled in (defaults alone when there is none). */
export function retentionSettings(configured?: Partial<Record<PruneKind, string>>): RetentionSettings {
  return {
    ...DEFAULT_RETENTION,
    ...Object.fromEntries(Object.entries(configured ?? {}).filter(([, v]) => v !== undefined)),
  };
}

/**
 * Per-table cutoffs at `now`: rows with a timestamp strictly before `now - age` go, a row exactly
 * at the cutoff stays (so `usage --since 90d` shows the same rows before and after a 90d prune).
 * Tables kept forever are left out.
 */
export function retentionCutoffs(settings: Partial<RetentionSettings>, now: number): PruneCutoffs {
  const out: PruneCutoffs = {};
  for (const kind of PRUNE_KINDS) {
    const text = settings[kind];
    const age = text === undefined ? null : parseRetentionAge(text, `store.retention.${kind}`);
    if (age !== null) out[kind] = now - age;
  }
  return out;
}
