/**
 * Usage over time: the same per-version figures as the side-by-side table, per time bucket, so a
 * change on a given day (Wednesday's +20% tokens) shows as a step in a line rather than a blend
 * in a window-wide average. Pure: records in, buckets out.
 */
import { readDuration } from '../core/duration.js';
import { UsageError } from '../core/errors.js';
import type { UsageRecord } from '../store/types.js';
import { groupKey, summarizeGroup, summarizeUsage, type UsageGrouping } from './summarize.js';

/** Bucket sizes chosen automatically, smallest first. */
const AUTO_BUCKETS_MS = [5 * 60_000, 15 * 60_000, 3_600_000, 6 * 3_600_000, 86_400_000, 7 * 86_400_000];
/** Enough points for a readable line; a finer bucket over a long window is refused, not truncated. */
export const MAX_BUCKETS = 1000;
/** Lines per chart stay legible; quieter keys are folded into one. */
export const MAX_SERIES = 8;
export const OTHER_KEY = '(other)';

export interface SeriesPoint {
  /** Bucket start, ms since the epoch (UTC-aligned). */
  start: number;
  requests: number;
  errorRate: number;
  p95LatencyMs: number | null;
  /** Null when no request in the bucket had a known price (unknown, never $0). */
  costPerRequestUsd: number | null;
  outputTokensPerRequest: number;
}

export interface UsageSeries {
  by: UsageGrouping;
  bucketMs: number;
  /** Every bucket start in the window, in order, including empty ones. */
  starts: number[];
  /** Busiest first. `points[i]` belongs to `starts[i]`; null where the key had no traffic. */
  series: Array<{ key: string; points: Array<SeriesPoint | null> }>;
}

/** `15m`, `1h`, `1d`: a bucket size. */
export function parseInterval(value: string): number {
  const ms = readDuration(value)?.ms ?? 0;
  if (ms < 60_000)
    throw new UsageError(`interval "${value}" is not a bucket size of at least one minute (e.g. 15m, 1h, 1d)`);
  return ms;
}

export function autoBucketMs(sinceMs: number, untilMs: number, maxBuckets = 60): number {
  const span = Math.max(1, untilMs - sinceMs);
  // Past the largest preset (windows of years), whole days sized to fit.
  return AUTO_BUCKETS_MS.find((b) => span / b <= maxBuckets) ?? Math.ceil(span / maxBuckets / 86_400_000) * 86_400_000;
}

/** `ranked`: the keys busiest first, when the caller already summarized the same records (saves a second pass). */
export function usageSeries(
  records: readonly UsageRecord[],
  by: UsageGrouping,
  w: { sinceMs: number; untilMs: number; bucketMs: number },
  ranked: readonly string[] = summarizeUsage(records, by).map((r) => r.key),
): UsageSeries {
  const first = Math.floor(w.sinceMs / w.bucketMs) * w.bucketMs;
  const count = Math.floor((w.untilMs - 1 - first) / w.bucketMs) + 1;
  if (count > MAX_BUCKETS) {
    throw new UsageError(
      `a ${w.bucketMs / 60_000}-minute interval over this window makes ${count} buckets; the limit is ${MAX_BUCKETS}: use a coarser interval or a shorter window`,
    );
  }
  const starts = Array.from({ length: Math.max(0, count) }, (_, i) => first + i * w.bucketMs);
  const kept = new Set(ranked.slice(0, ranked.length > MAX_SERIES ? MAX_SERIES - 1 : MAX_SERIES));
  const keyOf = (r: UsageRecord): string => {
    const k = groupKey(r, by);
    return kept.has(k) ? k : OTHER_KEY;
  };
  const cells = new Map<string, UsageRecord[][]>();
  for (const r of records) {
    const i = Math.floor((r.ts - first) / w.bucketMs);
    if (i < 0 || i >= starts.length) continue;
    const k = keyOf(r);
    let row = cells.get(k);
    if (!row) {
      row = starts.map(() => []);
      cells.set(k, row);
    }
    row[i]?.push(r);
  }
  const order = [...kept, OTHER_KEY];
  return {
    by,
    bucketMs: w.bucketMs,
    starts,
    series: order.flatMap((key) => {
      const row = cells.get(key);
      if (!row) return [];
      return [{ key, points: row.map((rs, i) => (rs.length ? point(starts[i] ?? 0, key, rs) : null)) }];
    }),
  };
}

function point(start: number, key: string, rs: UsageRecord[]): SeriesPoint {
  const s = summarizeGroup(key, rs);
  return {
    start,
    requests: s.requests,
    errorRate: s.errorRate,
    p95LatencyMs: s.p95LatencyMs,
    costPerRequestUsd: s.costPerRequestUsd,
    outputTokensPerRequest: s.outputTokens / s.requests,
  };
}
