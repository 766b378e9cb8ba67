/**
 * The dispatch chain `fallback ∘ retry ∘ breaker ∘ timed ∘ provider call` as one loop. Written as four
 * async wrappers around each other, a call made four more promises and microtask hops than the
 * upstream call itself; the dispatcher runs every upstream call through this single function. The
 * comments name each step (fallback, retry, breaker, timed) where it happens.
 */
import type { Clock } from '../core/clock.js';
import type { Random } from '../core/random.js';
import { ModelpinError, ProviderError, toModelpinError, type ErrorCode } from '../core/errors.js';
import { targetRef, type Target } from '../config/target.js';
import { retryDelay } from './backoff.js';
import type { CircuitBreakers } from './circuit-breaker.js';
import { NO_DISPATCH_EVENTS, type DispatchEvents } from './dispatch-events.js';
import { exhausted, type CallContext, type RetrySettings, type Sleep, type TargetCall } from './dispatch.js';

export interface ChainDeps {
  breakers: CircuitBreakers;
  /** Read on every call: a reload changes retries without rebuilding the chain. */
  settings: RetrySettings;
  clock: Clock;
  random: Random;
  sleep: Sleep;
  /** Monotonic ms timer for the time spent in each attempt. */
  now: () => number;
  events?: DispatchEvents;
}

/** Codes where another try on the same target is pointless: move on to the next target at once. */
const SKIP_TARGET: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['model_not_found', 'model_retired', 'circuit_open']);

export function dispatchChain<T, C extends CallContext = CallContext>(
  call: TargetCall<T, C>,
  d: ChainDeps,
): (targets: readonly Target[], ctx: C) => Promise<T> {
  const events = d.events ?? NO_DISPATCH_EVENTS;
  return async (targets, ctx) => {
    let last: ModelpinError | null = null;
    for (let i = 0; i < targets.length; i++) {
      const target = targets[i] as Target;
      // fallback: stop on an aborted caller or a spent deadline, report the move, mark the target.
      if (ctx.signal?.aborted) break;
      if (last && d.clock.now() >= ctx.deadlineAt) break;
      if (last && ctx.trace.target)
        events.fallback({ from: targetRef(ctx.trace.target), to: targetRef(target), code: last.code });
      ctx.trace.target = target;
      ctx.targetsLeft = targets.length - i;
      const key = targetRef(target);
      let err: ModelpinError;
      for (let attempt = 1; ; attempt++) {
        // breaker: a cooling-down target is skipped, and no retry of it is tried.
        if (!d.breakers.acquire(key)) {
          ctx.trace.skipped.push(key);
          err = new ProviderError('circuit_open', `target ${key} is cooling down after repeated failures`, {
            provider: target.provider,
            details: { target: key },
          });
          break;
        }
        // timed: record the attempt and the time spent in it.
        const observer = ctx.trace.hook === null ? null : ctx.trace.hook.attempt(target);
        if (observer !== null) ctx.headers = observer.headers;
        const t0 = d.now();
        let failure: ModelpinError;
        try {
          const v = await call(target, ctx);
          const ms = d.now() - t0;
          ctx.trace.upstreamMs += ms;
          ctx.trace.attempts.push({ target: key, ok: true, code: null, status: 200, ms });
          if (observer !== null) observer.end(null);
          d.breakers.success(key);
          return v;
        } catch (e) {
          failure = toModelpinError(e);
        }
        const ms = d.now() - t0;
        ctx.trace.upstreamMs += ms;
        ctx.trace.attempts.push({ target: key, ok: false, code: failure.code, status: failure.status, ms });
        ctx.trace.firstError ??= failure;
        ctx.trace.lastError = failure;
        if (observer !== null) observer.end(failure);
        // A client that went away is not the upstream's failure.
        if (!ctx.signal?.aborted)
          events.upstreamError({ target: key, code: failure.code, status: failure.status, message: failure.message });
        // breaker: feed the verdict back.
        if (failure.retryable && !ctx.signal?.aborted) d.breakers.failure(key);
        else d.breakers.release(key);
        // retry: try the same target again, or give it up.
        err = failure;
        const s = d.settings;
        if (!err.retryable || SKIP_TARGET.has(err.code) || attempt >= s.maxAttempts || ctx.signal?.aborted) break;
        // A target that timed out will likely time out again: spend what is left on the fallbacks instead.
        if (err.code === 'timeout' && (ctx.targetsLeft ?? 1) > 1) break;
        const delay = retryDelay(attempt, err.retryAfterMs, s, d.random);
        if (d.clock.now() + delay >= ctx.deadlineAt) break;
        events.retry({ target: key, attempt, delayMs: delay, code: err.code });
        await d.sleep(delay, ctx.signal);
        ctx.trace.waitedMs += delay;
      }
      // fallback: a failure that is not retryable is the answer; any other moves on.
      if (!err.retryable) throw err;
      last = err;
    }
    throw exhausted(ctx.trace, last);
  };
}
