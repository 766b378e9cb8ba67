import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/core/random.js';
import { compareArms } from '../../src/evals/compare.js';
import { summarize } from '../../src/evals/aggregate.js';
import type { ArmRun, CaseResult, SampleResult } from '../../src/evals/run-types.js';

function sample(index: number, pass: boolean, text = '{"sentiment":"positive"}', tokens = 20): SampleResult {
  return {
    index,
    status: pass ? 'passed' : 'failed',
    score: pass ? 1 : 0,
    output: text,
    servedModel: 'm',
    fingerprint: null,
    inputTokens: 10,
    outputTokens: tokens,
    costUsd: tokens * 1e-6,
    latencyMs: 100,
    attempts: 1,
    retried: [],
    cached: false,
    assertions: [],
  };
}

function arm(name: string, cases: Array<{ id: string; samples: SampleResult[] }>): ArmRun {
  const results: CaseResult[] = cases.map((c) => {
    const passes = c.samples.filter((s) => s.status === 'passed').length;
    const failures = c.samples.length - passes;
    return {
      suite: 's',
      caseId: c.id,
      route: 'r',
      arm: name,
      env: name,
      target: 't',
      status: passes === c.samples.length ? 'passed' : 'failed',
      passes,
      failures,
      errors: 0,
      required: c.samples.length,
      score: passes / c.samples.length,
      samples: c.samples,
    };
  });
  return { arm: name, env: name, cases: results, summary: summarize(results) };
}

function noisyArm(name: string, rnd: () => number, pPass: number, cases = 6, repeat = 5): ArmRun {
  return arm(
    name,
    Array.from({ length: cases }, (_, i) => ({
      id: `c${i}`,
      samples: Array.from({ length: repeat }, (_, k) => sample(k, rnd() < pPass)),
    })),
  );
}

describe('compare: significance', () => {
  it('pure noise (same pass probability on both sides) is rarely called drift', () => {
    const r = seededRandom(42);
    let drift = 0;
    const trials = 300;
    for (let t = 0; t < trials; t++) {
      const rep = compareArms(
        noisyArm('a', () => r.next(), 0.8),
        noisyArm('b', () => r.next(), 0.8),
      );
      if (rep.verdict === 'drift') drift++;
    }
    // Fisher's exact test at alpha 0.05 is conservative: well under 10% false alarms.
    expect(drift / trials).toBeLessThan(0.08);
  });

  it('a real drop in pass rate is called drift', () => {
    const r = seededRandom(7);
    let drift = 0;
    for (let t = 0; t < 50; t++) {
      if (
        compareArms(
          noisyArm('a', () => r.next(), 0.95),
          noisyArm('b', () => r.next(), 0.3),
        ).verdict === 'drift'
      )
        drift++;
    }
    expect(drift).toBeGreaterThan(45);
  });

  it('one regression with a single sample cannot be significant: insufficient evidence, not a change or no drift', () => {
    const base = arm('prod', [
      { id: 'a', samples: [sample(0, true)] },
      { id: 'b', samples: [sample(0, true)] },
    ]);
    const cand = arm('stage', [
      { id: 'a', samples: [sample(0, false)] },
      { id: 'b', samples: [sample(0, true)] },
    ]);
    const rep = compareArms(base, cand);
    expect(rep.regressions).toBe(1);
    expect(rep.cases.find((c) => c.caseId === 'a')).toMatchObject({ change: 'regression', significant: false, p: 1 });
    expect(rep.signals.find((s) => s.label === 'case s/a [r]')).toMatchObject({ state: 'blind', minP: 1, effect: 1 });
    expect(rep.verdict).toBe('insufficient');
    expect(rep.verdictLine).toBe(
      'INSUFFICIENT EVIDENCE: stage (m) vs prod (m): 1 case lower, not significant (p=1.000); pass rate is worse by +50 pp (and 1 more), but 2 vs 2 samples can reach p=0.333 at best (alpha 0.05); add cases or raise --repeat',
    );
  });
});

describe('compare: noise', () => {
  const allPass = (id: string) => ({ id, samples: [0, 1, 2, 3, 4].map((i) => sample(i, true)) });

  it('one sample of five flipping a case is within noise: NO DRIFT, not CHANGED', () => {
    const others = Array.from({ length: 9 }, (_, i) => allPass(`c${i}`));
    const base = arm('prod', [allPass('a'), ...others]);
    const cand = arm('stage', [{ id: 'a', samples: [0, 1, 2, 3, 4].map((i) => sample(i, i !== 2)) }, ...others]);
    const rep = compareArms(base, cand);
    expect(rep.regressions).toBe(1);
    // At its 20-point floor, but p=1: nothing this run can tell from chance.
    const s = rep.signals.find((x) => x.label === 'case s/a [r]');
    expect(s?.effect).toBeCloseTo(0.2, 9);
    expect(s?.pRaw).toBeCloseTo(1, 9);
    expect(rep.verdict).toBe('no-drift');
    expect(rep.verdictLine).toBe(
      'NO DRIFT: stage (m) matches prod (m) (49/50 vs 50/50 samples passed); within noise: 1 case flipped',
    );
    expect(rep.withinNoise).toEqual(['1 case flipped']);
  });

  it('a case that drops 5/5 -> 0/5 is named even when Holm leaves it short of significance', () => {
    const others = Array.from({ length: 9 }, (_, i) => allPass(`c${i}`));
    const base = arm('prod', [allPass('a'), ...others]);
    const cand = arm('stage', [{ id: 'a', samples: [0, 1, 2, 3, 4].map((i) => sample(i, false)) }, ...others]);
    const rep = compareArms(base, cand);
    const s = rep.signals.find((x) => x.label === 'case s/a [r]');
    expect(s?.pRaw).toBeLessThan(0.05);
    expect(s?.p).toBeGreaterThanOrEqual(0.05);
    expect(rep.verdict).toBe('changed');
    expect(rep.verdictLine).toMatch(
      /^CHANGED \(no significant regression\): stage \(m\) vs prod \(m\): 1 case lower, not significant \(p=0\.\d+\)$/,
    );
  });
});

describe('compare: drift shape', () => {
  it('reports fences, enum values, fields and tokens', () => {
    const base = arm('production', [
      {
        id: 'x',
        samples: [0, 1, 2].map((i) =>
          sample(i, true, '{"name":"Jane Doe","email":"j@x.io","sentiment":"positive","priority":"high"}', 20),
        ),
      },
    ]);
    const cand = arm('staging', [
      {
        id: 'x',
        samples: [0, 1, 2].map((i) =>
          sample(
            i,
            false,
            'Sure!\n```json\n{"name":"Jane Doe","email":"j@x.io","sentiment":"mixed","tone":"warm"}\n```',
            24,
          ),
        ),
      },
    ]);
    const rep = compareArms(base, cand);
    expect(rep.base.format).toMatchObject({ jsonBearing: 3, fenced: 0, bareJson: 3 });
    expect(rep.candidate.format).toMatchObject({ jsonBearing: 3, fenced: 3, bareJson: 0 });
    expect(rep.enumChanges).toEqual([{ path: '$.sentiment', onlyBase: ['positive'], onlyCandidate: ['mixed'] }]);
    expect(rep.fields).toEqual({ dropped: ['$.priority'], added: ['$.tone'] });
    expect(rep.outputTokenDeltaPct).toBeCloseTo(20);
    expect(rep.costDeltaPct).toBeCloseTo(20);
    expect(rep.meanSimilarity).toBeLessThan(1);
    // 3 vs 3 samples: the regression alone is p=0.1, but the pooled test is too; fences alone are not significant either
    expect(rep.verdictLine).toContain('JSON fenced 0% -> 100%');
    expect(rep.verdictLine).toContain('new $.sentiment value mixed');
    expect(rep.verdictLine).toContain('tokens +20%');
  });
});
