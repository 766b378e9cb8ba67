import { histogramPercentile } from '../../store/histogram.js';
import type { RollupSums } from '../../store/rollup.js';
import type { UsageRecord } from '../../store/types.js';
import { isArmError } from '../../usage/record-errors.js';

/** What the canary controller compares between the stable and canary arms. */
export interface ArmStats {
  samples: number;
  errors: number;
  errorRate: number;
  p95LatencyMs: number | null;
  /** Mean USD per request over requests with a known cost; null when none had one. */
  costPerRequest: number | null;
  /** Requests whose output format was checked (formatValid not null). */
  formatChecked: number;
  /** Share of checked requests whose format was valid; null when none was checked. */
  formatValidShare: number | null;
}

export function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))] ?? null;
}

/** The one definition of an arm's error lives with the other usage-record error rules. */
export { isArmError };

export function armStats(records: readonly UsageRecord[]): ArmStats {
  const samples = records.length;
  const errors = records.filter(isArmError).length;
  const costs = records.map((r) => r.costUsd).filter((c): c is number => c !== null);
  const checked = records.filter((r) => r.formatValid !== null);
  return {
    samples,
    errors,
    errorRate: samples === 0 ? 0 : errors / samples,
    p95LatencyMs: percentile(
      records.map((r) => r.latencyMs),
      95,
    ),
    costPerRequest: costs.length === 0 ? null : costs.reduce((a, b) => a + b, 0) / costs.length,
    formatChecked: checked.length,
    formatValidShare:
      checked.length === 0 ? null : checked.filter((r) => r.formatValid === true).length / checked.length,
  };
}

/**
 * The same stats from an arm's summed rollups (what the controller reads: its cost is the number of
 * buckets in the step, never the number of requests). p95 is the histogram estimate, within
 * HISTOGRAM_RELATIVE_ERROR of the exact value; errors use the version-error count (isArmError).
 */
export function armStatsFromSums(s: RollupSums | undefined): ArmStats {
  if (!s || s.requests === 0) return armStats([]);
  return {
    samples: s.requests,
    errors: s.versionErrors,
    errorRate: s.versionErrors / s.requests,
    p95LatencyMs: histogramPercentile(s.latency, 95, s.latencyMinMs, s.latencyMaxMs),
    costPerRequest: s.pricedRequests === 0 || s.costUsd === null ? null : s.costUsd / s.pricedRequests,
    formatChecked: s.formatChecked,
    formatValidShare: s.formatChecked === 0 ? null : s.formatValid / s.formatChecked,
  };
}
