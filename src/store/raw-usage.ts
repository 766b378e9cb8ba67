/**
 * Which requests keep a raw usage row besides their rollup (`store.raw_usage`). Rollups answer
 * every summary; raw rows are only for drilling into single requests, so at production traffic a
 * share of them (or the errors alone) is plenty.
 */
import { isArmError } from '../usage/record-errors.js';
import type { Random } from '../core/random.js';
import type { UsageRecord } from './types.js';

export type RawUsagePolicy =
  { keep: 'all' } | { keep: 'errors' } | { keep: 'none' } | { keep: 'sampled'; rate: number };

/** `raw_usage` from models.yml: `all`, `errors`, `none`, or `{ sampled: 0.05 }`. */
export type RawUsageSetting = 'all' | 'errors' | 'none' | { sampled: number };

export function rawUsagePolicy(setting: RawUsageSetting | undefined): RawUsagePolicy {
  if (setting === undefined || setting === 'all') return { keep: 'all' };
  if (setting === 'errors' || setting === 'none') return { keep: setting };
  return { keep: 'sampled', rate: setting.sampled };
}

/**
 * Whether a request keeps its raw row. A sampled policy keeps every error (by the canary's definition,
 * so a version's failures can always be drilled into) and a `rate` share of the rest.
 */
export function keepRaw(p: RawUsagePolicy, r: UsageRecord, random: Random): boolean {
  switch (p.keep) {
    case 'all':
      return true;
    case 'none':
      return false;
    case 'errors':
      return isArmError(r);
    case 'sampled':
      return isArmError(r) || random.next() < p.rate;
  }
}
