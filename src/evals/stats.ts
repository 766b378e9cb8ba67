/** Small statistics for eval reports: percentiles and Fisher's exact test. */

/** Linear-interpolated percentile (q in 0..100) of unsorted values; null for none. */
export function percentile(values: readonly number[], q: number): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const pos = ((s.length - 1) * q) / 100;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = s[lo] ?? 0;
  const b = s[hi] ?? a;
  return a + (b - a) * (pos - lo);
}

const logFactCache: number[] = [0];
function logFactorial(n: number): number {
  for (let i = logFactCache.length; i <= n; i++) logFactCache[i] = (logFactCache[i - 1] ?? 0) + Math.log(i);
  return logFactCache[n] ?? 0;
}

/** Hypergeometric probability of the 2x2 table [[a, b], [c, d]] given its margins. */
function tableProbability(a: number, b: number, c: number, d: number): number {
  const n = a + b + c + d;
  return Math.exp(
    logFactorial(a + b) + logFactorial(c + d) + logFactorial(a + c) + logFactorial(b + d) - logFactorial(n) - logFactorial(a) - logFactorial(b) - logFactorial(c) - logFactorial(d),
  );
}

/**
 * Two-sided Fisher's exact test for the 2x2 table [[a, b], [c, d]]
 * (e.g. rows = arms, columns = passed / failed samples). Sums the probabilities of every
 * table with the same margins that is no more likely than the observed one.
 */
export function fisherExact(a: number, b: number, c: number, d: number): number {
  const row1 = a + b;
  const col1 = a + c;
  const n = a + b + c + d;
  if (n === 0) return 1;
  const observed = tableProbability(a, b, c, d);
  const lo = Math.max(0, col1 - (n - row1));
  const hi = Math.min(row1, col1);
  let p = 0;
  for (let x = lo; x <= hi; x++) {
    const px = tableProbability(x, row1 - x, col1 - x, n - row1 - col1 + x);
    // Relative tolerance so tables equal to the observed one in exact arithmetic are counted.
    if (px <= observed * (1 + 1e-7)) p += px;
  }
  return Math.min(1, p);
}

export function mean(values: readonly number[]): number | null {
  return values.length === 0 ? null : values.reduce((s, v) => s + v, 0) / values.length;
}
