/**
 * Canary guards: the thresholds a candidate arm must stay within. Stored in CanaryRecord.guards
 * under the same snake_case names as `canary.guards` in models.yml.
 */
export const GUARD_NAMES = [
  'max_error_rate_delta',
  'max_p95_ratio',
  'max_cost_ratio',
  'min_format_valid',
  'min_samples',
  'p95_floor_ms',
] as const;
export type GuardName = (typeof GUARD_NAMES)[number];
export type CanaryGuards = Record<GuardName, number>;

export const DEFAULT_GUARDS: CanaryGuards = {
  /** Canary error rate may exceed stable's by at most 5 percentage points. */
  max_error_rate_delta: 0.05,
  max_p95_ratio: 1.5,
  max_cost_ratio: 1.3,
  min_format_valid: 0.95,
  /** Neither arm is judged before it has this many requests in the current step. */
  min_samples: 50,
  /**
   * Latencies below this are treated as this value in the p95 ratio, so that jitter on very
   * fast routes (2 ms vs 4 ms) does not look like a 2x regression.
   */
  p95_floor_ms: 50,
};

/** Fill in defaults and drop unknown keys. */
export function resolveGuards(partial: Partial<Record<string, number>> | undefined): CanaryGuards {
  const out: CanaryGuards = { ...DEFAULT_GUARDS };
  for (const name of GUARD_NAMES) {
    const v = partial?.[name];
    if (typeof v === 'number' && Number.isFinite(v)) out[name] = v;
  }
  return out;
}
