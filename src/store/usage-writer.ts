/**
 * Batched, off-hot-path usage persistence. `write()` only pushes to an in-memory buffer
 * (O(1), no I/O, no await); a timer flushes batches. A failing store keeps the batch and retries
 * with exponential backoff; a bounded buffer counts drops instead of growing without limit.
 */
import { StoreError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { silentLogger } from '../core/logger.js';
import { isStoreUnavailable } from './store-health.js';
import { systemTimers, type Timers } from './timers.js';
import type { Store, UsageRecord } from './types.js';

export interface UsageWriterOptions {
  store: Pick<Store, 'insertUsage'>;
  flushIntervalMs?: number;
  batchSize?: number;
  /** Most records held in memory (buffered + in flight) before new ones are dropped. */
  maxBuffer?: number;
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** Attempts close() makes before giving up on a store that stays down. */
  closeAttempts?: number;
  timers?: Timers;
  logger?: Logger;
  /** An unreachable store and its return are announced by the store's health (store-health.ts): log them at debug here. */
  quietStoreOutage?: boolean;
}

export interface UsageWriterStats {
  written: number;
  pending: number;
  dropped: number;
  flushErrors: number;
}

export class UsageWriter {
  private buffer: UsageRecord[] = [];
  private inFlight = 0;
  private timer: unknown = null;
  private timerDue = Infinity;
  private flushing: Promise<void> | null = null;
  private consecutiveFailures = 0;
  private closed = false;
  private warnedDrop = false;
  private _written = 0;
  private _dropped = 0;
  private _flushErrors = 0;

  private readonly store: Pick<Store, 'insertUsage'>;
  private readonly interval: number;
  private readonly batchSize: number;
  private readonly maxBuffer: number;
  private readonly retryBase: number;
  private readonly retryMax: number;
  private readonly closeAttempts: number;
  private readonly timers: Timers;
  private readonly log: Logger;
  private readonly quietOutage: boolean;

  constructor(opts: UsageWriterOptions) {
    this.store = opts.store;
    this.interval = opts.flushIntervalMs ?? 250;
    this.batchSize = Math.max(1, opts.batchSize ?? 200);
    this.maxBuffer = Math.max(this.batchSize, opts.maxBuffer ?? 100_000);
    this.retryBase = opts.retryBaseMs ?? 500;
    this.retryMax = opts.retryMaxMs ?? 30_000;
    this.closeAttempts = opts.closeAttempts ?? 5;
    this.timers = opts.timers ?? systemTimers;
    this.log = opts.logger ?? silentLogger;
    this.quietOutage = opts.quietStoreOutage ?? false;
  }

  /** The store answers again (someone else saw it): retry now instead of at the end of the backoff. */
  retrySoon(): void {
    if (!this.closed && this.consecutiveFailures > 0 && this.buffer.length > 0) this.arm(0);
  }

  get written(): number {
    return this._written;
  }
  get pending(): number {
    return this.buffer.length + this.inFlight;
  }
  get dropped(): number {
    return this._dropped;
  }
  get flushErrors(): number {
    return this._flushErrors;
  }
  stats(): UsageWriterStats {
    return { written: this.written, pending: this.pending, dropped: this.dropped, flushErrors: this.flushErrors };
  }

  /** Hot path. Returns false when the record was dropped (buffer full or writer closed). */
  write(record: UsageRecord): boolean {
    if (this.closed || this.pending >= this.maxBuffer) {
      this._dropped++;
      if (!this.warnedDrop) {
        this.warnedDrop = true;
        this.log.log('warn', 'usage buffer full or closed: dropping usage records', { maxBuffer: this.maxBuffer, closed: this.closed });
      }
      return false;
    }
    this.buffer.push(record);
    if (this.consecutiveFailures > 0) this.arm(this.backoffMs());
    else this.arm(this.buffer.length >= this.batchSize ? 0 : this.interval);
    return true;
  }

  /** Persist everything buffered now. Rejects (keeping the records) if the store fails. */
  async flush(): Promise<void> {
    this.disarm();
    while (this.flushing) await this.flushing.catch(() => {});
    while (this.buffer.length > 0) await this.flushOnce();
  }

  /** Stop accepting records and persist everything, retrying a failing store a few times. */
  async close(): Promise<void> {
    this.closed = true;
    this.disarm();
    let attempt = 0;
    for (;;) {
      try {
        await this.flush();
        return;
      } catch (e) {
        attempt++;
        if (attempt >= this.closeAttempts) {
          throw new StoreError(`usage writer closed with ${this.pending} unsaved records after ${attempt} attempts`, { cause: e, details: { pending: this.pending } });
        }
        await new Promise<void>((res) => this.timers.setTimeout(res, this.backoffMs(), { keepAlive: true }));
      }
    }
  }

  private backoffMs(): number {
    return Math.min(this.retryMax, this.retryBase * 2 ** Math.max(0, this.consecutiveFailures - 1));
  }

  /** Ensure a flush is scheduled no later than `ms` from now. */
  private arm(ms: number): void {
    if (this.timer !== null && ms >= this.timerDue) return;
    this.disarm();
    this.timerDue = ms;
    this.timer = this.timers.setTimeout(() => {
      this.timer = null;
      this.timerDue = Infinity;
      void this.background();
    }, ms);
  }

  private disarm(): void {
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
    this.timerDue = Infinity;
  }

  private async background(): Promise<void> {
    // A flush already running may have been started for older records: wait, then take ours.
    if (this.flushing) await this.flushing.catch(() => {});
    if (this.buffer.length === 0) return;
    try {
      await this.flushOnce();
    } catch {
      // counted in flushOnce; retried below
    }
    if (this.buffer.length === 0 || this.closed) return;
    if (this.consecutiveFailures > 0) this.arm(this.backoffMs());
    else this.arm(this.buffer.length >= this.batchSize ? 0 : this.interval);
  }

  /** Send one batch. On failure the batch goes back to the front, in order. */
  private flushOnce(): Promise<void> {
    if (this.flushing) return this.flushing;
    const batch = this.buffer.length <= this.batchSize ? this.buffer : this.buffer.slice(0, this.batchSize);
    this.buffer = batch === this.buffer ? [] : this.buffer.slice(this.batchSize);
    if (batch.length === 0) return Promise.resolve();
    this.inFlight = batch.length;
    const p = (async () => {
      try {
        await this.store.insertUsage(batch);
        this._written += batch.length;
        if (this.consecutiveFailures > 0) this.log.log(this.quietOutage ? 'debug' : 'info', 'usage store recovered', { afterFailures: this.consecutiveFailures });
        this.consecutiveFailures = 0;
      } catch (e) {
        this.buffer = batch.concat(this.buffer);
        this._flushErrors++;
        this.consecutiveFailures++;
        if (this.consecutiveFailures === 1) this.log.log(this.quietOutage && isStoreUnavailable(e) ? 'debug' : 'warn', 'usage flush failed; will retry', { error: e instanceof Error ? e.message : String(e), pending: this.buffer.length });
        throw e;
      } finally {
        this.inFlight = 0;
        this.flushing = null;
      }
    })();
    this.flushing = p;
    return p;
  }
}
