import type { Random } from '../core/random.js';

export interface BackoffSettings {
  baseDelayMs: number;
  maxDelayMs: number;
}

/**
 * Exponential backoff with full jitter: uniform in [0, min(max, base * 2^(retry-1))].
 * Full jitter spreads retries of many clients hitting the same failing upstream.
 * `retry` counts from 1 (the first retry after the first failure).
 */
export function backoffDelay(retry: number, s: BackoffSettings, random: Random): number {
  const ceiling = Math.min(s.maxDelayMs, s.baseDelayMs * 2 ** Math.max(0, retry - 1));
  return Math.floor(random.next() * ceiling);
}

/** Wait before the next retry: the provider's Retry-After wins over our own jitter when it is given. */
export function retryDelay(
  retry: number,
  retryAfterMs: number | undefined,
  s: BackoffSettings,
  random: Random,
): number {
  if (retryAfterMs !== undefined && retryAfterMs >= 0) return retryAfterMs;
  return backoffDelay(retry, s, random);
}
