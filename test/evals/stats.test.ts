import { describe, expect, it } from 'vitest';
import { fisherExact, percentile } from '../../src/evals/stats.js';
import { levenshtein, levenshteinSimilarity, tokenCosine } from '../../src/evals/similarity.js';
import { didYouMean } from '../../src/config/did-you-mean.js';
import { leaves, parseJsonPath, selectPath } from '../../src/evals/json-path.js';
import { extractJson, parseStrictJson } from '../../src/evals/json-text.js';

describe("Fisher's exact test (two-sided)", () => {
  // Reference values from R: fisher.test(matrix(c(a, c, b, d), 2))$p.value
  it.each([
    [3, 1, 1, 3, 0.4857143], // Fisher's tea-tasting table
    [1, 9, 11, 3, 0.002759456],
    [10, 0, 0, 10, 1.082509e-5],
    [9, 0, 0, 9, 4.113534e-5], // 2 / C(18, 9)
    [5, 5, 5, 5, 1],
    [0, 5, 0, 5, 1],
    [7, 2, 3, 8, 0.06978],
  ])('[[%i, %i], [%i, %i]] -> %f', (a, b, c, d, p) => {
    expect(fisherExact(a, b, c, d)).toBeCloseTo(p, 4);
    expect(fisherExact(a, b, c, d) / p).toBeCloseTo(1, 2);
  });
  it('is symmetric in rows and columns', () => {
    expect(fisherExact(1, 9, 11, 3)).toBeCloseTo(fisherExact(11, 3, 1, 9), 12);
    expect(fisherExact(1, 9, 11, 3)).toBeCloseTo(fisherExact(1, 11, 9, 3), 12);
  });
  it('empty table is p = 1', () => expect(fisherExact(0, 0, 0, 0)).toBe(1));
});

describe('percentile', () => {
  it('interpolates', () => {
    expect(percentile([1, 2, 3, 4], 50)).toBe(2.5);
    expect(percentile([10, 20, 30, 40, 50], 95)).toBeCloseTo(48);
    expect(percentile([], 50)).toBeNull();
  });
});

describe('similarity', () => {
  it('levenshtein', () => {
    expect(levenshtein('kitten', 'sitting')).toBe(3);
    expect(levenshteinSimilarity('abc', 'abc')).toBe(1);
    expect(levenshteinSimilarity('', '')).toBe(1);
    expect(levenshteinSimilarity('abcd', 'wxyz')).toBe(0);
  });
  it('token cosine ignores order and case', () => {
    expect(tokenCosine('Hello World', 'world hello')).toBeCloseTo(1);
    expect(tokenCosine('a b', 'c d')).toBe(0);
  });
  it('did you mean', () => {
    expect(didYouMean('is-jsn', ['is-json', 'regex'])).toBe('is-json');
    expect(didYouMean('zzzzzzzz', ['is-json'])).toBeUndefined();
  });
});

describe('json path and JSON text', () => {
  const doc = { a: { b: [{ id: 1 }, { id: 2 }] }, 'x y': true };
  it('selects dotted, bracket, wildcard paths', () => {
    expect(selectPath(doc, parseJsonPath('$.a.b[1].id'))).toEqual([2]);
    expect(selectPath(doc, parseJsonPath('a.b[*].id'))).toEqual([1, 2]);
    expect(selectPath(doc, parseJsonPath("$['x y']"))).toEqual([true]);
    expect(selectPath(doc, parseJsonPath('$.missing.x'))).toEqual([]);
  });
  it('rejects bad paths', () => {
    expect(() => parseJsonPath('$.a[')).toThrow(/unclosed/);
    expect(() => parseJsonPath('$.a[foo]')).toThrow(/bad bracket/);
  });
  it('lists leaves with indices collapsed', () => {
    expect(leaves(doc).map(([p]) => p)).toEqual(['$.a.b[*].id', '$.a.b[*].id', "$['x y']"]);
  });
  it('strict vs lenient JSON', () => {
    const fenced = 'Sure!\n```json\n{"a": 1}\n```';
    expect(parseStrictJson(fenced).ok).toBe(false);
    expect(extractJson(fenced)).toEqual({ ok: true, value: { a: 1 } });
    expect(extractJson('The answer is {"a": [1, "}"]} ok')).toEqual({ ok: true, value: { a: [1, '}'] } });
    expect(extractJson('nothing').ok).toBe(false);
  });
});
