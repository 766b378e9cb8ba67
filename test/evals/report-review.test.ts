import { describe, expect, it } from 'vitest';
import { compareArms } from '../../src/evals/compare.js';
import { summarize } from '../../src/evals/aggregate.js';
import { REPORTERS } from '../../src/evals/reports/registry.js';
import type { EvalReport } from '../../src/evals/reports/types.js';
import type { ArmRun, CaseResult, SampleResult } from '../../src/evals/run-types.js';
import { mannWhitney } from '../../src/evals/stats.js';
import { seededRandom } from '../../src/core/random.js';
import { checkWellFormedXml } from './xml.js';

function sample(index: number, pass: boolean, output: string, latencyMs = 100, cached = false): SampleResult {
  return {
    index,
    status: pass ? 'passed' : 'failed',
    score: pass ? 1 : 0,
    output,
    servedModel: 'm',
    fingerprint: null,
    inputTokens: 10,
    outputTokens: 20,
    costUsd: 2e-5,
    latencyMs,
    attempts: 1,
    retried: [],
    cached,
    assertions: [],
  };
}

function arm(name: string, cases: Array<{ id: string; samples: SampleResult[] }>): ArmRun {
  const results: CaseResult[] = cases.map((c) => {
    const passes = c.samples.filter((s) => s.status === 'passed').length;
    return {
      suite: 's',
      caseId: c.id,
      route: 'r',
      arm: name,
      env: name,
      target: 't',
      status: passes === c.samples.length ? 'passed' : 'failed',
      passes,
      failures: c.samples.length - passes,
      errors: 0,
      required: c.samples.length,
      score: passes / c.samples.length,
      samples: c.samples,
    };
  });
  return { arm: name, env: name, cases: results, summary: summarize(results) };
}

const BARE = '{"name":"Ada","email":"ada@example.com"}';
const FENCED = 'Sure! ```json\n{"name":"Ada","email":"ada@example.com"}\n```';

function driftReport(): EvalReport {
  const base = arm('production', [{ id: 'json', samples: [0, 1, 2, 3, 4].map((i) => sample(i, true, BARE)) }]);
  const cand = arm('staging', [{ id: 'json', samples: [0, 1, 2, 3, 4].map((i) => sample(i, false, FENCED)) }]);
  const compare = compareArms(base, cand);
  return {
    tool: 'modelpin',
    exitCode: 1,
    compare,
    run: {
      startedAt: 0,
      finishedAt: 50,
      interrupted: false,
      plannedSamples: 10,
      completedSamples: 10,
      suites: [{ name: 's', file: 'evals/s.yml', hash: 'h' }],
      arms: [base, cand],
    },
  };
}

describe('reports a reviewer can read', () => {
  it('HTML shows the pinned and the candidate answer of a regressed case side by side, differences marked', () => {
    const html = REPORTERS.html.render(driftReport());
    expect(html).toContain('Answers of regressed cases');
    const section = html.slice(html.indexOf('<section class="answers">'));
    expect(section).toMatch(/<div class="label">production<\/div><pre>.*ada@example\.com/s);
    expect(section).toMatch(/<div class="label">staging<\/div><pre><ins>Sure! ```json\n?<\/ins>/);
  });

  it('Markdown collapses each regressed case into a diff that an answer with fences cannot break', () => {
    const md = REPORTERS.markdown.render(driftReport());
    expect(md).toContain('<details><summary>s/json [r]: <code>-</code> production, <code>+</code> staging</summary>');
    // The answer holds ``` so the fence must be longer.
    expect(md).toMatch(/````diff\n- \{"name":"Ada","email":"ada@example\.com"\}\n\+ Sure! ```json\n/);
  });

  it('JUnit fails on a drift verdict, and its total time is not smaller than its suites', () => {
    const xml = REPORTERS.junit.render(driftReport());
    const doc = checkWellFormedXml(xml);
    expect(doc.root).toBe('testsuites');
    expect(xml).toMatch(
      /<testcase classname="modelpin.compare" name="verdict" time="0.000">\n {6}<failure message="DRIFT: staging/,
    );
    const top = /<testsuites [^>]*failures="(\d+)"[^>]*time="([\d.]+)"/.exec(xml);
    expect(Number(top?.[1])).toBeGreaterThanOrEqual(2);
    const suiteTimes = [...xml.matchAll(/<testsuite name=[^>]* time="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(Number(top?.[2])).toBeGreaterThanOrEqual(suiteTimes.reduce((a, b) => a + b, 0) - 1e-9);
  });

  it('a latency-only shift (same answers) is CHANGED with its size, not NO DRIFT', () => {
    const r = seededRandom(3);
    const jitter = (ms: number): number => ms * (0.85 + 0.3 * r.next());
    const base = arm(
      'production',
      [0, 1, 2, 3].map((c) => ({
        id: `c${c}`,
        samples: [0, 1, 2, 3, 4].map((i) => sample(i, true, BARE, jitter(130))),
      })),
    );
    const slow = arm(
      'staging',
      [0, 1, 2, 3].map((c) => ({
        id: `c${c}`,
        samples: [0, 1, 2, 3, 4].map((i) => sample(i, true, BARE, jitter(600))),
      })),
    );
    const cmp = compareArms(base, slow);
    expect(cmp.verdict).toBe('changed');
    expect(cmp.verdictLine).toMatch(/latency p50 1\d\d -> [56]\d\d ms \(\+\d+%, p=/);
    // The same latencies on both sides are no change at all.
    const same = compareArms(
      base,
      arm(
        'staging',
        base.cases.map((c) => ({ id: c.caseId, samples: c.samples })),
      ),
    );
    expect(same.verdict).toBe('no-drift');
  });

  it('says when answers came from the cache instead of showing an unexplained n/a', () => {
    const base = arm('production', [{ id: 'c', samples: [0, 1].map((i) => sample(i, true, BARE, 100, true)) }]);
    const report: EvalReport = {
      tool: 'modelpin',
      exitCode: 0,
      run: {
        startedAt: 0,
        finishedAt: 13,
        interrupted: false,
        plannedSamples: 2,
        completedSamples: 2,
        suites: [{ name: 's', file: 'evals/s.yml', hash: 'h' }],
        arms: [base],
      },
    };
    expect(REPORTERS.markdown.render(report)).toContain('All samples came from the local answer cache');
  });
});

describe('Mann–Whitney U', () => {
  it('separates shifted samples and not identical ones, symmetrically', () => {
    const a = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    const b = a.map((x) => x + 10);
    expect(mannWhitney(a, b)).toBeLessThan(0.001);
    expect(mannWhitney(a, b)).toBeCloseTo(mannWhitney(b, a), 12);
    expect(mannWhitney(a, [...a])).toBeGreaterThan(0.9);
    expect(mannWhitney([5, 5, 5], [5, 5, 5])).toBe(1);
    expect(mannWhitney([1], [2, 3])).toBe(1);
  });
  it('at alpha 0.05, calls noise a shift in about 5% of trials or fewer', () => {
    const r = seededRandom(11);
    let hits = 0;
    for (let t = 0; t < 400; t++) {
      const draw = (): number[] => Array.from({ length: 15 }, () => Math.exp(r.next() * 2));
      if (mannWhitney(draw(), draw()) < 0.05) hits++;
    }
    expect(hits / 400).toBeLessThan(0.08);
  });
});
