/**
 * Permutation tests for the differences a compare gates on, and the smallest p-value each can reach
 * at a given number of samples. Under "no drift" the base/candidate labels of the samples are
 * exchangeable, so the p-value is the share of relabellings at least as extreme as the observed one:
 * exact where the relabellings can be counted, Monte Carlo (injected random) where they cannot.
 */
import { seededRandom, type Random } from '../core/random.js';
import { logFactorial } from './stats.js';

const logChoose = (n: number, k: number): number => logFactorial(n) - logFactorial(k) - logFactorial(n - k);

/** Statistics equal in exact arithmetic must count as "at least as extreme" despite float rounding. */
const atLeast = (x: number, obs: number): boolean => x >= obs - 1e-9 * Math.max(1, obs);

/**
 * Two-sided exact permutation test of a difference in rates, x1 of n1 vs x2 of n2. With the
 * successes K = x1 + x2 fixed, the count on side 1 is hypergeometric under exchangeability; p sums
 * the probability of every split whose |rate difference| is at least the observed one.
 */
export function rateTest(x1: number, n1: number, x2: number, n2: number): number {
  if (n1 === 0 || n2 === 0) return 1;
  const k = x1 + x2;
  const n = n1 + n2;
  const diff = (x: number): number => Math.abs(x / n1 - (k - x) / n2);
  const obs = diff(x1);
  const total = logChoose(n, k);
  let p = 0;
  for (let x = Math.max(0, k - n2); x <= Math.min(n1, k); x++) {
    if (atLeast(diff(x), obs)) p += Math.exp(logChoose(n1, x) + logChoose(n2, k - x) - total);
  }
  return Math.min(1, p);
}

/**
 * The smallest p `rateTest` can return with n1 and n2 samples: the fully separated table (every
 * sample of one side succeeds, none of the other), 1/C(n1+n2, n1), doubled when n1 = n2 because
 * the mirrored table is as extreme. 1 when a side has no samples.
 */
export function minRateP(n1: number, n2: number): number {
  if (n1 === 0 || n2 === 0) return 1;
  return Math.min(rateTest(n1, n1, 0, n2), rateTest(0, n1, n2, n2));
}

/** One stratum (a case): the samples each side produced. Labels are exchanged only within a stratum. */
export interface Stratum {
  base: readonly number[];
  candidate: readonly number[];
}

export interface MeanTestOptions {
  /** Source for Monte Carlo relabellings; a fixed seed by default so a report is reproducible. */
  random?: Random;
  /** Enumerate every relabelling when there are at most this many (default 100,000). */
  exhaustiveLimit?: number;
  /** Monte Carlo relabellings otherwise (default 9,999: p is never below 1/10,000). */
  draws?: number;
}

export interface MeanTestResult {
  p: number;
  /** Every relabelling was counted (else Monte Carlo). */
  exact: boolean;
  /** Relabellings counted or drawn. */
  permutations: number;
}

const sum = (xs: readonly number[]): number => xs.reduce((s, v) => s + v, 0);
const usable = (strata: readonly Stratum[]): Stratum[] =>
  strata.filter((s) => s.base.length > 0 && s.candidate.length > 0);

/** log of the number of within-stratum relabellings. */
function logRelabellings(strata: readonly Stratum[]): number {
  return strata.reduce((n, s) => n + logChoose(s.base.length + s.candidate.length, s.candidate.length), 0);
}

/** Every k-subset of 0..n-1 (as index arrays), in lexicographic order. */
function* subsets(n: number, k: number): Generator<number[]> {
  const idx = Array.from({ length: k }, (_, i) => i);
  for (;;) {
    yield idx;
    let i = k - 1;
    while (i >= 0 && idx[i] === n - k + i) i--;
    if (i < 0) return;
    idx[i] = (idx[i] ?? 0) + 1;
    for (let j = i + 1; j < k; j++) idx[j] = (idx[j - 1] ?? 0) + 1;
  }
}

/** A stratum's contribution to the statistic: mean of the values labelled candidate minus mean of the rest. */
function contribution(values: readonly number[], total: number, chosenSum: number, k: number): number {
  return chosenSum / k - (total - chosenSum) / (values.length - k);
}

/**
 * Two-sided stratified permutation test of a difference in means: statistic
 * D = sum over strata of (candidate mean - base mean), labels exchanged within each stratum (a case's
 * token counts vary by case far more than by model, so pooling them would drown the shift).
 */
export function meanDiffTest(strata: readonly Stratum[], opts: MeanTestOptions = {}): MeanTestResult {
  const ss = usable(strata);
  if (ss.length === 0) return { p: 1, exact: true, permutations: 1 };
  const pools = ss.map((s) => [...s.base, ...s.candidate]);
  const totals = pools.map(sum);
  const ks = ss.map((s) => s.candidate.length);
  const obs = Math.abs(ss.reduce((d, s) => d + sum(s.candidate) / s.candidate.length - sum(s.base) / s.base.length, 0));
  const limit = opts.exhaustiveLimit ?? 100_000;
  if (logRelabellings(ss) <= Math.log(limit) + 1e-9) {
    // Each stratum's possible contributions, then every combination across strata.
    const options = pools.map((v, i) => {
      const k = ks[i] ?? 1;
      const out: number[] = [];
      for (const sub of subsets(v.length, k))
        out.push(
          contribution(
            v,
            totals[i] ?? 0,
            sub.reduce((s, j) => s + (v[j] ?? 0), 0),
            k,
          ),
        );
      return out;
    });
    let hits = 0;
    let count = 0;
    const walk = (i: number, acc: number): void => {
      const opt = options[i];
      if (!opt) {
        count++;
        if (atLeast(Math.abs(acc), obs)) hits++;
        return;
      }
      for (const c of opt) walk(i + 1, acc + c);
    };
    walk(0, 0);
    return { p: hits / count, exact: true, permutations: count };
  }
  const random = opts.random ?? seededRandom('modelpin:permutation');
  const draws = opts.draws ?? 9_999;
  let hits = 0;
  const scratch = pools.map((v) => [...v]);
  for (let b = 0; b < draws; b++) {
    let d = 0;
    scratch.forEach((v, i) => {
      const k = ks[i] ?? 1;
      // Partial Fisher–Yates: the first k positions become a uniform k-subset.
      let chosen = 0;
      for (let j = 0; j < k; j++) {
        const r = j + Math.floor(random.next() * (v.length - j));
        const t = v[j] ?? 0;
        v[j] = v[r] ?? 0;
        v[r] = t;
        chosen += v[j] ?? 0;
      }
      d += contribution(v, totals[i] ?? 0, chosen, k);
    });
    if (atLeast(Math.abs(d), obs)) hits++;
  }
  // The observed labelling counts as one of the draws, so p is never 0.
  return { p: (hits + 1) / (draws + 1), exact: false, permutations: draws };
}

/**
 * The smallest p `meanDiffTest` can return for strata of these sizes (distinct values assumed): one
 * relabelling out of all of them, two when every stratum is split evenly (the mirror is as extreme),
 * and never below 1/(draws + 1) when there are too many to count.
 */
export function minMeanP(
  sizes: ReadonlyArray<{ base: number; candidate: number }>,
  opts: Pick<MeanTestOptions, 'exhaustiveLimit' | 'draws'> = {},
): number {
  const ss = sizes.filter((s) => s.base > 0 && s.candidate > 0);
  if (ss.length === 0) return 1;
  const logN = ss.reduce((n, s) => n + logChoose(s.base + s.candidate, s.candidate), 0);
  const mirrored = ss.every((s) => s.base === s.candidate);
  const exact = Math.min(1, (mirrored ? 2 : 1) * Math.exp(-logN));
  if (logN <= Math.log(opts.exhaustiveLimit ?? 100_000) + 1e-9) return exact;
  return Math.max(exact, 1 / ((opts.draws ?? 9_999) + 1));
}

/** Holm's step-down adjustment: family-wise error stays at most alpha over the whole family of tests. */
export function holm(ps: readonly number[]): number[] {
  const order = ps.map((p, i) => ({ p, i })).sort((a, b) => a.p - b.p);
  const out = new Array<number>(ps.length).fill(1);
  let running = 0;
  order.forEach(({ p, i }, rank) => {
    running = Math.max(running, Math.min(1, (ps.length - rank) * p));
    out[i] = running;
  });
  return out;
}
