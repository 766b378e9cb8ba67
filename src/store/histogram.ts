/**
 * Mergeable latency histograms with fixed log-spaced bins (the DDSketch layout): bin `i` holds
 * values in (γ^(i-1), γ^i]. Because the bins are the same everywhere, two histograms add bin by
 * bin exactly, whichever gateway or time bucket they came from, and the sum is the histogram of
 * all the values together.
 *
 * A nearest-rank percentile read from the bins is within HISTOGRAM_RELATIVE_ERROR of the exact
 * nearest-rank percentile of the values: the exact value lies in the bin the walk stops at, and
 * the bin's representative 2γ^i/(γ+1) is within α = (γ-1)/(γ+1) of every value in the bin. The
 * estimate is also clamped to the observed minimum and maximum, which only brings it closer.
 *
 * Stored sparse, as a JSON object `{ "bin": count }`, so a bucket holds only the bins it used.
 */

/** α: the bound on |estimate - exact| / exact for any percentile. 2% keeps a minute's bins to a few dozen. */
export const HISTOGRAM_RELATIVE_ERROR = 0.02;
/** γ = (1 + α) / (1 - α) ≈ 1.0408. */
export const HISTOGRAM_GROWTH = (1 + HISTOGRAM_RELATIVE_ERROR) / (1 - HISTOGRAM_RELATIVE_ERROR);
const LOG_GROWTH = Math.log(HISTOGRAM_GROWTH);
/** Values at or below this (ms) share the lowest bin: a microsecond is below anything a network call takes. */
export const HISTOGRAM_MIN_VALUE = 0.001;

/** Sparse bins: bin index to count. */
export type Histogram = Map<number, number>;

export function binOf(value: number): number {
  return Math.ceil(Math.log(Math.max(value, HISTOGRAM_MIN_VALUE)) / LOG_GROWTH);
}

/** The value a bin stands for: the point within α of both its edges. */
export function binValue(bin: number): number {
  return (2 * HISTOGRAM_GROWTH ** bin) / (HISTOGRAM_GROWTH + 1);
}

export function addValue(h: Histogram, value: number, count = 1): void {
  const b = binOf(value);
  h.set(b, (h.get(b) ?? 0) + count);
}

/** Add `from` into `into`, bin by bin. */
export function mergeInto(into: Histogram, from: Histogram): Histogram {
  for (const [b, n] of from) into.set(b, (into.get(b) ?? 0) + n);
  return into;
}

export function histogramCount(h: Histogram): number {
  let n = 0;
  for (const c of h.values()) n += c;
  return n;
}

/**
 * Nearest-rank percentile estimate (the smallest bin with at least p% of the values at or below it),
 * clamped to [min, max] when they are known. Null for an empty histogram.
 */
export function histogramPercentile(h: Histogram, p: number, min: number | null = null, max: number | null = null): number | null {
  const total = histogramCount(h);
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * total));
  const bins = [...h.keys()].sort((a, b) => a - b);
  let seen = 0;
  let at = bins[bins.length - 1] ?? 0;
  for (const b of bins) {
    seen += h.get(b) ?? 0;
    if (seen >= rank) {
      at = b;
      break;
    }
  }
  let v = binValue(at);
  if (min !== null && v < min) v = min;
  if (max !== null && v > max) v = max;
  return v;
}

export function encodeHistogram(h: Histogram): string {
  const o: Record<string, number> = {};
  for (const [b, n] of h) if (n !== 0) o[String(b)] = n;
  return JSON.stringify(o);
}

/** Accepts the JSON text (SQLite) or the parsed object (PostgreSQL JSONB). */
export function decodeHistogram(v: unknown): Histogram {
  const o: unknown = typeof v === 'string' ? JSON.parse(v) : v;
  const h: Histogram = new Map();
  if (o === null || typeof o !== 'object') return h;
  for (const [k, n] of Object.entries(o as Record<string, unknown>)) {
    const b = Number(k);
    const c = typeof n === 'string' ? Number(n) : n;
    if (Number.isInteger(b) && typeof c === 'number' && c > 0) h.set(b, (h.get(b) ?? 0) + c);
  }
  return h;
}
