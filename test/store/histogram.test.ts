import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/core/random.js';
import {
  HISTOGRAM_RELATIVE_ERROR,
  addBinsText,
  addValue,
  decodeHistogram,
  encodeBins,
  encodeHistogram,
  histogramPercentile,
  mergeInto,
  type Histogram,
} from '../../src/store/histogram.js';
import { percentile } from '../../src/usage/percentile.js';

const PS = [50, 90, 95, 99, 99.9];
/** The stated bound, plus float rounding at a bin edge. */
const BOUND = HISTOGRAM_RELATIVE_ERROR + 1e-9;

function histOf(values: readonly number[]): { h: Histogram; min: number; max: number } {
  const h: Histogram = new Map();
  for (const v of values) addValue(h, v);
  return { h, min: Math.min(...values), max: Math.max(...values) };
}

function worstError(values: readonly number[]): number {
  const { h, min, max } = histOf(values);
  let worst = 0;
  for (const p of PS) {
    const exact = percentile(values, p) ?? 0;
    const est = histogramPercentile(h, p, min, max) ?? 0;
    worst = Math.max(worst, exact === 0 ? Math.abs(est) : Math.abs(est - exact) / exact);
  }
  return worst;
}

/** Box-Muller from the injected source. */
function normal(rng: { next(): number }): number {
  return Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
}

describe('latency histogram percentiles', () => {
  const rng = seededRandom(42);
  const distributions: Record<string, () => number> = {
    uniform: () => 5 + rng.next() * 2000,
    lognormal: () => Math.exp(Math.log(300) + 0.8 * normal(rng)),
    bimodal: () => (rng.next() < 0.85 ? 40 + rng.next() * 30 : 2500 + rng.next() * 1500),
  };

  it.each(Object.keys(distributions))(
    '%s: p50/p90/p95/p99/p99.9 within the stated relative error of the exact values',
    (name) => {
      const draw = distributions[name] as () => number;
      const values = Array.from({ length: 50_000 }, draw);
      const err = worstError(values);
      expect(err).toBeLessThanOrEqual(BOUND);
      console.log(
        `${name}: worst relative error ${(err * 100).toFixed(3)}% (bound ${HISTOGRAM_RELATIVE_ERROR * 100}%)`,
      );
    },
  );

  it('holds for any sample (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0.01, max: 600_000, noNaN: true }), { minLength: 1, maxLength: 300 }),
        (values) => {
          expect(worstError(values)).toBeLessThanOrEqual(BOUND);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('merges exactly: split anywhere and added back, the percentiles are those of the whole', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0.5, max: 100_000, noNaN: true }), { minLength: 2, maxLength: 200 }),
        fc.nat(),
        (values, cut) => {
          const at = cut % values.length;
          const whole = histOf(values);
          const merged = mergeInto(histOf(values.slice(0, at)).h, histOf(values.slice(at)).h);
          expect([...merged.entries()].sort()).toEqual([...whole.h.entries()].sort());
        },
      ),
      { numRuns: 200 },
    );
  });

  it('is exact when every value is the same (clamped to the observed range)', () => {
    const { h, min, max } = histOf(Array(100).fill(840));
    expect(histogramPercentile(h, 95, min, max)).toBe(840);
  });
});

describe('reading stored histogram text', () => {
  const sorted = (h: Histogram): Array<[number, number]> => [...h.entries()].sort((a, b) => a[0] - b[0]);
  const bins = fc.array(fc.tuple(fc.integer({ min: -3000, max: 3000 }), fc.integer({ min: 1, max: 2 ** 40 })), {
    maxLength: 40,
  });
  const toHist = (pairs: ReadonlyArray<readonly [number, number]>): Histogram => {
    const h: Histogram = new Map();
    for (const [b, n] of pairs) h.set(b, (h.get(b) ?? 0) + n);
    return h;
  };

  it('adds concatenated texts (a grouped read) exactly as merging each one', () => {
    fc.assert(
      fc.property(fc.array(bins, { maxLength: 6 }), fc.boolean(), (parts, spaced) => {
        const hists = parts.map(toHist);
        // PostgreSQL's jsonb text has a space after ':' and ','.
        const text = hists
          .map((h) => (spaced ? encodeHistogram(h).replace(/([:,])/g, '$1 ') : encodeHistogram(h)))
          .join('');
        const got: Histogram = new Map();
        addBinsText(got, text);
        const want: Histogram = new Map();
        for (const h of hists) mergeInto(want, h);
        expect(sorted(got)).toEqual(sorted(want));
      }),
      { numRuns: 300 },
    );
  });

  it('adds into the bins already there, and reads text it does not parse itself through JSON', () => {
    const h: Histogram = new Map([[5, 2]]);
    addBinsText(h, '{"5":3,"-7":1}{}{"9":1.0e0}');
    expect(sorted(h)).toEqual([
      [-7, 1],
      [5, 5],
      [9, 1],
    ]);
    expect(sorted(decodeHistogram('{"1": 2, "2": 3}'))).toEqual([
      [1, 2],
      [2, 3],
    ]);
    expect(sorted(decodeHistogram({ '1': '4' }))).toEqual([[1, 4]]);
    expect(() => addBinsText(new Map(), '{"1":')).toThrow();
  });

  it('round-trips the compact form, and adds compact and JSON texts concatenated in any order', () => {
    fc.assert(
      fc.property(
        fc.array(bins, { maxLength: 6 }),
        fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
        (parts, json) => {
          const hists = parts.map(toHist);
          for (const h of hists) {
            const back: Histogram = new Map();
            addBinsText(back, encodeBins(h));
            expect(sorted(back)).toEqual(sorted(h).filter(([, n]) => n > 0));
          }
          // A grouped read over rows in either form: each row's JSON column then its compact one.
          const text = hists.map((h, i) => (json[i] ? `${encodeHistogram(h)}` : `{}${encodeBins(h)}`)).join('');
          const got: Histogram = new Map();
          addBinsText(got, text);
          const want: Histogram = new Map();
          for (const h of hists) mergeInto(want, h);
          expect(sorted(got)).toEqual(sorted(want).filter(([, n]) => n > 0));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('writes runs of consecutive bins, bridging short gaps with zeros', () => {
    const h: Histogram = new Map([
      [-3, 1],
      [-2, 4],
      [0, 2],
      [7, 1],
      [9, 0],
      [2000, 5],
    ]);
    expect(encodeBins(h)).toBe('-3:1,4,0,2;7:1;2000:5;');
    expect(encodeBins(new Map())).toBe('');
    expect(sorted(decodeHistogram('-3:1,4,0,2;7:1;2000:5;{"7":2}'))).toEqual([
      [-3, 1],
      [-2, 4],
      [0, 2],
      [7, 3],
      [2000, 5],
    ]);
    expect(encodeBins(decodeHistogram('{"1":2,"3":1}2:5;'))).toBe('1:2,5,1;');
    expect(() => addBinsText(new Map(), '3:1,2')).toThrow();
    expect(() => addBinsText(new Map(), '3;')).toThrow();
  });
});
