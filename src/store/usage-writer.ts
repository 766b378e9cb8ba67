/**
 * Batched, off-hot-path usage persistence. `write()` adds the record to in-memory rollups (one
 * minute/hour/day bucket per group) and, per the raw-usage policy, to a buffer of raw rows: O(1),
 * no I/O, no await. A timer flushes both in one store transaction; rollups add into the store's
 * buckets, so several gateways can share one store. A full batch of raw rows is written at once, but
 * the rollups gathered so far wait for their own interval: their upserts cost several raw rows each,
 * and under load a batch fills many times per interval.
 *
 * Memory is bounded twice: the rollups by the number of groups held (not requests), the raw rows by
 * a buffer size. A failing store keeps everything and retries with exponential backoff. Whatever is
 * shed (a record refused once the groups are full, a raw row refused once the buffer is full) is
 * counted, reported in /metrics and logged at most once per interval: never silently lost.
 */
import { systemClock, type Clock } from '../core/clock.js';
import { StoreError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { silentLogger } from '../core/logger.js';
import { systemRandom, type Random } from '../core/random.js';
import { keepRaw, type RawUsagePolicy } from './raw-usage.js';
import { RollupAccumulator } from './rollup.js';
import { isStoreUnavailable } from './store-health.js';
import { systemTimers, type Timers } from './timers.js';
import type { Store, UsageRecord } from './types.js';

export interface UsageWriterOptions {
  store: Pick<Store, 'writeUsage'>;
  flushIntervalMs?: number;
  /** Raw rows per flush (rollups always go whole: they are bounded by groups). */
  batchSize?: number;
  /** Most raw rows held in memory (buffered + in flight) before new ones are shed. */
  maxBuffer?: number;
  /** Most (minute, group) rollups held before records that would open a new one are shed. */
  maxGroups?: number;
  /** Which requests keep a raw row besides their rollup (default: all). */
  rawUsage?: RawUsagePolicy;
  random?: Random;
  clock?: Clock;
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** Attempts close() makes before giving up on a store that stays down. */
  closeAttempts?: number;
  /** Shortest gap between two "shedding" log lines. */
  shedLogIntervalMs?: number;
  timers?: Timers;
  logger?: Logger;
  /** An unreachable store and its return are announced by the store's health (store-health.ts): log them at debug here. */
  quietStoreOutage?: boolean;
}

export interface UsageWriterStats {
  /** Requests whose rollups are in the store. */
  written: number;
  /** Requests not fully in the store yet: the larger of those whose rollups wait and the raw rows waiting. */
  pending: number;
  /** Requests shed entirely (not in any rollup): groups full or writer closed. */
  dropped: number;
  flushErrors: number;
  rawWritten: number;
  rawPending: number;
  /** Raw rows shed (their requests are still counted in the rollups). */
  rawDropped: number;
}

const NO_ROLLUPS: { rollups: never[]; records: number } = { rollups: [], records: 0 };

export class UsageWriter {
  private readonly acc = new RollupAccumulator();
  private raw: UsageRecord[] = [];
  private inFlight = 0;
  private rawInFlight = 0;
  private timer: unknown = null;
  private timerDue = Infinity;
  /** Fires `interval` after the first record whose rollups are not yet due. */
  private rollupTimer: unknown = null;
  /** The rollups gathered have waited an interval: the next flush takes them. */
  private rollupsDue = false;
  private flushing: Promise<void> | null = null;
  private consecutiveFailures = 0;
  private closed = false;
  private _written = 0;
  private _dropped = 0;
  private _rawWritten = 0;
  private _rawDropped = 0;
  private _flushErrors = 0;
  private lastShedLog = -Infinity;
  private shedSinceLog = 0;

  private readonly store: Pick<Store, 'writeUsage'>;
  private readonly interval: number;
  private readonly batchSize: number;
  private readonly maxBuffer: number;
  private readonly maxGroups: number;
  private readonly rawUsage: RawUsagePolicy;
  private readonly random: Random;
  private readonly clock: Clock;
  private readonly retryBase: number;
  private readonly retryMax: number;
  private readonly closeAttempts: number;
  private readonly shedLogInterval: number;
  private readonly timers: Timers;
  private readonly log: Logger;
  private readonly quietOutage: boolean;

  constructor(opts: UsageWriterOptions) {
    this.store = opts.store;
    this.interval = opts.flushIntervalMs ?? 250;
    this.batchSize = Math.max(1, opts.batchSize ?? 200);
    this.maxBuffer = Math.max(this.batchSize, opts.maxBuffer ?? 100_000);
    this.maxGroups = Math.max(1, opts.maxGroups ?? 50_000);
    this.rawUsage = opts.rawUsage ?? { keep: 'all' };
    this.random = opts.random ?? systemRandom;
    this.clock = opts.clock ?? systemClock;
    this.retryBase = opts.retryBaseMs ?? 500;
    this.retryMax = opts.retryMaxMs ?? 30_000;
    this.closeAttempts = opts.closeAttempts ?? 5;
    this.shedLogInterval = opts.shedLogIntervalMs ?? 60_000;
    this.timers = opts.timers ?? systemTimers;
    this.log = opts.logger ?? silentLogger;
    this.quietOutage = opts.quietStoreOutage ?? false;
  }

  /** The store answers again (someone else saw it): retry now instead of at the end of the backoff. */
  retrySoon(): void {
    if (!this.closed && this.consecutiveFailures > 0 && (this.acc.records > 0 || this.raw.length > 0)) this.arm(0);
  }

  get written(): number {
    return this._written;
  }
  /** Zero only when every request's rollups and every kept raw row are in the store. */
  get pending(): number {
    return Math.max(this.acc.records + this.inFlight, this.rawPending);
  }
  get dropped(): number {
    return this._dropped;
  }
  get flushErrors(): number {
    return this._flushErrors;
  }
  get rawPending(): number {
    return this.raw.length + this.rawInFlight;
  }
  stats(): UsageWriterStats {
    return {
      written: this.written,
      pending: this.pending,
      dropped: this.dropped,
      flushErrors: this.flushErrors,
      rawWritten: this._rawWritten,
      rawPending: this.rawPending,
      rawDropped: this._rawDropped,
    };
  }

  /** Hot path. Returns false when the record was shed (groups full or writer closed). */
  write(record: UsageRecord): boolean {
    if (this.closed || (this.acc.groups >= this.maxGroups && this.acc.wouldGrow(record))) {
      this._dropped++;
      this.noteShed(this.closed ? 'writer closed' : 'usage rollups full (store slow or down)');
      return false;
    }
    this.acc.add(record);
    if (this.rollupTimer === null && !this.rollupsDue) this.armRollups();
    if (keepRaw(this.rawUsage, record, this.random)) {
      if (this.rawPending >= this.maxBuffer) {
        this._rawDropped++;
        this.noteShed('raw usage buffer full (store slow or down)');
      } else this.raw.push(record);
    }
    this.schedule();
    return true;
  }

  /** Persist everything gathered now. Rejects (keeping it) if the store fails. */
  async flush(): Promise<void> {
    this.disarm();
    while (this.flushing) await this.flushing.catch(() => {});
    while (this.acc.records > 0 || this.raw.length > 0) await this.flushOnce(true);
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
          throw new StoreError(`usage writer closed with ${this.pending} unsaved requests (${this.rawPending} raw rows) after ${attempt} attempts`, {
            cause: e,
            details: { pending: this.pending, rawPending: this.rawPending },
          });
        }
        await new Promise<void>((res) => this.timers.setTimeout(res, this.backoffMs(), { keepAlive: true }));
      }
    }
  }

  /** One line now, then at most one per interval with the count shed since: a flood of sheds is one line a minute. */
  private noteShed(why: string): void {
    this.shedSinceLog++;
    const now = this.clock.now();
    if (now - this.lastShedLog < this.shedLogInterval) return;
    this.log.log('warn', 'usage writer shedding records', {
      why,
      shedSinceLastLog: this.shedSinceLog,
      droppedTotal: this._dropped,
      rawDroppedTotal: this._rawDropped,
      maxGroups: this.maxGroups,
      maxBuffer: this.maxBuffer,
    });
    this.lastShedLog = now;
    this.shedSinceLog = 0;
  }

  private schedule(): void {
    if (this.consecutiveFailures > 0) this.arm(this.backoffMs());
    else if (this.raw.length >= this.batchSize || this.rollupsDue) this.arm(0);
    // Rollups alone wait for their own timer.
    else if (this.raw.length > 0) this.arm(this.interval);
  }

  private armRollups(): void {
    this.rollupTimer = this.timers.setTimeout(() => {
      this.rollupTimer = null;
      this.rollupsDue = true;
      this.schedule();
    }, this.interval);
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

  private disarmRollups(): void {
    if (this.rollupTimer !== null) this.timers.clearTimeout(this.rollupTimer);
    this.rollupTimer = null;
    this.rollupsDue = false;
  }

  private async background(): Promise<void> {
    // A flush already running may have been started for older records: wait, then take ours.
    if (this.flushing) await this.flushing.catch(() => {});
    if (this.acc.records === 0 && this.raw.length === 0) return;
    try {
      await this.flushOnce();
    } catch {
      // counted in flushOnce; retried below
    }
    if ((this.acc.records === 0 && this.raw.length === 0) || this.closed) return;
    this.schedule();
  }

  /**
   * Send one batch of raw rows, and the rollups gathered when they are due (or `all`, or there are no
   * raw rows to send), in one transaction. On failure both go back.
   */
  private flushOnce(all = false): Promise<void> {
    if (this.flushing) return this.flushing;
    const withRollups = all || this.rollupsDue || this.raw.length === 0;
    const { rollups, records } = withRollups ? this.acc.drain() : NO_ROLLUPS;
    if (withRollups) this.disarmRollups();
    const raw = this.raw.length <= this.batchSize ? this.raw : this.raw.slice(0, this.batchSize);
    this.raw = raw === this.raw ? [] : this.raw.slice(this.batchSize);
    if (rollups.length === 0 && raw.length === 0) return Promise.resolve();
    this.inFlight = records;
    this.rawInFlight = raw.length;
    const p = (async () => {
      try {
        await this.store.writeUsage({ records: raw, rollups });
        this._written += records;
        this._rawWritten += raw.length;
        if (this.consecutiveFailures > 0) this.log.log(this.quietOutage ? 'debug' : 'info', 'usage store recovered', { afterFailures: this.consecutiveFailures });
        this.consecutiveFailures = 0;
      } catch (e) {
        this.acc.restore(rollups, records);
        // Taken back, they are as due as they were: the retry carries them.
        if (records > 0) this.rollupsDue = true;
        this.raw = raw.concat(this.raw);
        this._flushErrors++;
        this.consecutiveFailures++;
        if (this.consecutiveFailures === 1) this.log.log(this.quietOutage && isStoreUnavailable(e) ? 'debug' : 'warn', 'usage flush failed; will retry', { error: e instanceof Error ? e.message : String(e), pending: this.pending });
        throw e;
      } finally {
        this.inFlight = 0;
        this.rawInFlight = 0;
        this.flushing = null;
      }
    })();
    this.flushing = p;
    return p;
  }
}
