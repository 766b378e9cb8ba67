import { ProviderError, toModelpinError, type ModelpinError } from '../core/errors.js';
import type { Clock } from '../core/clock.js';
import type { CanonicalRequest, CanonicalResponse } from '../wire/canonical.js';
import type { EvalCaller } from './run-types.js';
import type { ProviderRateLimiter, Sleep } from './rate-limit.js';
import { cacheKey, type ResponseCache } from './cache.js';

export interface RetryPolicy {
  /** Attempts in total, including the first. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 3, baseDelayMs: 250, maxDelayMs: 5000 };

export interface CallDeps {
  clock: Clock;
  sleep: Sleep;
  limiter: ProviderRateLimiter;
  retry: RetryPolicy;
  cache?: ResponseCache;
}

export interface CallOutcome {
  response: CanonicalResponse;
  latencyMs: number;
  attempts: number;
  retried: string[];
  cached: boolean;
}

/** Thrown when a call could not complete; carries the attempts made so reports can show them. */
export class CallFailed extends Error {
  constructor(
    readonly error: ModelpinError,
    readonly attempts: number,
    readonly retried: string[],
  ) {
    super(error.message);
  }
}

/** One attempt with its own deadline, aborted also by the run's signal. */
async function attempt(
  caller: EvalCaller,
  req: CanonicalRequest,
  timeoutMs: number | undefined,
  signal: AbortSignal | undefined,
  headers: Record<string, string> | undefined,
): Promise<CanonicalResponse> {
  // Nothing to cancel with: skip the controller and listener (the hot path of a big local run).
  if (timeoutMs === undefined && signal === undefined) return caller.call(req, headers ? { headers } : {});
  const ac = new AbortController();
  const onAbort = (): void => ac.abort(signal?.reason);
  signal?.addEventListener('abort', onAbort, { once: true });
  let timer: NodeJS.Timeout | undefined;
  let timedOut: ProviderError | undefined;
  const deadline =
    timeoutMs === undefined
      ? undefined
      : new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            timedOut = new ProviderError('timeout', `no answer from ${caller.target} within ${timeoutMs} ms`, {
              provider: caller.provider,
            });
            reject(timedOut);
            ac.abort(timedOut);
          }, timeoutMs);
        });
  try {
    const call = caller.call(req, {
      signal: ac.signal,
      ...(timeoutMs !== undefined ? { timeoutMs } : {}),
      ...(headers ? { headers } : {}),
    });
    return await (deadline ? Promise.race([call, deadline]) : call);
  } catch (e) {
    // Whatever the provider threw once our deadline aborted it, the cause is the timeout.
    throw timedOut ?? e;
  } finally {
    if (timer) clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}

/**
 * Cache, rate limit, per-attempt timeout and retry with exponential backoff around one
 * caller. Retryable errors (by `retryable`/`retryAfterMs`, never by message) are retried;
 * the codes retried are returned so reports can show them without counting a failure.
 */
export async function callWithPolicy(
  caller: EvalCaller,
  req: CanonicalRequest,
  sample: number,
  timeoutMs: number | undefined,
  deps: CallDeps,
  signal?: AbortSignal,
  /** Sent with each attempt (a sample span's traceparent). */
  headers?: Record<string, string>,
): Promise<CallOutcome> {
  const key = deps.cache ? cacheKey(caller.provider, caller.model, req, sample) : undefined;
  if (key && deps.cache) {
    const hit = deps.cache.get(key);
    if (hit) return { response: hit.response, latencyMs: hit.latencyMs, attempts: 0, retried: [], cached: true };
  }
  const retried: string[] = [];
  for (let n = 1; ; n++) {
    if (signal?.aborted) throw new CallFailed(toModelpinError(signal.reason), n - 1, retried);
    let err: ModelpinError;
    try {
      await deps.limiter.acquire(caller.provider, signal);
      const t0 = deps.clock.now();
      const response = await attempt(caller, req, timeoutMs, signal, headers);
      const latencyMs = deps.clock.now() - t0;
      if (key && deps.cache) deps.cache.set(key, { response, latencyMs });
      return { response, latencyMs, attempts: n, retried, cached: false };
    } catch (e) {
      err = toModelpinError(e);
    }
    if (signal?.aborted || !err.retryable || n >= deps.retry.maxAttempts) throw new CallFailed(err, n, retried);
    retried.push(err.code);
    const backoff = Math.min(deps.retry.maxDelayMs, deps.retry.baseDelayMs * 2 ** (n - 1));
    try {
      await deps.sleep(err.retryAfterMs ?? backoff, signal);
    } catch {
      throw new CallFailed(err, n, retried);
    }
  }
}
