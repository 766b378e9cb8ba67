import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/core/random.js';
import { holm, meanDiffTest, minMeanP, minRateP, rateTest } from '../../src/evals/permutation.js';
import { binomialCdf, clopperPearson } from '../../src/evals/binomial.js';

describe('exact permutation test of a rate difference', () => {
  // Reference: enumeration of every relabelling, and scipy.stats.fisher_exact where the two agree.
  it.each([
    [3, 5, 0, 5, 1 / 6],
    [9, 10, 5, 10, 0.1408668730650155],
    [4, 6, 1, 7, 0.10256410256410256],
    [1, 1, 0, 1, 1],
    [2, 3, 0, 2, 0.4],
    // Unequal sides, where ordering by |rate difference| and Fisher's ordering by probability part ways (Fisher: 1.0).
    [0, 2, 2, 5, 0.5238095238095237],
    [1, 2, 1, 6, 1],
  ])('%i/%i vs %i/%i -> %f', (x1, n1, x2, n2, p) => {
    expect(rateTest(x1, n1, x2, n2)).toBeCloseTo(p, 10);
  });

  it('no samples on a side is p = 1', () => expect(rateTest(0, 0, 3, 5)).toBe(1));

  it('the smallest reachable p is the fully separated table', () => {
    expect(minRateP(1, 1)).toBe(1); // one sample a side can never be significant
    expect(minRateP(3, 3)).toBeCloseTo(2 / 20, 12);
    expect(minRateP(4, 4)).toBeCloseTo(2 / 70, 12);
    expect(minRateP(5, 5)).toBeCloseTo(2 / 252, 12);
    expect(minRateP(2, 5)).toBeCloseTo(1 / 21, 12);
    // Brute force over every table with these sample counts.
    for (const [n1, n2] of [
      [1, 1],
      [2, 2],
      [3, 3],
      [2, 5],
      [4, 7],
      [6, 6],
    ] as const) {
      let min = 1;
      for (let x1 = 0; x1 <= n1; x1++) for (let x2 = 0; x2 <= n2; x2++) min = Math.min(min, rateTest(x1, n1, x2, n2));
      expect(minRateP(n1, n2)).toBeCloseTo(min, 12);
    }
  });
});

describe('stratified permutation test of a mean difference', () => {
  // Reference: scipy.stats.permutation_test(..., permutation_type='independent', n_resamples=inf).
  it.each([
    [[1, 2, 3], [4, 5, 6], 0.1],
    [[10, 12, 11, 13], [14, 12, 15, 16], 0.08571428571428572],
    [[1, 2, 3, 4], [2, 5], 0.6],
  ])('%j vs %j -> %f (exact)', (base, candidate, p) => {
    const r = meanDiffTest([{ base, candidate }]);
    expect(r.exact).toBe(true);
    expect(r.p).toBeCloseTo(p, 12);
  });

  it('relabels within strata only: a shift in every case is found though cases differ wildly', () => {
    const strata = [100, 2000, 35].map((level) => ({
      base: [level, level + 1, level + 2],
      candidate: [level + 3, level + 4, level + 5],
    }));
    const r = meanDiffTest(strata);
    expect(r).toMatchObject({ exact: true, permutations: 20 ** 3 });
    expect(r.p).toBeCloseTo(2 / 20 ** 3, 12);
    // Pooled, the same numbers would show nothing: the spread between cases swamps the shift.
    const pooled = meanDiffTest(
      [{ base: strata.flatMap((s) => s.base), candidate: strata.flatMap((s) => s.candidate) }],
      { draws: 2000 },
    );
    expect(pooled.p).toBeGreaterThan(0.5);
  });

  it('Monte Carlo beyond the exhaustive limit, reproducible with an injected random', () => {
    const base = Array.from({ length: 30 }, (_, i) => 100 + (i % 7));
    const candidate = base.map((v) => v + 1);
    const a = meanDiffTest([{ base, candidate }], { random: seededRandom(3), draws: 999 });
    const b = meanDiffTest([{ base, candidate }], { random: seededRandom(3), draws: 999 });
    expect(a.exact).toBe(false);
    expect(a.p).toBe(b.p);
    expect(a.p).toBeGreaterThanOrEqual(1 / 1000);
    // Exact enumeration of the same small case agrees with Monte Carlo within noise.
    const small = { base: [3, 5, 4, 6, 5], candidate: [6, 7, 5, 8, 7] };
    const exact = meanDiffTest([small]).p;
    const mc = meanDiffTest([small], { exhaustiveLimit: 10, draws: 20_000, random: seededRandom(1) }).p;
    expect(Math.abs(exact - mc)).toBeLessThan(0.01);
  });

  it('the smallest reachable p', () => {
    expect(minMeanP([{ base: 1, candidate: 1 }])).toBe(1);
    expect(minMeanP([{ base: 3, candidate: 3 }])).toBeCloseTo(0.1, 12);
    expect(minMeanP(Array.from({ length: 10 }, () => ({ base: 1, candidate: 1 })))).toBeCloseTo(2 / 1024, 12);
    expect(minMeanP([{ base: 4, candidate: 2 }])).toBeCloseTo(1 / 15, 12);
    // Too many relabellings to count: Monte Carlo cannot go below 1 / (draws + 1).
    expect(minMeanP([{ base: 50, candidate: 50 }], { draws: 9_999 })).toBeCloseTo(1e-4, 12);
    // The bound is reached by the test itself.
    expect(meanDiffTest([{ base: [1, 2, 3], candidate: [7, 8, 9] }]).p).toBeCloseTo(
      minMeanP([{ base: 3, candidate: 3 }]),
      12,
    );
  });
});

describe('Clopper–Pearson interval', () => {
  // Reference: scipy.stats.beta.ppf(0.025, x, n - x + 1) and beta.ppf(0.975, x + 1, n - x).
  it.each([
    [0, 200, 0, 0.01827534035513624],
    [5, 200, 0.008166166190842513, 0.05737435112684586],
    [1, 10, 0.0025285785444617848, 0.4450161170281954],
    [10, 10, 0.6915028921812392, 1],
    [3, 250, 0.00248155825470304, 0.034666614574743924],
  ])('%i of %i -> [%f, %f]', (x, n, lo, up) => {
    const ci = clopperPearson(x, n);
    expect(ci.lower).toBeCloseTo(lo, 8);
    expect(ci.upper).toBeCloseTo(up, 8);
  });
  it('zero successes has the closed form 1 - (alpha/2)^(1/n)', () => {
    expect(clopperPearson(0, 300).upper).toBeCloseTo(1 - 0.025 ** (1 / 300), 10);
  });
  it('binomial CDF', () => {
    expect(binomialCdf(2, 4, 0.5)).toBeCloseTo(11 / 16, 12);
    expect(binomialCdf(-1, 4, 0.5)).toBe(0);
    expect(binomialCdf(4, 4, 0.3)).toBe(1);
  });
});

describe('Holm adjustment', () => {
  it('multiplies the k-th smallest p by (m - k + 1), monotone, capped at 1', () => {
    expect(holm([0.01, 0.04, 0.03, 0.5])).toEqual([0.04, 0.09, 0.09, 0.5]);
    expect(holm([0.6, 0.7])).toEqual([1, 1]);
  });
});
