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

/**
 * One attempt's abort signal: the caller's signal, a per-attempt timer that can be re-armed, and
 * an optional shorter timer for the response headers (time to first byte).
 */
export interface Deadline {
  /** Made on first use: a caller that aborts through `onAbort` never builds one. */
  readonly signal: AttemptSignal;
  readonly state: AbortState;
  /** Restart the timer (stream idle timeout); no-op without `timeoutMs`. */
  rearm(): void;
  /** The response headers are in: the time-to-first-byte limit no longer applies. */
  headersReceived(): void;
  clear(): void;
  abort(): void;
  /** Call `fn` once when the attempt is aborted (at once if it already is): cheaper than listening on `signal`. */
  onAbort(fn: () => void): void;
}

/**
 * Attempts waiting on each caller signal. A gateway request's signal belongs to its client
 * connection and outlives many attempts: one abort listener per signal fans out to the attempts
 * in flight, so an attempt costs no EventTarget listener registration and removal (which allocate
 * and are slow in Node). A connection has one attempt in flight at a time (shadow calls and
 * pipelined requests can add more): the first takes a slot, the rest go in a set made only for them.
 */
interface Followers {
  one: AttemptDeadline | null;
  more: Set<AttemptDeadline> | null;
}

const followers = new WeakMap<AbortSignal, Followers>();

function follow(signal: AbortSignal, d: AttemptDeadline): void {
  let f = followers.get(signal);
  if (!f) {
    const waiting: Followers = { one: null, more: null };
    f = waiting;
    followers.set(signal, waiting);
    signal.addEventListener(
      'abort',
      () => {
        const one = waiting.one;
        const more = waiting.more;
        waiting.one = null;
        waiting.more = null;
        one?.callerAborted();
        if (more) for (const a of more) a.callerAborted();
      },
      { once: true },
    );
  }
  if (f.one === null) f.one = d;
  else (f.more ??= new Set()).add(d);
}

function unfollow(signal: AbortSignal, d: AttemptDeadline): void {
  const f = followers.get(signal);
  if (!f) return;
  if (f.one === d) f.one = null;
  else f.more?.delete(d);
}

const fireTimeout = (d: AttemptDeadline): void => d.timedOut(false);
const fireFirstByte = (d: AttemptDeadline): void => d.timedOut(true);

class AttemptDeadline implements Deadline {
  readonly state: AbortState = { timedOut: false, callerAborted: false };
  private aborted = false;
  private sig: AttemptSignal | null = null;
  private hook: (() => void) | null = null;
  private timer: NodeJS.Timeout | undefined = undefined;
  private firstByteTimer: NodeJS.Timeout | undefined = undefined;

  constructor(
    private readonly timeoutMs: number | undefined,
    private readonly callerSignal: AbortSignal | undefined,
    private readonly firstByteMs: number | undefined,
  ) {
    if (callerSignal?.aborted) this.callerAborted();
    else if (callerSignal) follow(callerSignal, this);
    this.rearm();
    // A second timer only when it is the tighter one (targets with a fallback left).
    if (firstByteMs !== undefined && firstByteMs > 0 && (timeoutMs === undefined || firstByteMs < timeoutMs)) {
      this.firstByteTimer = setTimeout(fireFirstByte, firstByteMs, this);
    }
  }

  get signal(): AttemptSignal {
    if (this.sig === null) {
      this.sig = new AttemptSignal();
      if (this.aborted) this.sig.abort();
    }
    return this.sig;
  }

  onAbort(fn: () => void): void {
    if (this.aborted) fn();
    else this.hook = fn;
  }

  callerAborted(): void {
    this.state.callerAborted = true;
    this.abort();
  }

  timedOut(firstByte: boolean): void {
    if (this.aborted) return;
    this.state.timedOut = true;
    this.state.firstByte = firstByte;
    this.state.limitMs = firstByte ? this.firstByteMs : this.timeoutMs;
    this.abort();
  }

  headersReceived(): void {
    if (this.firstByteTimer) clearTimeout(this.firstByteTimer);
    this.firstByteTimer = undefined;
  }

  rearm(): void {
    const ms = this.timeoutMs;
    if (ms === undefined || ms <= 0) return;
    // refresh() re-arms the same timer object: no allocation per stream chunk.
    if (this.timer) this.timer.refresh();
    else this.timer = setTimeout(fireTimeout, ms, this);
  }

  clear(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.headersReceived();
    if (this.callerSignal) unfollow(this.callerSignal, this);
  }

  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    this.sig?.abort();
    const hook = this.hook;
    this.hook = null;
    hook?.();
  }
}

export function createDeadline(
  timeoutMs: number | undefined,
  callerSignal: AbortSignal | undefined,
  firstByteMs?: number,
): Deadline {
  return new AttemptDeadline(timeoutMs, callerSignal, firstByteMs);
}
