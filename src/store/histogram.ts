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
 * Stored sparse, so a bucket holds only the bins it used: since migration 10 as runs of consecutive bins
 * (`encodeBins`: `bin:count,count,…;`), before it as a JSON object `{ "bin": count }`, which stores keep
 * beside the runs for gateways on older versions (rollup-sql-parts.ts). Reads parse either text, or
 * both concatenated, by hand (`addBinsText`): a month of hourly rollups holds millions of bins, and
 * JSON.parse with a per-key loop took 7x longer.
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
export function histogramPercentile(
  h: Histogram,
  p: number,
  min: number | null = null,
  max: number | null = null,
): number | null {
  let total = 0;
  let lo = Infinity;
  let hi = -Infinity;
  for (const [b, n] of h) {
    total += n;
    if (b < lo) lo = b;
    if (b > hi) hi = b;
  }
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * total));
  // Bins are small integers over a narrow range (about 60 per factor of 10): walking the range
  // costs less than sorting the keys, and a series computes this once per point.
  let seen = 0;
  let at = hi;
  for (let b = lo; b <= hi; b++) {
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

/** Accepts the JSON text (SQLite, or concatenated texts from a grouped read) or the parsed object (PostgreSQL JSONB). */
export function decodeHistogram(v: unknown): Histogram {
  const h: Histogram = new Map();
  if (typeof v === 'string') addBinsText(h, v);
  else addBinsObject(h, v);
  return h;
}

function addBinsObject(h: Histogram, o: unknown): void {
  if (o === null || typeof o !== 'object') return;
  for (const [k, n] of Object.entries(o as Record<string, unknown>)) {
    const b = Number(k);
    const c = typeof n === 'string' ? Number(n) : n;
    if (Number.isInteger(b) && typeof c === 'number' && c > 0) h.set(b, (h.get(b) ?? 0) + c);
  }
}

/** Bins between -OFFSET and OFFSET (1 ns to far beyond a day) are summed in a flat array first. */
const OFFSET = 1024;
const scratch = new Float64Array(2 * OFFSET);

/** The sums of one `addBinsText` call: in `scratch` for the usual bins, in `extra` for the rest. */
class BinSums {
  lo = 2 * OFFSET;
  hi = -1;
  readonly extra: number[] = [];

  add(bin: number, count: number): void {
    const at = bin + OFFSET;
    if (at >= 0 && at < 2 * OFFSET) {
      scratch[at] = (scratch[at] as number) + count;
      if (at < this.lo) this.lo = at;
      if (at > this.hi) this.hi = at;
    } else if (count > 0) {
      this.extra.push(bin, count);
    }
  }

  /** Adds the sums to `h` when `keep`; clears `scratch` either way. */
  drain(h: Histogram, keep: boolean): void {
    for (let at = this.lo; at <= this.hi; at++) {
      const c = scratch[at] ?? 0;
      if (keep && c > 0) {
        const b = at - OFFSET;
        h.set(b, (h.get(b) ?? 0) + c);
      }
      scratch[at] = 0;
    }
    if (!keep) return;
    for (let k = 0; k < this.extra.length; k += 2) {
      const b = this.extra[k] as number;
      h.set(b, (h.get(b) ?? 0) + (this.extra[k + 1] as number));
    }
  }
}

/**
 * Add the bins of one or more stored histograms, as text: runs (`-1:5,0,2;`) and `{"3":2,"-1":5}`
 * objects, possibly concatenated (`{…}3:1;{…}`, what a grouped read returns) and with spaces
 * (PostgreSQL's jsonb text). JSON objects this parser does not take (a fraction, an exponent) go
 * through JSON.parse instead.
 */
export function addBinsText(h: Histogram, s: string): void {
  const sums = new BinSums();
  const n = s.length;
  let i = 0;
  let ok = true;
  // One pass, no closures (a captured index measured several times slower): `{`, then `"bin":count`
  // pairs separated by `,`, then `}`; spaces allowed between tokens.
  outer: while (i < n) {
    let c = s.charCodeAt(i);
    while (c === 32 || c === 10) c = s.charCodeAt(++i);
    if (i >= n) break;
    if (c !== 123 /* { */) {
      // A run of the compact form: `bin:count,count,…;`, counts for consecutive bins from `bin`.
      let neg = false;
      if (c === 45 /* - */) {
        neg = true;
        c = s.charCodeAt(++i);
      }
      let bin = 0;
      let digits = 0;
      while (c >= 48 && c <= 57) {
        bin = bin * 10 + (c - 48);
        digits++;
        c = s.charCodeAt(++i);
      }
      if (digits === 0 || digits > 6 || c !== 58 /* : */) {
        ok = false;
        break;
      }
      if (neg) bin = -bin;
      for (;;) {
        c = s.charCodeAt(++i);
        let count = 0;
        digits = 0;
        while (c >= 48 && c <= 57) {
          count = count * 10 + (c - 48);
          digits++;
          c = s.charCodeAt(++i);
        }
        if (digits === 0 || digits > 15 || (c !== 44 /* , */ && c !== 59) /* ; */) {
          ok = false;
          break outer;
        }
        sums.add(bin, count);
        bin++;
        if (c === 59) break;
      }
      i++;
      continue;
    }
    c = s.charCodeAt(++i);
    while (c === 32 || c === 10) c = s.charCodeAt(++i);
    if (c === 125 /* } */) {
      i++;
      continue;
    }
    for (;;) {
      while (c === 32 || c === 10) c = s.charCodeAt(++i);
      if (c !== 34 /* " */) {
        ok = false;
        break outer;
      }
      c = s.charCodeAt(++i);
      let neg = false;
      if (c === 45 /* - */) {
        neg = true;
        c = s.charCodeAt(++i);
      }
      let bin = 0;
      let digits = 0;
      while (c >= 48 && c <= 57) {
        bin = bin * 10 + (c - 48);
        digits++;
        c = s.charCodeAt(++i);
      }
      if (c !== 34 || digits === 0) {
        ok = false;
        break outer;
      }
      c = s.charCodeAt(++i);
      while (c === 32 || c === 10) c = s.charCodeAt(++i);
      if (c !== 58 /* : */) {
        ok = false;
        break outer;
      }
      c = s.charCodeAt(++i);
      while (c === 32 || c === 10) c = s.charCodeAt(++i);
      let count = 0;
      digits = 0;
      while (c >= 48 && c <= 57) {
        count = count * 10 + (c - 48);
        digits++;
        c = s.charCodeAt(++i);
      }
      if (digits === 0 || digits > 15) {
        ok = false;
        break outer;
      }
      if (neg) bin = -bin;
      sums.add(bin, count);
      while (c === 32 || c === 10) c = s.charCodeAt(++i);
      if (c === 44 /* , */) {
        c = s.charCodeAt(++i);
        continue;
      }
      if (c === 125 /* } */) {
        i++;
        break;
      }
      ok = false;
      break outer;
    }
  }
  sums.drain(h, ok);
  if (ok) return;
  // Text this parser does not take: nothing was added to `h` yet. JSON objects with a fraction or an
  // exponent go through JSON.parse; anything else is not a histogram.
  if (!/^[\s{]/.test(s)) throw new SyntaxError(`not a stored histogram: ${s.slice(0, 40)}`);
  for (const o of JSON.parse(`[${s.replace(/\}\s*\{/g, '},{')}]`) as unknown[]) addBinsObject(h, o);
}

/** Gaps of up to this many empty bins are written as zeros inside a run (`,0` is shorter than a new `bin:`). */
const BRIDGE = 2;

/**
 * The compact form (migration 10): runs of consecutive bins, `bin:count,count,…;` in ascending order.
 * For a few dozen bins with small counts it is a quarter of the JSON text, and the sum of two
 * histograms is their texts one after the other, which is what a grouped read concatenates.
 */
export function encodeBins(h: Histogram): string {
  const bins = [...h.keys()].filter((b) => (h.get(b) ?? 0) > 0).sort((a, b) => a - b);
  let out = '';
  let prev = NaN;
  for (const b of bins) {
    const n = h.get(b) as number;
    if (b - prev - 1 <= BRIDGE) out += `${',0'.repeat(b - prev - 1)},${n}`;
    else out += `${out === '' ? '' : ';'}${b}:${n}`;
    prev = b;
  }
  return out === '' ? '' : `${out};`;
}
