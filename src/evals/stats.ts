/**
 * Small statistics for eval reports: percentiles, Fisher's exact test and the Mann–Whitney U test.
 * Permutation tests and minimum reachable p-values live in permutation.ts, binomial intervals in binomial.ts.
 */

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
export function logFactorial(n: number): number {
  for (let i = logFactCache.length; i <= n; i++) logFactCache[i] = (logFactCache[i - 1] ?? 0) + Math.log(i);
  return logFactCache[n] ?? 0;
}

/** Hypergeometric probability of the 2x2 table [[a, b], [c, d]] given its margins. */
function tableProbability(a: number, b: number, c: number, d: number): number {
  const n = a + b + c + d;
  return Math.exp(
    logFactorial(a + b) +
      logFactorial(c + d) +
      logFactorial(a + c) +
      logFactorial(b + d) -
      logFactorial(n) -
      logFactorial(a) -
      logFactorial(b) -
      logFactorial(c) -
      logFactorial(d),
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

/** Standard normal CDF (Abramowitz & Stegun 7.1.26 for erf; absolute error below 1.5e-7). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

/**
 * Two-sided Mann–Whitney U test of "the two samples come from the same distribution", for
 * latencies, which are skewed and heavy-tailed, so a t-test would mislead. Normal approximation
 * with tie and continuity corrections; 1 when either side has fewer than 2 values or all are tied.
 */
export function mannWhitney(a: readonly number[], b: readonly number[]): number {
  const n1 = a.length;
  const n2 = b.length;
  if (n1 < 2 || n2 < 2) return 1;
  const all = [...a.map((v) => ({ v, g: 0 })), ...b.map((v) => ({ v, g: 1 }))].sort((x, y) => x.v - y.v);
  const n = all.length;
  let rankSumA = 0;
  let tieTerm = 0;
  for (let i = 0; i < n;) {
    let j = i;
    while (j + 1 < n && all[j + 1]?.v === all[i]?.v) j++;
    const rank = (i + j) / 2 + 1;
    const t = j - i + 1;
    tieTerm += t * t * t - t;
    for (let k = i; k <= j; k++) if (all[k]?.g === 0) rankSumA += rank;
    i = j + 1;
  }
  const u = rankSumA - (n1 * (n1 + 1)) / 2;
  const mu = (n1 * n2) / 2;
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  if (variance <= 0) return 1;
  const z = (Math.abs(u - mu) - 0.5) / Math.sqrt(variance);
  return Math.min(1, 2 * (1 - normalCdf(Math.max(0, z))));
}
