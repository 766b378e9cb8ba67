import { EventEmitter } from 'node:events';
import type { AbortState } from './net-errors.js';

/**
 * Abort source handed to undici for one attempt. undici accepts any EventEmitter with `aborted`
 * and `reason`; a plain emitter costs a fraction of an AbortController, which matters because
 * every upstream attempt makes one.
 */
export class AttemptSignal extends EventEmitter {
  aborted = false;
  reason: unknown = undefined;

  abort(reason?: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.emit('abort');
  }
}

/** One attempt's abort signal: the caller's signal plus a per-attempt timer that can be re-armed. */
export interface Deadline {
  readonly signal: AttemptSignal;
  readonly state: AbortState;
  /** Restart the timer (stream idle timeout); no-op without `timeoutMs`. */
  rearm(): void;
  clear(): void;
  abort(): void;
}

class AttemptDeadline implements Deadline {
  readonly signal = new AttemptSignal();
  readonly state: AbortState = { timedOut: false, callerAborted: false };
  private timer: NodeJS.Timeout | undefined = undefined;

  constructor(
    private readonly timeoutMs: number | undefined,
    private readonly callerSignal: AbortSignal | undefined,
  ) {
    if (callerSignal?.aborted) this.onCallerAbort();
    else callerSignal?.addEventListener('abort', this.onCallerAbort, { once: true });
    this.rearm();
  }

  private readonly onCallerAbort = (): void => {
    this.state.callerAborted = true;
    this.signal.abort();
  };

  private readonly onTimeout = (): void => {
    this.state.timedOut = true;
    this.signal.abort();
  };

  rearm(): void {
    const ms = this.timeoutMs;
    if (ms === undefined || ms <= 0) return;
    // refresh() re-arms the same timer object: no allocation per stream chunk.
    if (this.timer) this.timer.refresh();
    else this.timer = setTimeout(this.onTimeout, ms);
  }

  clear(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.callerSignal?.removeEventListener('abort', this.onCallerAbort);
  }

  abort(): void {
    this.signal.abort();
  }
}

export function createDeadline(timeoutMs: number | undefined, callerSignal: AbortSignal | undefined): Deadline {
  return new AttemptDeadline(timeoutMs, callerSignal);
}
