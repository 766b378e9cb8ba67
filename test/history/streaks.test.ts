import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.js';
import { computeStreaks, snapshotStreak, streakOf } from '../../src/history/streaks.js';
import type { EvalRunRecord } from '../../src/store/types.js';
import { at, run } from '../store/fixtures.js';

const OLD = 'sim-chat-2026-01-15';
const BAD = 'sim-chat-2026-11-25';
const NEW = 'sim-chat-2026-12-10';

function nightly(days: string[], over: Partial<EvalRunRecord> = {}): EvalRunRecord[] {
  return days.map((d) =>
    run({
      startedAt: at(d),
      ...over,
      id: `${d}-${over.env ?? 'staging'}-${over.servedModels?.join('+') ?? 'x'}-${over.passed ?? true}`,
    }),
  );
}

describe('streakOf', () => {
  it('counts consecutive passing days ending today', () => {
    const s = streakOf(nightly(['2026-12-10', '2026-12-11', '2026-12-12']), '2026-12-12');
    expect(s.days).toBe(3);
    expect(s.lastRun).toBe(at('2026-12-12'));
    expect(s.failingDays).toEqual([]);
    expect(s.history.map((h) => h.day)).toEqual(['2026-12-10', '2026-12-11', '2026-12-12']);
  });

  it('ends yesterday when nothing has run yet today', () => {
    expect(streakOf(nightly(['2026-12-10', '2026-12-11']), '2026-12-12').days).toBe(2);
  });

  it('is zero when the last run was two days ago', () => {
    expect(streakOf(nightly(['2026-12-09', '2026-12-10']), '2026-12-12').days).toBe(0);
  });

  it('breaks on a gap day', () => {
    expect(streakOf(nightly(['2026-12-07', '2026-12-08', '2026-12-10', '2026-12-11']), '2026-12-11').days).toBe(2);
  });

  it('breaks on a failing day, and a failure today means zero', () => {
    const runs = [
      ...nightly(['2026-12-08', '2026-12-10', '2026-12-11']),
      ...nightly(['2026-12-09'], { passed: false }),
    ];
    const s = streakOf(runs, '2026-12-11');
    expect(s.days).toBe(2);
    expect(s.failingDays).toEqual(['2026-12-09']);
    const failingToday = [...nightly(['2026-12-10']), ...nightly(['2026-12-11'], { passed: false })];
    expect(streakOf(failingToday, '2026-12-11').days).toBe(0);
  });

  it('a day passes only when every run that day passed', () => {
    const runs = [
      ...nightly(['2026-12-10', '2026-12-11']),
      run({ id: 'retry-fail', startedAt: at('2026-12-11', 15), passed: false, passedCases: 8 }),
    ];
    const s = streakOf(runs, '2026-12-11');
    expect(s.days).toBe(0);
    const day = s.history.at(-1)!;
    expect(day).toMatchObject({
      day: '2026-12-11',
      passed: false,
      runs: 2,
      passedRuns: 1,
      passedCases: 18,
      totalCases: 20,
    });
    expect(day.costUsd).toBeCloseTo(0.04, 10);
  });

  it('groups by UTC day and ignores runs after today', () => {
    const runs = [
      run({ id: 'late', startedAt: Date.parse('2026-12-10T23:59:59Z') }),
      run({ id: 'early', startedAt: Date.parse('2026-12-11T00:00:00Z') }),
      run({ id: 'future', startedAt: at('2026-12-13'), passed: false }),
    ];
    const s = streakOf(runs, '2026-12-11');
    expect(s.days).toBe(2);
    expect(s.history.map((h) => h.day)).toEqual(['2026-12-10', '2026-12-11']);
    expect(s.lastRun).toBe(Date.parse('2026-12-11T00:00:00Z'));
  });

  it('rejects a malformed today', () => {
    expect(() => streakOf([], '2026-02-30')).toThrow(UsageError);
    expect(() => computeStreaks([], { today: '12/11/2026' })).toThrow(UsageError);
  });

  it('has null cost when no run had a price', () => {
    expect(streakOf(nightly(['2026-12-11'], { costUsd: null }), '2026-12-11').history[0]?.costUsd).toBeNull();
  });
});

describe('served-model changes', () => {
  // The floating alias served OLD until Wednesday 2026-11-25, then the drifted BAD; on 2026-11-25 the run saw both.
  const runs = [
    ...nightly(['2026-11-22', '2026-11-23', '2026-11-24'], { servedModels: [OLD] }),
    ...nightly(['2026-11-25'], { servedModels: [OLD, BAD], passed: false }),
    ...nightly(['2026-11-26', '2026-11-27'], { servedModels: [BAD], passed: false }),
    ...nightly(['2026-11-22', '2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27'], {
      env: 'production',
      target: `sim/${OLD}`,
      servedModels: [OLD],
    }),
  ];

  it('computes route/env streaks and snapshot streaks', () => {
    const r = computeStreaks(runs, { today: '2026-11-27' });
    expect(r.routes.map((x) => [x.route, x.env, x.days])).toEqual([
      ['summarize', 'production', 6],
      ['summarize', 'staging', 0],
    ]);
    expect(r.routes[1]?.failingDays).toEqual(['2026-11-25', '2026-11-26', '2026-11-27']);
    const snaps = Object.fromEntries(r.snapshots.map((s) => [s.servedModel, s.days]));
    // OLD counts across both envs; the mixed day counts for neither snapshot.
    expect(snaps).toEqual({ [OLD]: 6, [BAD]: 0 });
    expect(r.snapshots.find((s) => s.servedModel === BAD)?.history.map((h) => h.day)).toEqual([
      '2026-11-26',
      '2026-11-27',
    ]);
  });

  it('snapshotStreak filters by env and excludes mixed runs', () => {
    const staging = snapshotStreak(runs, { route: 'summarize', servedModel: OLD, env: 'staging', today: '2026-11-27' });
    expect(staging.days).toBe(0);
    expect(staging.lastRun).toBe(at('2026-11-24'));
    expect(staging.history.map((h) => h.day)).toEqual(['2026-11-22', '2026-11-23', '2026-11-24']);
    expect(
      snapshotStreak(runs, { route: 'summarize', servedModel: OLD, env: 'staging', today: '2026-11-25' }).days,
    ).toBe(3);
  });

  it('a new snapshot earns its streak from its first clean day', () => {
    const later = [
      ...runs,
      ...nightly(['2026-12-10', '2026-12-11', '2026-12-12', '2026-12-13', '2026-12-14'], {
        servedModels: [NEW],
        target: `sim/${NEW}`,
      }),
    ];
    const s = snapshotStreak(later, { route: 'summarize', servedModel: NEW, today: '2026-12-15' });
    expect(s).toMatchObject({ days: 5, failingDays: [], lastRun: at('2026-12-14') });
    expect(snapshotStreak(later, { route: 'other', servedModel: NEW, today: '2026-12-15' })).toEqual({
      days: 0,
      lastRun: null,
      failingDays: [],
      history: [],
    });
  });
});
