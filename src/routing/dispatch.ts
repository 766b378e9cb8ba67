/**
 * What a dispatch records and the types its steps share. The steps themselves (fallback over the
 * targets ∘ retry ∘ breaker ∘ timed ∘ provider call) run as one loop in chain.ts, which the gateway
 * and the in-process client both use; they read `code`, `retryable` and `retryAfterMs` from the
 * error hierarchy, never messages.
 */
import { ModelpinError, ProviderError, type ErrorCode } from '../core/errors.js';
import type { Target } from '../config/target.js';

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
  /** The target being tried and those after it in the fallback chain (set by the chain; 1 = the last). */
  targetsLeft?: number;
  /** Headers for the attempt under way (set by the chain when the trace has a hook). */
  headers?: Record<string, string>;
}

export type TargetCall<T, C extends CallContext = CallContext> = (target: Target, ctx: C) => Promise<T>;
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

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
