/** Binomial tail and the Clopper–Pearson interval, for measured rates such as a verdict's false-positive rate. */
import { logFactorial } from './stats.js';

/** P(X <= x) for X ~ Binomial(n, p). */
export function binomialCdf(x: number, n: number, p: number): number {
  if (x < 0) return 0;
  if (x >= n) return 1;
  if (p <= 0) return 1;
  if (p >= 1) return 0;
  let s = 0;
  for (let k = 0; k <= x; k++)
    s += Math.exp(logFactorial(n) - logFactorial(k) - logFactorial(n - k) + k * Math.log(p) + (n - k) * Math.log1p(-p));
  return Math.min(1, s);
}

/** Root of a decreasing function on [lo, hi] by bisection (the binomial CDF falls as p grows). */
function bisect(f: (p: number) => number, lo: number, hi: number): number {
  let a = lo;
  let b = hi;
  for (let i = 0; i < 200 && b - a > 1e-12; i++) {
    const m = (a + b) / 2;
    if (f(m) > 0) a = m;
    else b = m;
  }
  return (a + b) / 2;
}

/**
 * Exact (Clopper–Pearson) two-sided interval for a rate of x in n at `confidence` (default 95%):
 * conservative, so "the false-positive rate is at most <upper>" holds at least that often.
 */
export function clopperPearson(x: number, n: number, confidence = 0.95): { lower: number; upper: number } {
  if (n <= 0) return { lower: 0, upper: 1 };
  const tail = (1 - confidence) / 2;
  const upper = x >= n ? 1 : bisect((p) => binomialCdf(x, n, p) - tail, x / n, 1);
  const lower = x <= 0 ? 0 : bisect((p) => binomialCdf(x - 1, n, p) - (1 - tail), 0, x / n);
  return { lower, upper };
}
