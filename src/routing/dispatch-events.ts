/**
 * What the dispatch wrappers report as they work: failed upstream attempts, retries, fallbacks and
 * circuit breaker transitions. The runtime turns them into log lines; the gateway also counts them
 * in /metrics. Events carry target refs and error codes, and only upstream text that the provider
 * client has already scrubbed of secrets.
 */
import type { ErrorCode } from '../core/errors.js';
import { rateLimitedLogger, type Logger } from '../core/logger.js';
import type { BreakerState } from './circuit-breaker.js';

export interface UpstreamErrorEvent {
  target: string;
  code: ErrorCode;
  status: number;
  message: string;
}

export interface RetryEvent {
  target: string;
  /** The attempt that failed (1 = first); the retry is attempt + 1. */
  attempt: number;
  delayMs: number;
  code: ErrorCode;
}

export interface FallbackEvent {
  from: string;
  to: string;
  code: ErrorCode;
}

export interface BreakerEvent {
  target: string;
  from: BreakerState;
  to: BreakerState;
}

export interface DispatchEvents {
  upstreamError(e: UpstreamErrorEvent): void;
  retry(e: RetryEvent): void;
  fallback(e: FallbackEvent): void;
  breaker(e: BreakerEvent): void;
}

export const NO_DISPATCH_EVENTS: DispatchEvents = { upstreamError() {}, retry() {}, fallback() {}, breaker() {} };

/** Every listener hears every event. */
export function combineDispatchEvents(...all: Array<Partial<DispatchEvents> | undefined>): DispatchEvents {
  const list = all.filter((x): x is Partial<DispatchEvents> => x !== undefined);
  return {
    upstreamError: (e) => list.forEach((l) => l.upstreamError?.(e)),
    retry: (e) => list.forEach((l) => l.retry?.(e)),
    fallback: (e) => list.forEach((l) => l.fallback?.(e)),
    breaker: (e) => list.forEach((l) => l.breaker?.(e)),
  };
}

/** A failing upstream fails every request: one line per target and code per this interval, with a count of the rest. */
const LOG_INTERVAL_MS = 10_000;

/**
 * Log lines for dispatch events. Errors, retries and fallbacks repeat with traffic, so each kind is
 * rate-limited per target (and code); breaker transitions are rare by construction and all logged.
 */
export function loggingDispatchEvents(logger: Logger, now: () => number): DispatchEvents {
  const limited = rateLimitedLogger(
    logger,
    LOG_INTERVAL_MS,
    now,
    (msg, f) => `${msg}\u0000${String(f?.target ?? f?.from)}\u0000${String(f?.to ?? '')}\u0000${String(f?.code ?? '')}`,
  );
  return {
    upstreamError: (e) =>
      limited.log('warn', 'upstream error', { target: e.target, code: e.code, status: e.status, error: e.message }),
    retry: (e) =>
      limited.log('info', 'retrying upstream', {
        target: e.target,
        attempt: e.attempt + 1,
        delay_ms: Math.round(e.delayMs),
        code: e.code,
      }),
    fallback: (e) => limited.log('warn', 'falling back to the next target', { from: e.from, to: e.to, code: e.code }),
    breaker: (e) =>
      logger.log(e.to === 'open' ? 'warn' : 'info', 'circuit breaker', { target: e.target, from: e.from, to: e.to }),
  };
}
