import type { AbortState } from './net-errors.js';

/** One attempt's abort signal: the caller's signal plus a per-attempt timer that can be re-armed. */
export interface Deadline {
  readonly signal: AbortSignal;
  readonly state: AbortState;
  /** Restart the timer (stream idle timeout); no-op without `timeoutMs`. */
  rearm(): void;
  clear(): void;
  abort(): void;
}

export function createDeadline(timeoutMs: number | undefined, callerSignal: AbortSignal | undefined): Deadline {
  const ac = new AbortController();
  const state: AbortState = { timedOut: false, callerAborted: false };
  let timer: NodeJS.Timeout | undefined;
  const onCallerAbort = (): void => {
    state.callerAborted = true;
    ac.abort();
  };
  if (callerSignal?.aborted) onCallerAbort();
  else callerSignal?.addEventListener('abort', onCallerAbort, { once: true });
  const arm = (): void => {
    if (timeoutMs === undefined || timeoutMs <= 0) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      state.timedOut = true;
      ac.abort();
    }, timeoutMs);
  };
  arm();
  return {
    signal: ac.signal,
    state,
    rearm: arm,
    clear() {
      if (timer) clearTimeout(timer);
      timer = undefined;
      callerSignal?.removeEventListener('abort', onCallerAbort);
    },
    abort: () => ac.abort(),
  };
}
