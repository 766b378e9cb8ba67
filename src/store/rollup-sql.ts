/**
 * SQL for the usage_rollups table, written once for both dialects: the adding upsert (several
 * gateways add into the same bucket) and the grouped read (the database sums buckets and merges
 * histogram bins, so a read returns one row per group and output bucket, whatever the traffic).
 * Only a handful of fragments differ by dialect (rollup-sql-parts.ts): placeholders, the merge of
 * histograms in the upsert and two-argument min/max.
 */
import { StoreError } from '../core/errors.js';
import { addBinsText, decodeHistogram, encodeBins, encodeHistogram, mergeInto, type Histogram } from './histogram.js';
import { rollupRanges, type RollupGroup, type RollupRange, type RollupSums, type UsageRollup } from './rollup.js';
import type { SqlDialect } from './migrations.js';
import { PARTS, type SqlParts } from './rollup-sql-parts.js';
import type { CanaryArm } from './types.js';
import { KEY_COLS } from './rollup-table.js';

export { ROLLUP_TABLE_SQL } from './rollup-table.js';

export type RollupDim = keyof RollupGroup;

export interface RollupQuery {
  /** Inclusive; taken to its minute. */
  sinceMs: number;
  /** Exclusive: buckets starting before it. */
  untilMs: number;
  route?: string;
  /** Any of these routes. */
  routes?: readonly string[];
  env?: string;
  arm?: CanaryArm;
  /** Group by these; an empty list sums everything into one row. */
  by: readonly RollupDim[];
  /** Also split by time buckets of this size (a whole number of minutes, UTC-aligned). */
  bucketMs?: number;
  /**
   * Merge latency and TTFT histograms (default true), only latency's ('latency': a series' p95 per
   * point), or none (lists of routes or served models).
   */
  histograms?: boolean | 'latency';
  /**
   * 'series': only the sums a series point shows (requests, errors, output tokens, cost, priced
   * requests, latency extremes); the others come back 0, their extremes null. A month of hours read
   * by served model spent a third of the database's time summing columns nobody looked at.
   */
  sums?: 'all' | 'series';
  /** Read these bucket ranges instead of covering the window (a store reading a long window in pieces). */
  ranges?: readonly RollupRange[];
  /** Read this table whatever the dims (migration 9 reads the full rollups to fill the per-model ones). */
  table?: RollupTable;
  /** The columns of the tables (migrations before 10 read and write the JSON histograms alone). */
  layout?: RollupLayout;
}

/**
 * 'json': the columns before migration 10 (histograms as `{"bin":count}` only); 'bins': with the compact
 * histogram columns beside them (rollup-sql-parts.ts).
 */
export type RollupLayout = 'json' | 'bins';

export interface RollupAggregate extends RollupSums {
  /** The dims asked for in `by`. */
  group: Partial<RollupGroup>;
  /** Output bucket start, or null without `bucketMs`. */
  bucketStart: number | null;
}

const DIM_COL: Record<RollupDim, string> = {
  route: 'route',
  env: 'env',
  target: 'target',
  servedModel: 'served_model',
  arm: 'arm',
  clientKeyId: 'client_key_id',
};
const NULLABLE_DIMS: ReadonlySet<RollupDim> = new Set(['servedModel', 'arm', 'clientKeyId']);

const SUM_COLS = [
  'requests',
  'errors',
  'version_errors',
  'input_tokens',
  'output_tokens',
  'cached_tokens',
  'cache_write_tokens',
  'reasoning_tokens',
  'priced_requests',
  'format_checked',
  'format_valid',
] as const;
const ALL_COLS = [
  ...KEY_COLS,
  ...SUM_COLS,
  'cost_usd',
  'latency_hist',
  'latency_min_ms',
  'latency_max_ms',
  'ttft_hist',
  'ttft_min_ms',
  'ttft_max_ms',
  'first_ts',
  'last_ts',
  'last_ok_ts',
] as const;
const SERIES_SUMS = ['requests', 'errors', 'output_tokens', 'priced_requests', 'cost_usd'] as const;
/** Added by migration 10. */
const BINS_COLS = ['latency_bins', 'ttft_bins'] as const;
const COLS_OF: Record<RollupLayout, readonly RollupCol[]> = { json: ALL_COLS, bins: [...ALL_COLS, ...BINS_COLS] };
type RollupCol = (typeof ALL_COLS)[number] | (typeof BINS_COLS)[number];
type Encoder = (r: UsageRollup) => unknown;

/** Every column's value from a rollup: a new column without an entry here fails to compile. */
const ENCODE_JSON: Record<RollupCol, Encoder> = {
  grain: (r) => r.grain,
  bucket_start: (r) => r.bucketStart,
  route: (r) => r.route,
  env: (r) => r.env,
  target: (r) => r.target,
  served_model: (r) => r.servedModel ?? '',
  arm: (r) => r.arm ?? '',
  client_key_id: (r) => r.clientKeyId ?? '',
  requests: (r) => r.requests,
  errors: (r) => r.errors,
  version_errors: (r) => r.versionErrors,
  input_tokens: (r) => r.inputTokens,
  output_tokens: (r) => r.outputTokens,
  cached_tokens: (r) => r.cachedTokens,
  cache_write_tokens: (r) => r.cacheWriteTokens,
  reasoning_tokens: (r) => r.reasoningTokens,
  priced_requests: (r) => r.pricedRequests,
  format_checked: (r) => r.formatChecked,
  format_valid: (r) => r.formatValid,
  cost_usd: (r) => r.costUsd,
  latency_hist: (r) => encodeHistogram(r.latency),
  latency_min_ms: (r) => r.latencyMinMs,
  latency_max_ms: (r) => r.latencyMaxMs,
  ttft_hist: (r) => encodeHistogram(r.ttft),
  ttft_min_ms: (r) => r.ttftMinMs,
  ttft_max_ms: (r) => r.ttftMaxMs,
  first_ts: (r) => r.firstTs,
  last_ts: (r) => r.lastTs,
  last_ok_ts: (r) => r.lastOkTs,
  latency_bins: () => '',
  ttft_bins: () => '',
};
const ENCODE: Record<RollupLayout, Record<RollupCol, Encoder>> = {
  json: ENCODE_JSON,
  bins: {
    ...ENCODE_JSON,
    latency_hist: () => '{}',
    ttft_hist: () => '{}',
    latency_bins: (r) => encodeBins(r.latency),
    ttft_bins: (r) => encodeBins(r.ttft),
  },
};

export const ROLLUP_COLUMN_COUNT = COLS_OF.bins.length;

export function encodeRollup(r: UsageRollup, layout: RollupLayout = 'bins'): unknown[] {
  const enc = ENCODE[layout];
  return COLS_OF[layout].map((c) => enc[c](r));
}

/**
 * The two tables of rollups, with the same columns: `usage_rollups` per full group, and
 * `usage_model_rollups` with arm and client key folded in ('' in every row), what the usage table,
 * its series and the dashboard read (model-rollups.ts).
 */
export type RollupTable = 'usage_rollups' | 'usage_model_rollups';

/** INSERT of `rows` rollups that adds into existing buckets. */
export function rollupUpsertSql(
  dialect: SqlDialect,
  rows: number,
  t: RollupTable = 'usage_rollups',
  layout: RollupLayout = 'bins',
): string {
  const d = PARTS[dialect];
  const cols = COLS_OF[layout];
  const n = cols.length;
  const values = Array.from(
    { length: rows },
    (_, r) => `(${cols.map((_c, i) => d.ph(r * n + i + 1)).join(', ')})`,
  ).join(', ');
  // The compact column takes the row's JSON leftovers (from an older gateway) along with the new bins.
  const hists =
    layout === 'json'
      ? [`latency_hist = ${d.mergeJson(t, 'latency_hist')}`, `ttft_hist = ${d.mergeJson(t, 'ttft_hist')}`]
      : [
          `latency_bins = ${d.mergeBins(t, 'latency_bins', 'latency_hist')}`,
          `ttft_bins = ${d.mergeBins(t, 'ttft_bins', 'ttft_hist')}`,
          'latency_hist = excluded.latency_hist',
          'ttft_hist = excluded.ttft_hist',
        ];
  const sets = [
    ...SUM_COLS.map((c) => `${c} = ${t}.${c} + excluded.${c}`),
    `cost_usd = CASE WHEN ${t}.cost_usd IS NULL THEN excluded.cost_usd WHEN excluded.cost_usd IS NULL THEN ${t}.cost_usd ELSE ${t}.cost_usd + excluded.cost_usd END`,
    ...hists,
    ...(['latency_min_ms', 'ttft_min_ms', 'first_ts'] as const).map(
      (c) => `${c} = ${d.least(`${t}.${c}`, `excluded.${c}`)}`,
    ),
    ...(['latency_max_ms', 'ttft_max_ms', 'last_ts', 'last_ok_ts'] as const).map(
      (c) => `${c} = ${d.greatest(`${t}.${c}`, `excluded.${c}`)}`,
    ),
  ];
  return `INSERT INTO ${t} (${cols.join(', ')}) VALUES ${values} ON CONFLICT (${KEY_COLS.join(', ')}) DO UPDATE SET ${sets.join(', ')}`;
}

export interface BuiltQuery {
  sql: string;
  params: unknown[];
}

function whereOf(q: RollupQuery, d: SqlParts, params: unknown[]): string {
  const p = (v: unknown): string => {
    params.push(v);
    return d.ph(params.length);
  };
  const ranges = q.ranges ?? rollupRanges(q.sinceMs, q.untilMs, q.bucketMs);
  if (ranges.length === 0) return ' WHERE 1 = 0';
  const parts = [
    `(${ranges.map((r) => `(grain = ${p(r.grain)} AND bucket_start >= ${p(r.lo)} AND bucket_start < ${p(r.hi)})`).join(' OR ')})`,
  ];
  if (q.route !== undefined) parts.push(`route = ${p(q.route)}`);
  if (q.routes !== undefined)
    parts.push(q.routes.length === 0 ? '1 = 0' : `route IN (${q.routes.map((r) => p(r)).join(', ')})`);
  if (q.env !== undefined) parts.push(`env = ${p(q.env)}`);
  if (q.arm !== undefined) parts.push(`arm = ${p(q.arm)}`);
  return ` WHERE ${parts.join(' AND ')}`;
}

/**
 * The rollups a query covers, summed by the database per group (dims aliased d0..) and output bucket
 * (b): counts with SUM, extremes with MIN/MAX, and the histogram texts concatenated (each row's JSON
 * column then its compact one: `{}3:1,2;{}2:4;`), to be added bin by bin by `addBinsText`. One row per group and bucket comes back, so the rows and
 * values crossing into JavaScript are groups × buckets, not rollup rows. (Merging the bins with the
 * databases' JSON functions measured 5 to 20 times slower; reading the rows one by one and summing
 * them here, 10 s for a month of hours on SQLite.)
 */
export function rollupReadSql(dialect: SqlDialect, q: RollupQuery): BuiltQuery {
  const d = PARTS[dialect];
  const params: unknown[] = [];
  checkBucket(q);
  const where = whereOf(q, d, params);
  const dims = q.by.map((k, i) => `${DIM_COL[k]} AS d${i}`);
  // A bucket the size of the grain read is the bucket start itself: grouped by it first, the key
  // index (grain, bucket_start, served_model, …) hands rows over in group order with no sort.
  const whole =
    q.bucketMs !== undefined &&
    (q.ranges ?? rollupRanges(q.sinceMs, q.untilMs, q.bucketMs)).every((r) => r.grain === q.bucketMs);
  const bucket =
    q.bucketMs === undefined ? '0' : whole ? 'bucket_start' : `(bucket_start / ${q.bucketMs}) * ${q.bucketMs}`;
  const histCols =
    q.histograms === false
      ? []
      : q.histograms === 'latency'
        ? (['latency_hist'] as const)
        : (['latency_hist', 'ttft_hist'] as const);
  const bins = (q.layout ?? 'bins') === 'bins';
  const hist = histCols.map((c) => `${d.histAgg(c, bins ? c.replace('_hist', '_bins') : null)} AS ${c}`);
  const series = q.sums === 'series';
  const cols = [
    ...dims,
    `${bucket} AS b`,
    ...(series ? SERIES_SUMS : [...SUM_COLS, 'cost_usd']).map((c) => `SUM(${c}) AS ${c}`),
    ...(series ? ['latency_min_ms'] : ['latency_min_ms', 'ttft_min_ms', 'first_ts']).map((c) => `MIN(${c}) AS ${c}`),
    ...(series ? ['latency_max_ms'] : ['latency_max_ms', 'ttft_max_ms', 'last_ts', 'last_ok_ts']).map(
      (c) => `MAX(${c}) AS ${c}`,
    ),
    ...hist,
  ];
  const groupBy = [dims.length + 1, ...dims.map((_d, i) => i + 1)].join(', ');
  return { sql: `SELECT ${cols.join(', ')} FROM ${readTable(q)}${where} GROUP BY ${groupBy}`, params };
}

/** A read that neither splits nor filters by arm or client key sums the same from the per-model rollups, which hold a third or less of the rows. */
export function readTable(q: RollupQuery): RollupTable {
  if (q.table !== undefined) return q.table;
  return q.arm === undefined && !q.by.includes('arm') && !q.by.includes('clientKeyId')
    ? 'usage_model_rollups'
    : 'usage_rollups';
}

/**
 * Fold result rows (from `rollupReadSql`) into one aggregate per group and output bucket. Rows of
 * the same group come more than once only when a store reads a window in pieces; memory is groups × buckets.
 */
export function aggregateRollupRows(
  q: RollupQuery,
  rows: Iterable<unknown>,
  out = new Map<string, RollupAggregate>(),
): RollupAggregate[] {
  const n = q.by.length;
  for (const row of rows) {
    const o = row as Record<string, unknown>;
    let k = String(o.b);
    for (let i = 0; i < n; i++) k += `\u0000${String(o[`d${i}`])}`;
    const acc = out.get(k);
    if (acc) addRowInto(acc, o);
    else out.set(k, decodeRollupAggregate(q, row));
  }
  return [...out.values()];
}

/** Add one result row into an aggregate, bins parsed straight into its histograms. */
function addRowInto(a: RollupAggregate, o: Record<string, unknown>): void {
  a.requests += num(o.requests);
  a.errors += num(o.errors);
  a.versionErrors += sum(o.version_errors);
  a.inputTokens += sum(o.input_tokens);
  a.outputTokens += num(o.output_tokens);
  a.cachedTokens += sum(o.cached_tokens);
  a.cacheWriteTokens += sum(o.cache_write_tokens);
  a.reasoningTokens += sum(o.reasoning_tokens);
  const cost = numOrNull(o.cost_usd);
  if (cost !== null) a.costUsd = (a.costUsd ?? 0) + cost;
  a.pricedRequests += num(o.priced_requests);
  a.formatChecked += sum(o.format_checked);
  a.formatValid += sum(o.format_valid);
  addBins(a.latency, o.latency_hist);
  addBins(a.ttft, o.ttft_hist);
  a.latencyMinMs = minOf(a.latencyMinMs, numOrNull(o.latency_min_ms));
  a.latencyMaxMs = maxOf(a.latencyMaxMs, numOrNull(o.latency_max_ms));
  a.ttftMinMs = minOf(a.ttftMinMs, numOrNull(o.ttft_min_ms));
  a.ttftMaxMs = maxOf(a.ttftMaxMs, numOrNull(o.ttft_max_ms));
  a.firstTs = Math.min(a.firstTs, sum(o.first_ts));
  a.lastTs = Math.max(a.lastTs, sum(o.last_ts));
  a.lastOkTs = maxOf(a.lastOkTs, numOrNull(o.last_ok_ts));
}

function addBins(h: Histogram, v: unknown): void {
  if (v === null || v === undefined) return;
  if (typeof v === 'string') addBinsText(h, v);
  else mergeInto(h, decodeHistogram(v));
}

const minOf = (a: number | null, b: number | null): number | null => (a === null ? b : b === null ? a : Math.min(a, b));
const maxOf = (a: number | null, b: number | null): number | null => (a === null ? b : b === null ? a : Math.max(a, b));

function checkBucket(q: RollupQuery): void {
  if (q.bucketMs !== undefined && (!Number.isInteger(q.bucketMs) || q.bucketMs < 60_000 || q.bucketMs % 60_000 !== 0)) {
    throw new StoreError(`rollup bucket ${String(q.bucketMs)} ms is not a whole number of minutes`);
  }
}

const num = (v: unknown): number =>
  typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : typeof v === 'string' ? Number(v) : NaN;
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : num(v));
/** A sum a 'series' read leaves out is 0. */
const sum = (v: unknown): number => (v === undefined ? 0 : num(v));

export function decodeRollupAggregate(q: RollupQuery, row: unknown): RollupAggregate {
  if (row === null || typeof row !== 'object') throw new StoreError('usage_rollups: result row is not an object');
  const o = row as Record<string, unknown>;
  const group: Partial<Record<RollupDim, string | null>> = {};
  q.by.forEach((k, i) => {
    const v = o[`d${i}`];
    const s = typeof v === 'string' ? v : String(v ?? '');
    group[k] = NULLABLE_DIMS.has(k) && s === '' ? null : s;
  });
  const requests = num(o.requests);
  if (Number.isNaN(requests)) throw new StoreError('usage_rollups: result row has no request count');
  return {
    group: group as Partial<RollupGroup>,
    bucketStart: q.bucketMs === undefined ? null : num(o.b),
    requests,
    errors: num(o.errors),
    versionErrors: sum(o.version_errors),
    inputTokens: sum(o.input_tokens),
    outputTokens: num(o.output_tokens),
    cachedTokens: sum(o.cached_tokens),
    cacheWriteTokens: sum(o.cache_write_tokens),
    reasoningTokens: sum(o.reasoning_tokens),
    costUsd: numOrNull(o.cost_usd),
    pricedRequests: num(o.priced_requests),
    formatChecked: sum(o.format_checked),
    formatValid: sum(o.format_valid),
    latency: decodeHistogram(o.latency_hist ?? null),
    latencyMinMs: numOrNull(o.latency_min_ms),
    latencyMaxMs: numOrNull(o.latency_max_ms),
    ttft: decodeHistogram(o.ttft_hist ?? null),
    ttftMinMs: numOrNull(o.ttft_min_ms),
    ttftMaxMs: numOrNull(o.ttft_max_ms),
    firstTs: sum(o.first_ts),
    lastTs: sum(o.last_ts),
    lastOkTs: numOrNull(o.last_ok_ts),
  };
}
