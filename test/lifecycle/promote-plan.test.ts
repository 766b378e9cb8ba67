import { describe, expect, it } from 'vitest';
import { modelsFileSchema } from '../../src/config/schema.js';
import { planPromotion, whyStreakEnds, type PromoteInput } from '../../src/lifecycle/promote/plan.js';
import type { EvalRunRecord } from '../../src/store/types.js';

const config = modelsFileSchema.parse({
  providers: { sim: { type: 'simulator' } },
  routes: { classify: { targets: { production: 'sim/sim-chat-2026-01-15', staging: 'sim/sim-chat-latest' } } },
});

function run(day: string, env: string, served: string[], passed: boolean, failedCases = passed ? 0 : 2): EvalRunRecord {
  const t = Date.parse(`${day}T03:00:00Z`);
  return {
    id: `${day}-${env}-${served.join('+')}`,
    startedAt: t,
    finishedAt: t + 1000,
    suite: 's',
    suiteHash: 'h',
    env,
    route: 'classify',
    target: env === 'staging' ? 'sim/sim-chat-latest' : 'sim/sim-chat-2026-01-15',
    servedModels: served,
    fingerprints: [],
    passed,
    totalCases: 5,
    passedCases: 5 - failedCases,
    failedCases,
    erroredCases: 0,
    inputTokens: 0,
    outputTokens: 0,
    costUsd: 0.01,
    p50LatencyMs: 100,
    p95LatencyMs: 200,
    cases: [],
  };
}

const input = (runs: EvalRunRecord[], over: Partial<PromoteInput> = {}): PromoteInput => ({
  route: 'classify',
  config,
  runs,
  envFrom: 'staging',
  envTo: 'production',
  minDays: 3,
  today: '2026-12-13',
  classify: (_p, m) => (m.endsWith('-latest') ? 'floating' : 'pinned'),
  ...over,
});

describe('planPromotion', () => {
  it('takes the snapshot staging served and names the failing day', () => {
    const runs = [
      run('2026-11-27', 'staging', ['sim-chat-2026-12-10'], false),
      run('2026-11-28', 'staging', ['sim-chat-2026-12-10'], true),
    ];
    const p = planPromotion(input(runs, { today: '2026-11-28' }));
    expect(p.ok).toBe(false);
    if (!p.ok)
      expect(p.shortfall).toBe(
        'needs 3 consecutive passing days for sim-chat-2026-12-10, has 1 (2026-11-27 failed: 2 cases)',
      );
  });

  it('passes with 3 green days and computes deltas vs the current pin', () => {
    const runs = ['2026-12-11', '2026-12-12', '2026-12-13'].flatMap((d) => [
      run(d, 'staging', ['sim-chat-2026-12-10'], true),
      { ...run(d, 'production', ['sim-chat-2026-01-15'], true), costUsd: 0.02, p95LatencyMs: 300 },
    ]);
    const p = planPromotion(input(runs));
    expect(p.ok).toBe(true);
    if (p.ok) {
      expect(p.candidate).toBe('sim/sim-chat-2026-12-10');
      expect(p.current).toBe('sim/sim-chat-2026-01-15');
      expect(p.evidence.map((e) => e.date)).toEqual(['2026-12-11', '2026-12-12', '2026-12-13']);
      expect(p.candidateAvg.costPerCase).toBeCloseTo(0.002);
      expect(p.currentAvg.costPerCase).toBeCloseTo(0.004);
    }
  });

  it('refuses ambiguous, floating and already-pinned candidates', () => {
    const two = planPromotion(input([run('2026-12-13', 'staging', ['a-2026-01-01', 'b-2026-01-01'], true)]));
    expect(!two.ok && two.shortfall).toMatch(/served several models/);
    const floating = planPromotion(input([], { to: 'sim/sim-chat-latest' }));
    expect(!floating.ok && floating.shortfall).toMatch(/floating alias/);
    const same = planPromotion(input([], { to: 'sim/sim-chat-2026-01-15' }));
    expect(!same.ok && same.shortfall).toMatch(/already pinned/);
    const none = planPromotion(input([]));
    expect(!none.ok && none.shortfall).toMatch(/no eval runs of classify in staging/);
  });

  it('explains a gap day', () => {
    expect(
      whyStreakEnds(
        {
          days: 1,
          lastRun: 0,
          failingDays: [],
          history: [
            {
              day: '2026-12-13',
              passed: true,
              runs: 1,
              passedRuns: 1,
              passedCases: 5,
              totalCases: 5,
              costUsd: null,
              servedModels: [],
            },
          ],
        },
        '2026-12-13',
      ),
    ).toBe('no eval run on 2026-12-12');
  });
});
