/**
 * How long one upstream attempt may take, from what is left of the request's total budget and of
 * its fallback chain. Pure: the dispatcher passes the remaining time, the tests pass numbers.
 *
 * - A target with fallbacks after it gets at most an equal share of the remaining time, so a slow
 *   or hanging target cannot use up the budget of the targets behind it.
 * - Such a target must also send its response headers within the time-to-first-byte limit: a server
 *   that accepts the connection and never answers is given up on early, while a fallback can answer.
 * - The last target of the chain gets all that is left: cutting it early would only turn a slow
 *   answer into an error, since there is nowhere else to go.
 * A target's own `timeout_ms` replaces the share and the attempt timeout (never the total budget).
 */
export interface BudgetSettings {
  /** Whole-answer limit of one attempt (`retry.attempt_timeout_ms`). */
  attemptTimeoutMs: number;
  /** Time-to-response-headers limit of an attempt with fallbacks left (`retry.first_byte_timeout_ms`). */
  firstByteTimeoutMs: number;
}

export interface AttemptBudget {
  /** Whole-answer limit (for streams, the longest silence between events). */
  timeoutMs: number;
  /** Limit for the response headers; equal to `timeoutMs` when no shorter limit applies. */
  firstByteTimeoutMs: number;
}

/**
 * `remainingMs`: time left before the request's total deadline. `targetsLeft`: this target and those
 * after it in the fallback chain (1 for the last). `targetTimeoutMs`: the target's own `timeout_ms`.
 */
export function attemptBudget(
  remainingMs: number,
  targetsLeft: number,
  s: BudgetSettings,
  targetTimeoutMs?: number,
): AttemptBudget {
  const remaining = Math.max(1, Math.floor(remainingMs));
  if (targetsLeft <= 1) {
    const t = Math.min(targetTimeoutMs ?? s.attemptTimeoutMs, remaining);
    return { timeoutMs: t, firstByteTimeoutMs: t };
  }
  const t = Math.min(
    targetTimeoutMs ?? Math.min(s.attemptTimeoutMs, Math.max(1, Math.floor(remaining / targetsLeft))),
    remaining,
  );
  return { timeoutMs: t, firstByteTimeoutMs: Math.min(s.firstByteTimeoutMs, t) };
}
