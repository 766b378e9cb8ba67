/** Real-time waits for simulated latency and hangs, cut short by a deadline or an abort signal. */
import { ProviderError } from '../core/errors.js';

export interface WaitOptions {
  signal?: AbortSignal;
  /** Deadline in ms from the start of the wait; exceeding it throws `timeout`. */
  timeoutMs?: number;
  provider?: string;
}

function timeoutError(provider: string | undefined, cause?: unknown): ProviderError {
  return new ProviderError('timeout', 'simulated model did not answer before the deadline', {
    ...(provider !== undefined ? { provider } : {}),
    ...(cause !== undefined ? { cause } : {}),
  });
}

/** Wait `ms`; throws a retryable `timeout` ProviderError if the deadline or the signal comes first. */
export function wait(ms: number, opts: WaitOptions = {}): Promise<void> {
  const { signal, timeoutMs, provider } = opts;
  if (signal?.aborted) return Promise.reject(timeoutError(provider, signal.reason));
  if (ms <= 0 && timeoutMs === undefined) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timers: NodeJS.Timeout[] = [];
    const done = (err?: ProviderError) => {
      for (const t of timers) clearTimeout(t);
      signal?.removeEventListener('abort', onAbort);
      if (err) reject(err);
      else resolve();
    };
    const onAbort = () => done(timeoutError(provider, signal?.reason));
    signal?.addEventListener('abort', onAbort, { once: true });
    if (timeoutMs !== undefined && timeoutMs < ms)
      timers.push(setTimeout(() => done(timeoutError(provider)), timeoutMs));
    else timers.push(setTimeout(() => done(), ms));
  });
}
