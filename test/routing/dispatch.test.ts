import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { seededRandom } from '../../src/core/random.js';
import { ProviderError, type ModelpinError } from '../../src/core/errors.js';
import type { Target } from '../../src/config/target.js';
import { CircuitBreakers } from '../../src/routing/circuit-breaker.js';
import { dispatchChain } from '../../src/routing/chain.js';
import { newTrace, type RetrySettings, type TargetCall } from '../../src/routing/dispatch.js';

const A: Target = { provider: 'p', model: 'a' };
const B: Target = { provider: 'p', model: 'b' };
const settings: RetrySettings = {
  maxAttempts: 3,
  baseDelayMs: 100,
  maxDelayMs: 1000,
  totalDeadlineMs: 60_000,
  attemptTimeoutMs: 1000,
  firstByteTimeoutMs: 1000,
};

/** Scripted upstream: per model, a queue of outcomes ('ok' or an error). */
function scripted(script: Record<string, Array<'ok' | ModelpinError>>): { call: TargetCall<string>; calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    call: async (t) => {
      calls.push(t.model);
      const next = script[t.model]?.shift() ?? 'ok';
      if (next === 'ok') return `answer from ${t.model}`;
      throw next;
    },
  };
}

function setup(clock = new ManualClock(), threshold = 5) {
  const waits: number[] = [];
  const breakers = new CircuitBreakers({ failureThreshold: threshold, cooldownMs: 30_000 }, clock);
  const sleep = async (ms: number) => {
    waits.push(ms);
    clock.advance(ms);
  };
  const compose = (base: TargetCall<string>) =>
    dispatchChain(base, { breakers, settings, clock, random: seededRandom(1), sleep, now: () => clock.now() });
  return { clock, waits, breakers, compose };
}

const ctx = (clock: ManualClock) => ({ deadlineAt: clock.now() + settings.totalDeadlineMs, trace: newTrace() });

describe('dispatch chain', () => {
  it('retries a 429 honouring Retry-After, then succeeds on the same target', async () => {
    const s = setup();
    const up = scripted({ a: [new ProviderError('rate_limited', 'slow down', { retryAfterMs: 2000 }), 'ok'] });
    const c = ctx(s.clock);
    expect(await s.compose(up.call)([A, B], c)).toBe('answer from a');
    expect(up.calls).toEqual(['a', 'a']);
    expect(s.waits).toEqual([2000]);
    expect(c.trace.attempts.map((a) => a.ok)).toEqual([false, true]);
  });

  it('falls back to the next target after max attempts', async () => {
    const s = setup();
    const err = () => new ProviderError('upstream_error', 'boom');
    const up = scripted({ a: [err(), err(), err()] });
    const c = ctx(s.clock);
    expect(await s.compose(up.call)([A, B], c)).toBe('answer from b');
    expect(up.calls).toEqual(['a', 'a', 'a', 'b']);
    expect(s.waits).toHaveLength(2);
    expect(c.trace.target).toEqual(B);
  });

  it('returns a non-retryable error at once, without retry or fallback', async () => {
    const s = setup();
    const up = scripted({ a: [new ProviderError('upstream_bad_request', 'bad', { status: 400 })] });
    await expect(s.compose(up.call)([A, B], ctx(s.clock))).rejects.toMatchObject({
      code: 'upstream_bad_request',
      status: 400,
    });
    expect(up.calls).toEqual(['a']);
    expect(s.waits).toEqual([]);
  });

  it('moves on from a timed-out target while a fallback remains; retries a timeout on the last target', async () => {
    const s = setup();
    const timeout = () => new ProviderError('timeout', 'no response headers within 10000 ms');
    const up = scripted({ a: [timeout(), timeout()], b: [timeout(), 'ok'] });
    const c = ctx(s.clock);
    expect(await s.compose(up.call)([A, B], c)).toBe('answer from b');
    expect(up.calls).toEqual(['a', 'b', 'b']);
    expect(s.waits).toHaveLength(1);
  });

  it('records a target skipped by its open breaker in the trace, not as an attempt', async () => {
    const s = setup(new ManualClock(), 1);
    const up = scripted({ a: [new ProviderError('upstream_error', 'boom', { retryable: true })] });
    await s.compose(up.call)([A, B], ctx(s.clock));
    const c = ctx(s.clock);
    expect(await s.compose(up.call)([A, B], c)).toBe('answer from b');
    expect(c.trace.skipped).toEqual(['p/a']);
    expect(c.trace.attempts.map((a) => a.target)).toEqual(['p/b']);
  });

  it('moves on at once from a retired model', async () => {
    const s = setup();
    const up = scripted({ a: [new ProviderError('model_retired', 'gone')] });
    expect(await s.compose(up.call)([A, B], ctx(s.clock))).toBe('answer from b');
    expect(up.calls).toEqual(['a', 'b']);
  });

  it('does not wait past the total deadline', async () => {
    const s = setup();
    const up = scripted({ a: [new ProviderError('rate_limited', 'later', { retryAfterMs: 120_000 })] });
    const c = ctx(s.clock);
    expect(await s.compose(up.call)([A, B], c)).toBe('answer from b');
    expect(s.waits).toEqual([]);
  });

  it('skips a target whose breaker is open and reports the last real error when all fail', async () => {
    const s = setup(new ManualClock(), 1);
    const err = () => new ProviderError('overloaded', 'busy');
    const up = scripted({ a: [err(), err(), err()], b: [err(), err(), err()] });
    await expect(s.compose(up.call)([A, B], ctx(s.clock))).rejects.toMatchObject({ code: 'overloaded' });
    expect(up.calls).toEqual(['a', 'b']); // threshold 1: each breaker opens after its first failure
    const again = scripted({});
    await expect(s.compose(again.call)([A, B], ctx(s.clock))).rejects.toMatchObject({ code: 'circuit_open' });
    expect(again.calls).toEqual([]);
    s.clock.advance(30_000);
    expect(await s.compose(again.call)([A, B], ctx(s.clock))).toBe('answer from a');
    expect(s.breakers.state('p/a')).toBe('closed');
  });
});
