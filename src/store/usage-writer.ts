/**
 * Batched, off-hot-path usage persistence. `write()` adds the record to in-memory rollups (one
 * minute/hour/day bucket per group) and, per the raw-usage policy, to a buffer of raw rows: O(1),
 * no I/O, no await. Rollups add into the store's buckets, so several gateways can share one store.
 *
 * Two things send a batch: a full batch of raw rows goes at once (small where SQLite inserts run on the
 * event loop; see Store.usageBatchRows), and the flush interval sends everything gathered, the rollups with it. The
 * rollups ride only on the interval's batch: each costs an upsert per grain with a histogram merge,
 * several raw rows' worth, and under load a raw batch fills many times per interval.
 *
 * Memory is bounded twice: the rollups by the number of groups held (not requests), the raw rows by
 * a buffer size. A failing store keeps everything and retries with exponential backoff.
 *
 * Each batch carries this writer's random id and a sequence number, and a failed batch is retried
 * as it was, before anything newer: a store that committed it although the writer never heard so
 * (the connection dropped after COMMIT) recognises the retry and skips it. Nothing counted twice. Whatever is
 * shed (a record refused once the groups are full, a raw row refused once the buffer is full) is
 * counted, reported in /metrics and logged at most once per interval: never silently lost.
 */
import { randomUUID } from 'node:crypto';
import { systemClock, type Clock } from '../core/clock.js';
import { StoreError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { silentLogger } from '../core/logger.js';
import { systemRandom, type Random } from '../core/random.js';
import { keepRaw, type RawUsagePolicy } from './raw-usage.js';
import { MINUTE_MS, RollupAccumulator } from './rollup.js';
import { isStoreUnavailable } from './store-health.js';
import { systemTimers, type Timers } from './timers.js';
import type { Store, UsageBatch, UsageRecord } from './types.js';
import type { UsageWriterOptions, UsageWriterStats } from './usage-writer-options.js';

/** A batch drained from memory, kept until the store has it (retried as it is). */
interface Unsent {
  batch: UsageBatch & { id: NonNullable<UsageBatch['id']> };
  /** Requests its rollups count. */
  records: number;
  /** Minute groups it holds (counted against maxGroups while it waits). */
  minuteGroups: number;
}

const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** How long close() waits for the store by default. */
export const DEFAULT_CLOSE_GRACE_MS = 5000;
const EXPIRED = Symbol('grace expired');

export type { UsageWriterOptions, UsageWriterStats } from './usage-writer-options.js';

export class UsageWriter {
  private readonly acc = new RollupAccumulator();
  private raw: UsageRecord[] = [];
  /** The batch being sent, or waiting to be sent again after a failure. */
  private unsent: Unsent | null = null;
  private readonly writerId: string;
  private seq = 0;
  private timer: unknown = null;
  private timerDue = Infinity;
  /** The flush interval's timer: when it fires, the next batch carries the rollups. */
  private intervalTimer: unknown = null;
  private intervalDue = false;
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
  private readonly closeGraceMs: number;
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
    this.closeGraceMs = opts.closeGraceMs ?? DEFAULT_CLOSE_GRACE_MS;
    this.shedLogInterval = opts.shedLogIntervalMs ?? 60_000;
    this.timers = opts.timers ?? systemTimers;
    this.log = opts.logger ?? silentLogger;
    this.quietOutage = opts.quietStoreOutage ?? false;
    this.writerId = opts.writerId ?? randomUUID();
  }

  /** The store answers again (someone else saw it): retry now instead of at the end of the backoff. */
  retrySoon(): void {
    if (!this.closed && this.consecutiveFailures > 0 && this.hasWork()) this.arm(0);
  }

  get written(): number {
    return this._written;
  }
  /** Zero only when every request's rollups and every kept raw row are in the store. */
  get pending(): number {
    return Math.max(this.acc.records + (this.unsent?.records ?? 0), this.rawPending);
  }
  get dropped(): number {
    return this._dropped;
  }
  get flushErrors(): number {
    return this._flushErrors;
  }
  get rawPending(): number {
    return this.raw.length + (this.unsent?.batch.records.length ?? 0);
  }

  private hasWork(): boolean {
    return this.unsent !== null || this.acc.records > 0 || this.raw.length > 0;
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
    if (
      this.closed ||
      (this.acc.groups + (this.unsent?.minuteGroups ?? 0) >= this.maxGroups && this.acc.wouldGrow(record))
    ) {
      this._dropped++;
      this.noteShed(this.closed ? 'writer closed' : 'usage rollups full (store slow or down)');
      return false;
    }
    this.acc.add(record);
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
    while (this.hasWork()) {
      this.intervalDue = true;
      await this.flushOnce();
    }
  }

  /**
   * Stop accepting records and persist everything, retrying a failing store a few times (`attempts`,
   * default `closeAttempts`: one for a store already known to be down), all within `closeGraceMs`.
   * Rejects with a StoreError whose details count what is not known to be saved: the requests still
   * held, including a batch whose write was still waiting on the store when the grace ran out (its
   * transaction is abandoned, and rolled back when the store closes its connections).
   */
  async close(opts: { attempts?: number } = {}): Promise<void> {
    this.closed = true;
    this.disarm();
    if (this.intervalTimer !== null) this.timers.clearTimeout(this.intervalTimer);
    this.intervalTimer = null;
    const attempts = Math.max(1, opts.attempts ?? this.closeAttempts);
    let expire: (() => void) | null = null;
    const expired = new Promise<typeof EXPIRED>((resolve) => (expire = () => resolve(EXPIRED)));
    const graceTimer = this.timers.setTimeout(() => expire?.(), this.closeGraceMs, { keepAlive: true });
    const waitOr = <T>(p: Promise<T>): Promise<T | typeof EXPIRED> => Promise.race([p, expired]);
    let attempt = 0;
    try {
      for (;;) {
        const outcome = await waitOr(
          this.flush().then(
            () => null,
            (e: unknown) => ({ error: e }),
          ),
        );
        if (outcome === null) return;
        if (outcome === EXPIRED)
          throw this.unsaved(attempt + 1, `the store did not answer within the ${this.closeGraceMs} ms grace`);
        attempt++;
        if (attempt >= attempts) throw this.unsaved(attempt, errorText(outcome.error), outcome.error);
        let backoff: unknown = null;
        const slept = await waitOr(
          new Promise<void>((res) => (backoff = this.timers.setTimeout(res, this.backoffMs(), { keepAlive: true }))),
        );
        if (slept === EXPIRED) {
          this.timers.clearTimeout(backoff);
          throw this.unsaved(
            attempt,
            `${errorText(outcome.error)} (the ${this.closeGraceMs} ms grace ran out before the next attempt)`,
            outcome.error,
          );
        }
      }
    } finally {
      this.timers.clearTimeout(graceTimer);
    }
  }

  /** `reason` (in the details too) says why, for a caller wording its own message. */
  private unsaved(attempts: number, reason: string, cause?: unknown): StoreError {
    return new StoreError(
      `usage writer closed with ${this.pending} unsaved requests (${this.rawPending} raw rows) after ${attempts} attempt${attempts === 1 ? '' : 's'}: ${reason}`,
      {
        ...(cause === undefined ? {} : { cause }),
        details: { pending: this.pending, rawPending: this.rawPending, reason },
      },
    );
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
    else if (this.intervalDue || this.raw.length >= this.batchSize) this.arm(0);
    // Armed once per interval, not re-armed by every write or batch: the rollups go out on time under any load.
    if (this.intervalTimer === null && !this.intervalDue && !this.closed) {
      this.intervalTimer = this.timers.setTimeout(() => {
        this.intervalTimer = null;
        this.intervalDue = true;
        // A failing store keeps its backoff; the retry that succeeds carries what is due.
        if (this.consecutiveFailures === 0) this.arm(0);
      }, this.interval);
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
    if (!this.hasWork()) {
      // Nothing gathered since the last flush: the next record starts a new interval.
      this.intervalDue = false;
      return;
    }
    const retrying = this.unsent !== null;
    let ok = false;
    try {
      await this.flushOnce();
      ok = true;
    } catch {
      // counted in flushOnce; retried below
    }
    if (!this.hasWork() || this.closed) return;
    // A retried batch went through: what gathered behind it follows at once.
    if (ok && retrying) this.arm(0);
    else this.schedule();
  }

  /**
   * Send the batch that failed last time, as it was, or else the rollups gathered and one batch of
   * raw rows, in one transaction. A failed batch stays as it is for the next attempt.
   */
  private flushOnce(): Promise<void> {
    if (this.flushing) return this.flushing;
    const unsent = this.unsent ?? this.drain();
    if (unsent === null) return Promise.resolve();
    this.unsent = unsent;
    const p = (async () => {
      try {
        await this.store.writeUsage(unsent.batch);
        this.unsent = null;
        this._written += unsent.records;
        this._rawWritten += unsent.batch.records.length;
        if (this.consecutiveFailures > 0)
          this.log.log(this.quietOutage ? 'debug' : 'info', 'usage store recovered', {
            afterFailures: this.consecutiveFailures,
          });
        this.consecutiveFailures = 0;
      } catch (e) {
        this._flushErrors++;
        this.consecutiveFailures++;
        if (this.consecutiveFailures === 1)
          this.log.log(this.quietOutage && isStoreUnavailable(e) ? 'debug' : 'warn', 'usage flush failed; will retry', {
            error: e instanceof Error ? e.message : String(e),
            pending: this.pending,
          });
        throw e;
      } finally {
        this.flushing = null;
      }
    })();
    this.flushing = p;
    return p;
  }

  /**
   * The next batch from memory: up to batchSize raw rows and, once the interval is due, every rollup
   * gathered. Null when there is nothing to send yet.
   */
  private drain(): Unsent | null {
    const withRollups = this.intervalDue && this.acc.records > 0;
    if (!withRollups && this.raw.length === 0) return null;
    this.intervalDue = false;
    const { rollups, records } = withRollups ? this.acc.drain() : { rollups: [], records: 0 };
    const raw = this.raw.length <= this.batchSize ? this.raw : this.raw.slice(0, this.batchSize);
    this.raw = raw === this.raw ? [] : this.raw.slice(this.batchSize);
    let minuteGroups = 0;
    for (const r of rollups) if (r.grain === MINUTE_MS) minuteGroups++;
    return { batch: { records: raw, rollups, id: { writer: this.writerId, seq: ++this.seq } }, records, minuteGroups };
  }
}
