/**
 * Composable dispatch wrappers, in the style of HTTP client interceptors: each takes a
 * `TargetCall` and returns one. The gateway and the in-process client compose the same chain:
 *   fallback(targets) ∘ retry ∘ breaker ∘ timed ∘ provider call
 * They read `code`, `retryable` and `retryAfterMs` from the error hierarchy, never messages.
 */
import type { Clock } from '../core/clock.js';
import type { Random } from '../core/random.js';
import { ModelpinError, ProviderError, toModelpinError, type ErrorCode } from '../core/errors.js';
import { targetRef, type Target } from '../config/target.js';
import { retryDelay } from './backoff.js';
import type { CircuitBreakers } from './circuit-breaker.js';
import { NO_DISPATCH_EVENTS, type DispatchEvents } from './dispatch-events.js';

export interface RetrySettings {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  totalDeadlineMs: number;
  attemptTimeoutMs: number;
  firstByteTimeoutMs: number;
}

export interface AttemptRecord {
  target: string;
  ok: boolean;
  code: ErrorCode | null;
  status: number | null;
  ms: number;
}

/** What happened during one dispatch: read by headers, usage records and metrics. */
export interface DispatchTrace {
  attempts: AttemptRecord[];
  /** Time spent waiting on upstreams (not counted as gateway overhead). */
  upstreamMs: number;
  /** Time spent in backoff sleeps. */
  waitedMs: number;
  /** The target that answered, or the last one tried. */
  target: Target | null;
  /** First failure of the first target (canary guards want to see a candidate's failure). */
  firstError: ModelpinError | null;
  /** Last error an upstream actually returned (a skipped, cooling-down target is not one). */
  lastError: ModelpinError | null;
  /** Targets (`provider/model`) passed over because their circuit breaker was open: not attempts, but not answers either. */
  skipped: string[];
  /** Told of each upstream attempt (tracing); null when nobody listens, which costs one comparison per attempt. */
  hook: AttemptHook | null;
}

/** Sees each upstream attempt begin and end, and may add headers to it (a W3C traceparent). */
export interface AttemptHook {
  attempt(target: Target): AttemptObserver;
}

export interface AttemptObserver {
  /** Sent upstream with this attempt (undefined: none). */
  readonly headers: Record<string, string> | undefined;
  end(error: ModelpinError | null): void;
}

export interface CallContext {
  signal?: AbortSignal;
  /** Absolute time (clock ms) after which no new attempt starts. */
  deadlineAt: number;
  trace: DispatchTrace;
  /** The target being tried and those after it in the fallback chain (set by withFallback; 1 = the last). */
  targetsLeft?: number;
  /** Headers for the attempt under way (set by `timed` when the trace has a hook). */
  headers?: Record<string, string>;
}

export type TargetCall<T, C extends CallContext = CallContext> = (target: Target, ctx: C) => Promise<T>;
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** Codes where another try on the same target is pointless: move on to the next target at once. */
const SKIP_TARGET: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['model_not_found', 'model_retired', 'circuit_open']);

export function newTrace(): DispatchTrace {
  return {
    attempts: [],
    upstreamMs: 0,
    waitedMs: 0,
    target: null,
    firstError: null,
    lastError: null,
    skipped: [],
    hook: null,
  };
}

/** Records each upstream attempt and the time spent in it (`now` is a monotonic ms timer), and reports failed ones. */
export function timed<T, C extends CallContext = CallContext>(
  call: TargetCall<T, C>,
  now: () => number,
  events: DispatchEvents = NO_DISPATCH_EVENTS,
): TargetCall<T, C> {
  return async (target, ctx) => {
    const observer = ctx.trace.hook === null ? null : ctx.trace.hook.attempt(target);
    if (observer !== null) ctx.headers = observer.headers;
    const t0 = now();
    try {
      const v = await call(target, ctx);
      const ms = now() - t0;
      ctx.trace.upstreamMs += ms;
      ctx.trace.attempts.push({ target: targetRef(target), ok: true, code: null, status: 200, ms });
      if (observer !== null) observer.end(null);
      return v;
    } catch (e) {
      const err = toModelpinError(e);
      const ms = now() - t0;
      ctx.trace.upstreamMs += ms;
      ctx.trace.attempts.push({ target: targetRef(target), ok: false, code: err.code, status: err.status, ms });
      ctx.trace.firstError ??= err;
      ctx.trace.lastError = err;
      if (observer !== null) observer.end(err);
      // A client that went away is not the upstream's failure.
      if (!ctx.signal?.aborted)
        events.upstreamError({ target: targetRef(target), code: err.code, status: err.status, message: err.message });
      throw err;
    }
  };
}

/** Skips targets whose breaker is open; feeds upstream-health verdicts back to the breaker. */
export function withBreaker<T, C extends CallContext = CallContext>(
  call: TargetCall<T, C>,
  breakers: CircuitBreakers,
): TargetCall<T, C> {
  return async (target, ctx) => {
    const key = targetRef(target);
    if (!breakers.acquire(key)) {
      ctx.trace.skipped.push(key);
      throw new ProviderError('circuit_open', `target ${key} is cooling down after repeated failures`, {
        provider: target.provider,
        details: { target: key },
      });
    }
    try {
      const v = await call(target, ctx);
      breakers.success(key);
      return v;
    } catch (e) {
      const err = toModelpinError(e);
      if (err.retryable && !ctx.signal?.aborted) breakers.failure(key);
      else breakers.release(key);
      throw err;
    }
  };
}

/** Retries one target on retryable failures with full-jitter backoff, honouring Retry-After within the deadline. */
export function withRetry<T, C extends CallContext = CallContext>(
  call: TargetCall<T, C>,
  s: RetrySettings,
  deps: { clock: Clock; random: Random; sleep: Sleep; events?: DispatchEvents },
): TargetCall<T, C> {
  return async (target, ctx) => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await call(target, ctx);
      } catch (e) {
        const err = toModelpinError(e);
        if (!err.retryable || SKIP_TARGET.has(err.code) || attempt >= s.maxAttempts || ctx.signal?.aborted) throw err;
        // A target that timed out will likely time out again: spend what is left on the fallbacks instead.
        if (err.code === 'timeout' && (ctx.targetsLeft ?? 1) > 1) throw err;
        const delay = retryDelay(attempt, err.retryAfterMs, s, deps.random);
        if (deps.clock.now() + delay >= ctx.deadlineAt) throw err;
        deps.events?.retry({ target: targetRef(target), attempt, delayMs: delay, code: err.code });
        await deps.sleep(delay, ctx.signal);
        ctx.trace.waitedMs += delay;
      }
    }
  };
}

/** Tries each target in order; a non-retryable failure (400/401/403) is returned at once. */
export function withFallback<T, C extends CallContext = CallContext>(
  call: TargetCall<T, C>,
  clock: Clock,
  events: DispatchEvents = NO_DISPATCH_EVENTS,
): (targets: readonly Target[], ctx: C) => Promise<T> {
  return async (targets, ctx) => {
    let last: ModelpinError | null = null;
    for (let i = 0; i < targets.length; i++) {
      const target = targets[i] as Target;
      if (ctx.signal?.aborted) break;
      if (last && clock.now() >= ctx.deadlineAt) break;
      if (last && ctx.trace.target)
        events.fallback({ from: targetRef(ctx.trace.target), to: targetRef(target), code: last.code });
      ctx.trace.target = target;
      ctx.targetsLeft = targets.length - i;
      try {
        return await call(target, ctx);
      } catch (e) {
        const err = toModelpinError(e);
        if (!err.retryable) throw err;
        last = err;
      }
    }
    throw exhausted(ctx.trace, last);
  };
}

/** The error of a fallback chain that ran out: the last upstream failure (else `last`), with the attempts made. */
export function exhausted(trace: DispatchTrace, last: ModelpinError | null): ModelpinError {
  const chosen = trace.lastError ?? last;
  if (chosen) return withAttempts(chosen, trace);
  return new ProviderError('all_targets_failed', 'no target could be tried', { retryable: false });
}

function withAttempts(err: ModelpinError, trace: DispatchTrace): ModelpinError {
  const detail = {
    ...err.details,
    attempts: trace.attempts.length,
    tried: [...new Set(trace.attempts.map((a) => a.target))],
  };
  return new ModelpinError(err.code, err.message, {
    status: err.status,
    retryable: err.retryable,
    retryAfterMs: err.retryAfterMs,
    providerCode: err.providerCode,
    provider: err.provider,
    details: detail,
    cause: err,
  });
}

/** Real timer sleep, cut short when the signal aborts. */
export const realSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve) => {
    if (ms <= 0 || signal?.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
