/** What a usage writer is given (usage-writer.ts), and the counters it reports. */
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { Random } from '../core/random.js';
import type { RawUsagePolicy } from './raw-usage.js';
import type { Timers } from './timers.js';
import type { Store } from './types.js';

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
  /**
   * Longest close() waits for the store (default 5 s), attempts and backoff included. A store that
   * stopped answering (a lost host) would otherwise hold shutdown for a whole transaction deadline
   * per attempt. What is not saved by then is reported in close()'s error, never dropped silently.
   */
  closeGraceMs?: number;
  /** Shortest gap between two "shedding" log lines. */
  shedLogIntervalMs?: number;
  timers?: Timers;
  logger?: Logger;
  /**
   * This writer's id in the store's record of applied batches (default: a random UUID). Not drawn from
   * `random`: gateways seeded alike (tests, reproducible simulations) would share an id and skip
   * each other's batches.
   */
  writerId?: string;
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
