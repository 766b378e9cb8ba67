import type { Clock } from '../core/clock.js';

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export interface RateLimit {
  /** Sustained requests per second. */
  perSecond: number;
  /** Requests allowed at once before the rate applies (default: perSecond, at least 1). */
  burst?: number;
}

/**
 * Token bucket by reservation: each acquire takes a token now, letting the balance go
 * negative, and waits until the refill would have covered it. Concurrent callers queue
 * fairly without polling.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;
  private readonly burst: number;

  constructor(
    private readonly limit: RateLimit,
    private readonly clock: Clock,
    private readonly sleep: Sleep,
  ) {
    this.burst = Math.max(1, limit.burst ?? limit.perSecond);
    this.tokens = this.burst;
    this.last = clock.now();
  }

  async acquire(signal?: AbortSignal): Promise<void> {
    const now = this.clock.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.limit.perSecond);
    this.last = now;
    this.tokens -= 1;
    if (this.tokens >= 0) return;
    await this.sleep((-this.tokens / this.limit.perSecond) * 1000, signal);
  }
}

/** One bucket per provider id; providers without a configured limit are not limited. */
export class ProviderRateLimiter {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(limits: Record<string, RateLimit>, clock: Clock, sleep: Sleep) {
    for (const [id, l] of Object.entries(limits)) this.buckets.set(id, new TokenBucket(l, clock, sleep));
  }

  acquire(provider: string, signal?: AbortSignal): Promise<void> {
    return this.buckets.get(provider)?.acquire(signal) ?? Promise.resolve();
  }
}

/** Real sleep that rejects when aborted, so Ctrl-C does not wait out a backoff. */
export const realSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const t = setTimeout(
      () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      },
      Math.max(0, ms),
    );
    const onAbort = (): void => {
      clearTimeout(t);
      reject(signal?.reason as Error);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
