import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { applyDecision, evaluateCanary } from '../../src/lifecycle/canary/evaluate.js';
import { armStats, type ArmStats } from '../../src/lifecycle/canary/arm-stats.js';
import { buildRamp, parseRamp, planCanary } from '../../src/lifecycle/canary/plan.js';
import { DEFAULT_GUARDS, GUARD_NAMES, resolveGuards } from '../../src/lifecycle/canary/guards.js';
import type { CanaryRecord, UsageRecord } from '../../src/store/types.js';

const T0 = Date.UTC(2026, 11, 14, 9);
const HOUR = 3_600_000;

function record(): CanaryRecord {
  return planCanary(
    {
      route: 'classify',
      candidate: 'sim/sim-chat-2026-12-10',
      percent: 5,
      ramp: [5, 25, 50, 100],
      hold: '1h',
      guards: { min_samples: 20 },
    },
    'sim/sim-chat-2026-01-15',
    'production',
    T0,
  );
}

function usage(n: number, over: Partial<UsageRecord> = {}): UsageRecord[] {
  return Array.from({ length: n }, (_, i) => ({
    ts: T0 + i,
    route: 'classify',
    env: 'production',
    target: 'sim/x',
    provider: 'sim',
    requestedModel: 'classify',
    servedModel: 'x',
    fingerprint: null,
    status: 200,
    errorCode: null,
    attempts: 1,
    latencyMs: 100,
    ttftMs: null,
    inputTokens: 10,
    outputTokens: 10,
    cachedTokens: 0,
    cacheWriteTokens: 0,
    reasoningTokens: 0,
    costUsd: 0.001,
    clientKeyId: null,
    arm: 'stable',
    wire: 'openai',
    stream: false,
    formatValid: true,
    gatewayId: null,
    ...over,
  }));
}

const healthy = (n: number): ArmStats => armStats(usage(n));

describe('armStats', () => {
  it('computes error rate, p95, cost per request and format validity', () => {
    const s = armStats([
      ...usage(18),
      ...usage(2, { status: 502, errorCode: 'upstream_error', latencyMs: 900, costUsd: null, formatValid: false }),
    ]);
    expect(s.samples).toBe(20);
    expect(s.errorRate).toBeCloseTo(0.1);
    expect(s.p95LatencyMs).toBe(900);
    expect(s.costPerRequest).toBeCloseTo(0.001);
    expect(s.formatValidShare).toBeCloseTo(0.9);
    expect(armStats([]).p95LatencyMs).toBeNull();
  });

  it('counts a request that only succeeded after a retry as an upstream error of its arm', () => {
    const s = armStats([...usage(8), ...usage(2, { attempts: 3 })]);
    expect(s.errors).toBe(2);
    expect(s.errorRate).toBeCloseTo(0.2);
    expect(armStats(usage(5, { attempts: 1 })).errors).toBe(0);
  });
});

describe('evaluateCanary', () => {
  it('holds until the canary arm has the minimum samples', () => {
    const d = evaluateCanary(
      record(),
      healthy(500),
      armStats(usage(5, { status: 500, errorCode: 'upstream_error' })),
      T0 + 2 * HOUR,
    );
    expect(d.action).toBe('hold');
    expect(d.reason).toContain('canary 5/20');
  });

  it('rolls back on an error-rate breach and names the guard', () => {
    const bad = armStats([...usage(15), ...usage(5, { status: 502, errorCode: 'upstream_error' })]);
    const d = evaluateCanary(record(), healthy(400), bad, T0 + 60_000);
    expect(d.action).toBe('rollback');
    expect(d.percent).toBe(0);
    expect(d.reason).toMatch(/error rate 25\.0% vs stable 0\.0%/);
    const after = applyDecision(record(), d, T0 + 60_000);
    expect(after.status).toBe('rolled_back');
    expect(after.percent).toBe(0);
    expect(after.reason).toBe(d.reason);
  });

  it('rolls back on p95, cost and format breaches', () => {
    expect(evaluateCanary(record(), healthy(100), armStats(usage(20, { latencyMs: 400 })), T0).reason).toMatch(
      /p95 latency 400 ms vs stable 100 ms/,
    );
    expect(evaluateCanary(record(), healthy(100), armStats(usage(20, { costUsd: 0.002 })), T0).reason).toMatch(
      /cost per request ratio 2\.00 > 1\.3/,
    );
    expect(evaluateCanary(record(), healthy(100), armStats(usage(20, { formatValid: false })), T0).reason).toMatch(
      /format valid 0\.0% < 95\.0%/,
    );
  });

  it('treats tiny latencies with a floor so jitter does not trip the p95 guard', () => {
    const d = evaluateCanary(
      record(),
      armStats(usage(100, { latencyMs: 2 })),
      armStats(usage(20, { latencyMs: 6 })),
      T0 + 10,
    );
    expect(d.action).toBe('hold');
  });

  it('advances after the hold, completes after the last step', () => {
    const r = record();
    expect(evaluateCanary(r, healthy(400), healthy(20), T0 + HOUR - 1).action).toBe('hold');
    const d = evaluateCanary(r, healthy(400), healthy(20), T0 + HOUR);
    expect(d).toMatchObject({ action: 'advance', percent: 25 });
    const r2 = applyDecision(r, d, T0 + HOUR);
    expect(r2).toMatchObject({ percent: 25, stepIndex: 1, stepStartedAt: T0 + HOUR, status: 'running' });
    const last = { ...r2, percent: 100, stepIndex: 3 };
    // at 100% there is no stable arm: only absolute guards are checked
    const done = evaluateCanary(last, armStats([]), healthy(20), T0 + 3 * HOUR);
    expect(done.action).toBe('complete');
    expect(applyDecision(last, done, T0 + 3 * HOUR).status).toBe('completed');
  });

  it('does nothing for a canary that is not running', () => {
    expect(evaluateCanary({ ...record(), status: 'aborted' }, healthy(400), healthy(400), T0 + 9 * HOUR).action).toBe(
      'hold',
    );
  });

  it('never advances or completes while a guard is breached (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 20, max: 200 }),
        fc.integer({ min: 0, max: 200 }),
        fc.integer({ min: 0, max: 10 * HOUR }),
        (n, errors, elapsed) => {
          const e = Math.min(errors, n);
          const canary = armStats([...usage(n - e), ...usage(e, { status: 500, errorCode: 'upstream_error' })]);
          const d = evaluateCanary(record(), healthy(400), canary, T0 + elapsed);
          if (e / n > DEFAULT_GUARDS.max_error_rate_delta) expect(d.action).toBe('rollback');
          else expect(d.action).not.toBe('rollback');
        },
      ),
    );
  });
});

describe('canary plan', () => {
  it('builds ramps and validates input', () => {
    expect(buildRamp(5, [5, 25, 50, 100])).toEqual([5, 25, 50, 100]);
    expect(buildRamp(10, [100, 5, 50])).toEqual([10, 50, 100]);
    expect(buildRamp(5, undefined)).toEqual([5]);
    expect(parseRamp('5, 25,100')).toEqual([5, 25, 100]);
    expect(() => parseRamp('5,abc')).toThrow(/invalid --ramp/);
    expect(() => planCanary({ route: 'r', candidate: 'nope', percent: 5 }, 'sim/a', 'production', T0)).toThrow(
      /provider\/model/,
    );
    expect(() => planCanary({ route: 'r', candidate: 'sim/a', percent: 5 }, 'sim/a', 'production', T0)).toThrow(
      /already the stable/,
    );
    expect(record()).toMatchObject({ status: 'running', percent: 5, holdMs: HOUR, stepIndex: 0, env: 'production' });
  });

  it('every guard has a default', () => {
    for (const g of GUARD_NAMES) expect(typeof resolveGuards(undefined)[g]).toBe('number');
    expect(resolveGuards({ min_samples: 7, bogus: 3 })).toEqual({ ...DEFAULT_GUARDS, min_samples: 7 });
  });
});

describe('a candidate whose circuit breaker is open', () => {
  it('never advances or completes, while rollback stays possible', () => {
    const healthyNow = evaluateCanary(record(), healthy(400), healthy(40), T0 + 2 * HOUR);
    expect(healthyNow.action).toBe('advance');
    for (const breaker of ['open', 'half_open'] as const) {
      const d = evaluateCanary(record(), healthy(400), healthy(40), T0 + 2 * HOUR, { breaker });
      expect(d.action).toBe('hold');
      expect(d.reason).toMatch(/circuit breaker (open|half-open): not moving traffic onto it \(advance deferred\)/);
    }
    const last = { ...record(), stepIndex: 3, percent: 100 };
    expect(evaluateCanary(last, healthy(0), healthy(40), T0 + 2 * HOUR).action).toBe('complete');
    expect(evaluateCanary(last, healthy(0), healthy(40), T0 + 2 * HOUR, { breaker: 'open' }).action).toBe('hold');
    const bad = armStats([...usage(15), ...usage(5, { status: 200, errorCode: 'circuit_open' })]);
    expect(evaluateCanary(record(), healthy(400), bad, T0 + 60_000, { breaker: 'open' }).action).toBe('rollback');
    expect(evaluateCanary(record(), healthy(400), healthy(40), T0 + 2 * HOUR, { breaker: 'closed' }).action).toBe(
      'advance',
    );
  });

  it('counts canary-arm requests the stable chain answered after skipping the candidate as errors', () => {
    const skipped = armStats(usage(10, { arm: 'canary', status: 200, attempts: 1, errorCode: 'circuit_open' }));
    expect(skipped.errorRate).toBe(1);
  });
});
