/**
 * The side-by-side usage table and its time series, read from the store's rollups: what
 * `modelpin usage` and the dashboard show. The store sums the buckets and merges histogram bins, so
 * the rows read are groups × time buckets whatever the traffic. Latency percentiles come from the
 * histograms (within HISTOGRAM_RELATIVE_ERROR of the exact values).
 */
import { UsageError } from '../core/errors.js';
import { histogramPercentile } from '../store/histogram.js';
import { mergeSums, type RollupSums } from '../store/rollup.js';
import type { RollupAggregate, RollupDim } from '../store/rollup-sql.js';
import type { CanaryArm, Store } from '../store/types.js';
import { MAX_BUCKETS, MAX_SERIES, OTHER_KEY, type SeriesPoint, type UsageSeries } from './series.js';
import { NO_VALUE, type UsageGrouping, type UsageRow } from './summarize.js';

export const GROUPING_DIM: Record<UsageGrouping, RollupDim> = {
  'served-model': 'servedModel',
  route: 'route',
  target: 'target',
  arm: 'arm',
};

export interface UsageWindow {
  sinceMs: number;
  untilMs: number;
  route?: string;
  env?: string;
  arm?: CanaryArm;
}

function filters(w: UsageWindow): Omit<UsageWindow, 'sinceMs' | 'untilMs'> {
  return {
    ...(w.route !== undefined ? { route: w.route } : {}),
    ...(w.env !== undefined ? { env: w.env } : {}),
    ...(w.arm !== undefined ? { arm: w.arm } : {}),
  };
}

function keyOf(a: RollupAggregate, dim: RollupDim): string {
  return a.group[dim] ?? NO_VALUE;
}

/** A usage row from summed rollups. */
export function usageRow(key: string, s: RollupSums, servedModels: readonly string[] = []): UsageRow {
  return {
    key,
    requests: s.requests,
    errors: s.errors,
    errorRate: s.requests ? s.errors / s.requests : 0,
    p50LatencyMs: histogramPercentile(s.latency, 50, s.latencyMinMs, s.latencyMaxMs),
    p95LatencyMs: histogramPercentile(s.latency, 95, s.latencyMinMs, s.latencyMaxMs),
    p50TtftMs: histogramPercentile(s.ttft, 50, s.ttftMinMs, s.ttftMaxMs),
    inputTokens: s.inputTokens,
    outputTokens: s.outputTokens,
    cachedTokens: s.cachedTokens,
    cacheWriteTokens: s.cacheWriteTokens,
    reasoningTokens: s.reasoningTokens,
    costUsd: s.pricedRequests > 0 ? s.costUsd : null,
    costPerRequestUsd: s.pricedRequests > 0 && s.costUsd !== null ? s.costUsd / s.pricedRequests : null,
    costKnownRequests: s.pricedRequests,
    servedModels: [...servedModels].sort(),
    firstTs: s.firstTs,
    lastTs: s.lastTs,
  };
}

const byBusiest = (a: UsageRow, b: UsageRow): number => b.requests - a.requests || a.key.localeCompare(b.key);

export interface RollupUsage {
  /** One row per group, busiest first (ties by key), as `summarizeUsage` gives for the same records. */
  rows: UsageRow[];
  /** Per time bucket, when a bucket size was given. */
  series?: UsageSeries;
  /** Routes and envs with traffic in the window before the route/env filter (for selectors), when asked. */
  routes?: string[];
  envs?: string[];
}

/**
 * The usage table, its series and the route/env lists from at most three grouped rollup reads:
 * - totals per (key, served model, route, env) over the whole window, with both histograms: few rows,
 *   as the window is covered by days where it can be;
 * - with a bucket size, the series per (key, bucket) with the latency histogram and the sums a point
 *   shows only (p95 latency, no TTFT): groups × buckets rows, the bulk of the work;
 * - the route/env lists, without histograms, only when a route or env filter hides some of them.
 * Cost: groups × buckets, never requests.
 */
export async function usageFromRollups(
  store: Pick<Store, 'queryRollups'>,
  by: UsageGrouping,
  w: UsageWindow & { bucketMs?: number },
  opts: { lists?: boolean } = {},
): Promise<RollupUsage> {
  const starts = w.bucketMs === undefined ? null : bucketStarts(w.sinceMs, w.untilMs, w.bucketMs);
  const dim = GROUPING_DIM[by];
  const base = { sinceMs: w.sinceMs, untilMs: w.untilMs };
  const metaDims = [...new Set<RollupDim>([dim, 'servedModel', 'route', 'env'])];
  // The lists need every route and env: with a route/env filter they take a read of their own.
  const listsApart = opts.lists === true && (w.route !== undefined || w.env !== undefined);
  const [totalRows, seriesRows, listRows] = await Promise.all([
    store.queryRollups({ ...base, ...filters(w), by: metaDims }),
    w.bucketMs === undefined
      ? Promise.resolve([])
      : store.queryRollups({
          ...base,
          ...filters(w),
          by: [dim],
          bucketMs: w.bucketMs,
          histograms: 'latency',
          sums: 'series',
        }),
    listsApart
      ? store.queryRollups({
          ...base,
          ...(w.arm !== undefined ? { arm: w.arm } : {}),
          by: ['route', 'env'],
          histograms: false,
        })
      : Promise.resolve(null),
  ]);
  const models = new Map<string, Set<string>>();
  const totals = new Map<string, RollupSums>();
  for (const a of totalRows) {
    const k = keyOf(a, dim);
    if (a.group.servedModel) {
      const set = models.get(k) ?? new Set<string>();
      set.add(a.group.servedModel);
      models.set(k, set);
    }
    const t = totals.get(k);
    if (t) mergeSums(t, a);
    else totals.set(k, a);
  }
  const rows = [...totals].map(([k, t]) => usageRow(k, t, [...(models.get(k) ?? [])])).sort(byBusiest);
  const out: RollupUsage = { rows };
  if (starts !== null && w.bucketMs !== undefined)
    out.series = foldSeries(
      by,
      dim,
      seriesRows,
      starts,
      w.bucketMs,
      rows.map((r) => r.key),
    );
  if (opts.lists) {
    const lists = listRows ?? totalRows;
    out.routes = [...new Set(lists.map((r) => r.group.route ?? ''))].sort();
    out.envs = [...new Set(lists.map((r) => r.group.env ?? ''))].sort();
  }
  return out;
}

/** One row per group, busiest first (ties by key), as `summarizeUsage` gives for the same records. */
export async function summarizeFromRollups(
  store: Pick<Store, 'queryRollups'>,
  by: UsageGrouping,
  w: UsageWindow,
): Promise<UsageRow[]> {
  return (await usageFromRollups(store, by, w)).rows;
}

/** Buckets in a window, refusing more than MAX_BUCKETS (as the record-based series does). */
function bucketStarts(sinceMs: number, untilMs: number, bucketMs: number): number[] {
  const first = Math.floor(sinceMs / bucketMs) * bucketMs;
  const count = Math.floor((untilMs - 1 - first) / bucketMs) + 1;
  if (count > MAX_BUCKETS) {
    throw new UsageError(
      `a ${bucketMs / 60_000}-minute interval over this window makes ${count} buckets; the limit is ${MAX_BUCKETS}: use a coarser interval or a shorter window`,
    );
  }
  return Array.from({ length: Math.max(0, count) }, (_, i) => first + i * bucketMs);
}

function point(start: number, s: RollupSums): SeriesPoint {
  return {
    start,
    requests: s.requests,
    errorRate: s.requests ? s.errors / s.requests : 0,
    p95LatencyMs: histogramPercentile(s.latency, 95, s.latencyMinMs, s.latencyMaxMs),
    costPerRequestUsd: s.pricedRequests > 0 && s.costUsd !== null ? s.costUsd / s.pricedRequests : null,
    outputTokensPerRequest: s.requests ? s.outputTokens / s.requests : 0,
  };
}

/** The grouping per time bucket; beyond MAX_SERIES keys (busiest first in `ranked`) the quieter ones fold into OTHER_KEY. */
function foldSeries(
  by: UsageGrouping,
  dim: RollupDim,
  rows: readonly RollupAggregate[],
  starts: number[],
  bucketMs: number,
  ranked: readonly string[],
): UsageSeries {
  const kept = new Set(ranked.slice(0, ranked.length > MAX_SERIES ? MAX_SERIES - 1 : MAX_SERIES));
  const index = new Map(starts.map((s, i) => [s, i]));
  const cells = new Map<string, Array<RollupSums | null>>();
  for (const a of rows) {
    const i = index.get(a.bucketStart ?? NaN);
    if (i === undefined) continue;
    const k0 = keyOf(a, dim);
    const k = kept.has(k0) ? k0 : OTHER_KEY;
    let row = cells.get(k);
    if (!row) {
      row = starts.map(() => null);
      cells.set(k, row);
    }
    // The aggregate itself when it is the cell's only one (no copy of its histogram): it is not read again.
    const cell = row[i];
    row[i] = cell ? mergeSums(cell, a) : a;
  }
  return {
    by,
    bucketMs,
    starts,
    series: [...kept, OTHER_KEY].flatMap((key) => {
      const row = cells.get(key);
      if (!row) return [];
      return [{ key, points: row.map((s, i) => (s && s.requests > 0 ? point(starts[i] ?? 0, s) : null)) }];
    }),
  };
}
