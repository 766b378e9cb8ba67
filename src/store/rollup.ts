/**
 * Usage rollups: what the store keeps per time bucket and group instead of (or beside) one row per
 * request. A group is (route, env, target, served model, arm, client key); a bucket is a UTC-aligned
 * minute, hour or day. Every field adds: counts and sums add, minima and maxima take the smaller and
 * larger, histograms add bin by bin. So gateways sharing a store add into the same bucket, and a
 * coarser bucket is exactly the sum of the finer ones.
 *
 * Each request is added to all three grains at once: the minute grain answers the canary guards and
 * the edges of a window; hours and days answer long windows with few rows. Pure: no I/O here.
 */
import { PairMap } from '../core/pair-map.js';
import { isArmError, isError } from '../usage/record-errors.js';
import { addValue, mergeInto, type Histogram } from './histogram.js';
import type { CanaryArm, TokenCounts, UsageRecord } from './types.js';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
/** Finest first. Each divides the next, so a coarser bucket is a whole number of finer ones. */
export const ROLLUP_GRAINS = [MINUTE_MS, HOUR_MS, DAY_MS] as const;
export type RollupGrain = (typeof ROLLUP_GRAINS)[number];

export interface RollupGroup {
  route: string;
  env: string;
  target: string;
  servedModel: string | null;
  arm: CanaryArm | null;
  clientKeyId: string | null;
}

/** The additive part of a rollup: everything a read needs, for any set of buckets and groups. */
export interface RollupSums extends TokenCounts {
  requests: number;
  /** Client-visible or recorded errors: status >= 400 or an error code (what `usage` shows). */
  errors: number;
  /** Errors by the canary's definition (also counting a version that needed a retry or lost to a fallback). */
  versionErrors: number;
  /** USD summed over priced requests; null when none was priced (unknown, never $0). */
  costUsd: number | null;
  pricedRequests: number;
  formatChecked: number;
  formatValid: number;
  latency: Histogram;
  latencyMinMs: number | null;
  latencyMaxMs: number | null;
  /** Streaming requests' time to first token. */
  ttft: Histogram;
  ttftMinMs: number | null;
  ttftMaxMs: number | null;
  firstTs: number;
  lastTs: number;
  /** Latest answered (status < 400) request, for the served-model evidence `pin` reads. */
  lastOkTs: number | null;
}

export interface UsageRollup extends RollupGroup, RollupSums {
  grain: RollupGrain;
  bucketStart: number;
}

export function bucketStartOf(ts: number, grain: number): number {
  return Math.floor(ts / grain) * grain;
}

export function emptySums(): RollupSums {
  return {
    requests: 0,
    errors: 0,
    versionErrors: 0,
    inputTokens: 0,
    outputTokens: 0,
    cachedTokens: 0,
    cacheWriteTokens: 0,
    reasoningTokens: 0,
    costUsd: null,
    pricedRequests: 0,
    formatChecked: 0,
    formatValid: 0,
    latency: new Map(),
    latencyMinMs: null,
    latencyMaxMs: null,
    ttft: new Map(),
    ttftMinMs: null,
    ttftMaxMs: null,
    firstTs: Infinity,
    lastTs: -Infinity,
    lastOkTs: null,
  };
}

const minN = (a: number | null, b: number | null): number | null => (a === null ? b : b === null ? a : Math.min(a, b));
const maxN = (a: number | null, b: number | null): number | null => (a === null ? b : b === null ? a : Math.max(a, b));

export function addRecord(s: RollupSums, r: UsageRecord): void {
  s.requests++;
  if (isError(r)) s.errors++;
  if (isArmError(r)) s.versionErrors++;
  s.inputTokens += r.inputTokens;
  s.outputTokens += r.outputTokens;
  s.cachedTokens += r.cachedTokens;
  s.cacheWriteTokens += r.cacheWriteTokens;
  s.reasoningTokens += r.reasoningTokens;
  if (r.costUsd !== null) {
    s.costUsd = (s.costUsd ?? 0) + r.costUsd;
    s.pricedRequests++;
  }
  if (r.formatValid !== null) {
    s.formatChecked++;
    if (r.formatValid) s.formatValid++;
  }
  addValue(s.latency, r.latencyMs);
  s.latencyMinMs = minN(s.latencyMinMs, r.latencyMs);
  s.latencyMaxMs = maxN(s.latencyMaxMs, r.latencyMs);
  if (r.ttftMs !== null) {
    addValue(s.ttft, r.ttftMs);
    s.ttftMinMs = minN(s.ttftMinMs, r.ttftMs);
    s.ttftMaxMs = maxN(s.ttftMaxMs, r.ttftMs);
  }
  s.firstTs = Math.min(s.firstTs, r.ts);
  s.lastTs = Math.max(s.lastTs, r.ts);
  if (r.status < 400) s.lastOkTs = Math.max(s.lastOkTs ?? -Infinity, r.ts);
}

/** Add `b` into `a` (histograms are copied in, never shared). */
export function mergeSums(a: RollupSums, b: RollupSums): RollupSums {
  a.requests += b.requests;
  a.errors += b.errors;
  a.versionErrors += b.versionErrors;
  a.inputTokens += b.inputTokens;
  a.outputTokens += b.outputTokens;
  a.cachedTokens += b.cachedTokens;
  a.cacheWriteTokens += b.cacheWriteTokens;
  a.reasoningTokens += b.reasoningTokens;
  a.costUsd = a.costUsd === null ? b.costUsd : b.costUsd === null ? a.costUsd : a.costUsd + b.costUsd;
  a.pricedRequests += b.pricedRequests;
  a.formatChecked += b.formatChecked;
  a.formatValid += b.formatValid;
  mergeInto(a.latency, b.latency);
  a.latencyMinMs = minN(a.latencyMinMs, b.latencyMinMs);
  a.latencyMaxMs = maxN(a.latencyMaxMs, b.latencyMaxMs);
  mergeInto(a.ttft, b.ttft);
  a.ttftMinMs = minN(a.ttftMinMs, b.ttftMinMs);
  a.ttftMaxMs = maxN(a.ttftMaxMs, b.ttftMaxMs);
  a.firstTs = Math.min(a.firstTs, b.firstTs);
  a.lastTs = Math.max(a.lastTs, b.lastTs);
  a.lastOkTs = maxN(a.lastOkTs, b.lastOkTs);
  return a;
}

export function groupOf(r: UsageRecord): RollupGroup {
  return {
    route: r.route,
    env: r.env,
    target: r.target,
    servedModel: r.servedModel,
    arm: r.arm,
    clientKeyId: r.clientKeyId,
  };
}

/** A rollup's identity (grain, bucket and group) as one string. */
export function rollupKey(r: UsageRollup): string {
  return keyOf(r.grain, r.bucketStart, r);
}

/** \u0000 cannot occur in any of the values (they come from config names and provider ids). */
function keyOf(grain: number, bucketStart: number, g: RollupGroup): string {
  return `${grain}\u0000${bucketStart}\u0000${g.route}\u0000${g.env}\u0000${g.target}\u0000${g.servedModel ?? ''}\u0000${g.arm ?? ''}\u0000${g.clientKeyId ?? ''}`;
}

/** The rows one group's last record went to (RollupAccumulator.recent). */
interface RecentRows {
  arm: string;
  env: string;
  rows: UsageRollup[];
}

/**
 * Rollups being gathered in memory before a flush. Its size is bounded by the number of distinct
 * (bucket, group) pairs seen since the last flush, not by the number of requests.
 */
export class RollupAccumulator {
  private readonly rows = new Map<string, UsageRollup>();
  /**
   * Per group, the rows its last record went to, one per grain: the next record of that group almost
   * always lands in the same buckets. Found by (route, target), then (served model, client key), then
   * arm and env among the few there: no key string is built per record (core/pair-map.ts).
   */
  private readonly recent = new PairMap<PairMap<RecentRows[]>>();
  /** Requests added (counted once, not once per grain). */
  private _records = 0;

  get records(): number {
    return this._records;
  }
  /** Distinct minute-grain (bucket, group) pairs held. */
  get groups(): number {
    return this.minuteGroups;
  }
  private minuteGroups = 0;

  /** Whether adding `r` would open a new minute group (so a bound on groups can refuse it first). */
  wouldGrow(r: UsageRecord): boolean {
    return !this.rows.has(keyOf(MINUTE_MS, bucketStartOf(r.ts, MINUTE_MS), groupOf(r)));
  }

  add(r: UsageRecord): void {
    const recent = this.recentRows(r);
    for (let i = 0; i < ROLLUP_GRAINS.length; i++) {
      const grain = ROLLUP_GRAINS[i] as RollupGrain;
      const bucketStart = bucketStartOf(r.ts, grain);
      let row = recent[i];
      if (row === undefined || row.bucketStart !== bucketStart) {
        row = this.row(grain, bucketStart, r);
        recent[i] = row;
      }
      addRecord(row, r);
    }
    this._records++;
  }

  private recentRows(r: UsageRecord): UsageRollup[] {
    let byModel = this.recent.get(r.route, r.target);
    if (byModel === undefined) this.recent.set(r.route, r.target, (byModel = new PairMap()));
    // Keys as in keyOf: null and '' are one group there too.
    const served = r.servedModel ?? '';
    const client = r.clientKeyId ?? '';
    let list = byModel.get(served, client);
    if (list === undefined) byModel.set(served, client, (list = []));
    const arm = r.arm ?? '';
    for (const e of list) if (e.arm === arm && e.env === r.env) return e.rows;
    const rows: UsageRollup[] = [];
    list.push({ arm, env: r.env, rows });
    return rows;
  }

  private row(grain: RollupGrain, bucketStart: number, r: UsageRecord): UsageRollup {
    const g = groupOf(r);
    const k = keyOf(grain, bucketStart, g);
    let row = this.rows.get(k);
    if (!row) {
      row = { grain, bucketStart, ...g, ...emptySums() };
      this.rows.set(k, row);
      if (grain === MINUTE_MS) this.minuteGroups++;
    }
    return row;
  }

  /** Add rollups back (a failed flush), merging with anything gathered since. */
  restore(rollups: readonly UsageRollup[], records: number): void {
    for (const r of rollups) {
      const k = keyOf(r.grain, r.bucketStart, r);
      const row = this.rows.get(k);
      if (row) mergeSums(row, r);
      else {
        this.rows.set(k, r);
        if (r.grain === MINUTE_MS) this.minuteGroups++;
      }
    }
    this._records += records;
  }

  /** Everything gathered, emptying the accumulator. */
  drain(): { rollups: UsageRollup[]; records: number } {
    const out = { rollups: [...this.rows.values()], records: this._records };
    this.rows.clear();
    this.recent.clear();
    this._records = 0;
    this.minuteGroups = 0;
    return out;
  }
}

/** The rollups of a set of records (all grains). */
export function rollupsOf(records: readonly UsageRecord[]): UsageRollup[] {
  const acc = new RollupAccumulator();
  for (const r of records) acc.add(r);
  return acc.drain().rollups;
}

export interface RollupRange {
  grain: RollupGrain;
  /** Bucket starts in [lo, hi). */
  lo: number;
  hi: number;
}

/**
 * Cover [sinceMs, untilMs) with as few buckets as possible: whole days where they fit, hours at
 * their edges, minutes at the very edges. The window's start is taken to its minute (the finest
 * grain), so a read covers at most 59 s before `sinceMs`. `coarsestMs` caps the grain (a series per
 * hour cannot use day buckets): only grains dividing it are used.
 */
export function rollupRanges(sinceMs: number, untilMs: number, coarsestMs?: number): RollupRange[] {
  const grains = ROLLUP_GRAINS.filter((g) => coarsestMs === undefined || coarsestMs % g === 0);
  const lo = bucketStartOf(sinceMs, MINUTE_MS);
  if (untilMs <= lo) return [];
  const cover = (a: number, b: number, gs: readonly RollupGrain[]): RollupRange[] => {
    if (a >= b) return [];
    const [finest] = gs;
    if (finest === undefined) return [];
    for (let i = gs.length - 1; i > 0; i--) {
      const g = gs[i] as RollupGrain;
      const ga = Math.ceil(a / g) * g;
      const gb = Math.floor(b / g) * g;
      if (ga < gb)
        return [...cover(a, ga, gs.slice(0, i)), { grain: g, lo: ga, hi: gb }, ...cover(gb, b, gs.slice(0, i))];
    }
    return [{ grain: finest, lo: a, hi: b }];
  };
  return cover(lo, untilMs, grains);
}

/**
 * The window's bucket ranges cut into pieces of at most `buckets` buckets each, read one grouped
 * query at a time: node-postgres holds a whole result in memory, and SQLite sorts a GROUP BY's input
 * in memory only while it is small (a month of hours in one query spilled to temporary files and
 * took 1.6 times the CPU of 48-bucket pieces).
 */
export function rangePieces(
  q: { sinceMs: number; untilMs: number; bucketMs?: number; ranges?: readonly RollupRange[] },
  buckets = 48,
): RollupRange[][] {
  const out: RollupRange[][] = [];
  for (const r of q.ranges ?? rollupRanges(q.sinceMs, q.untilMs, q.bucketMs)) {
    for (let lo = r.lo; lo < r.hi; lo += r.grain * buckets)
      out.push([{ grain: r.grain, lo, hi: Math.min(r.hi, lo + r.grain * buckets) }]);
  }
  return out;
}
