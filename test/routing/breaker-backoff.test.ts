import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { seededRandom } from '../../src/core/random.js';
import { CircuitBreakers } from '../../src/routing/circuit-breaker.js';
import { backoffDelay, retryDelay } from '../../src/routing/backoff.js';
import { inCanary } from '../../src/routing/canary-split.js';
import { modelFamily } from '../../src/routing/model-family.js';

describe('circuit breaker', () => {
  it('opens after the threshold, lets one half-open probe through after cooldown, closes on success', () => {
    const clock = new ManualClock();
    const b = new CircuitBreakers({ failureThreshold: 3, cooldownMs: 1000 }, clock);
    for (let i = 0; i < 2; i++) {
      expect(b.acquire('a')).toBe(true);
      b.failure('a');
    }
    expect(b.state('a')).toBe('closed');
    expect(b.acquire('a')).toBe(true);
    b.failure('a');
    expect(b.state('a')).toBe('open');
    expect(b.acquire('a')).toBe(false);
    clock.advance(999);
    expect(b.acquire('a')).toBe(false);
    clock.advance(1);
    expect(b.state('a')).toBe('half_open');
    expect(b.acquire('a')).toBe(true); // the probe
    expect(b.acquire('a')).toBe(false); // only one probe at a time
    b.success('a');
    expect(b.state('a')).toBe('closed');
    expect(b.acquire('a')).toBe(true);
  });

  it('a failed probe re-opens for another full cooldown', () => {
    const clock = new ManualClock();
    const b = new CircuitBreakers({ failureThreshold: 1, cooldownMs: 500 }, clock);
    b.failure('x');
    clock.advance(500);
    expect(b.acquire('x')).toBe(true);
    b.failure('x');
    expect(b.state('x')).toBe('open');
    clock.advance(499);
    expect(b.acquire('x')).toBe(false);
    clock.advance(1);
    expect(b.acquire('x')).toBe(true);
  });

  it('a success resets the consecutive failure count', () => {
    const b = new CircuitBreakers({ failureThreshold: 2, cooldownMs: 10 }, new ManualClock());
    b.failure('t');
    b.success('t');
    b.failure('t');
    expect(b.state('t')).toBe('closed');
  });
});

describe('backoff', () => {
  it('full jitter stays within the exponential ceiling and the max', () => {
    const r = seededRandom(3);
    for (let retry = 1; retry <= 8; retry++) {
      for (let i = 0; i < 50; i++) {
        const d = backoffDelay(retry, { baseDelayMs: 100, maxDelayMs: 1000 }, r);
        expect(d).toBeGreaterThanOrEqual(0);
        expect(d).toBeLessThanOrEqual(Math.min(1000, 100 * 2 ** (retry - 1)));
      }
    }
  });

  it('Retry-After wins over jitter', () => {
    expect(retryDelay(1, 2500, { baseDelayMs: 100, maxDelayMs: 1000 }, seededRandom(1))).toBe(2500);
  });
});

describe('canary split', () => {
  it('is sticky per key and close to the percentage over many keys', () => {
    const r = seededRandom(1);
    expect(inCanary(30, 'user-1', r)).toBe(inCanary(30, 'user-1', r));
    let hits = 0;
    for (let i = 0; i < 4000; i++) if (inCanary(25, `u${i}`, r)) hits++;
    expect(hits / 4000).toBeGreaterThan(0.2);
    expect(hits / 4000).toBeLessThan(0.3);
  });

  it('uses the injected random without a key; 0 and 100 are absolute', () => {
    expect(inCanary(50, undefined, { next: () => 0.49 })).toBe(true);
    expect(inCanary(50, undefined, { next: () => 0.51 })).toBe(false);
    expect(inCanary(0, 'k', seededRandom(1))).toBe(false);
    expect(inCanary(100, 'k', seededRandom(1))).toBe(true);
  });
});

describe('model family', () => {
  it('strips date and floating suffixes', () => {
    expect(modelFamily('sim-chat-latest')).toBe('sim-chat');
    expect(modelFamily('sim-chat-2026-01-15')).toBe('sim-chat');
    expect(modelFamily('claude-sonnet-4-20250514')).toBe('claude-sonnet-4');
    expect(modelFamily('sim/sim-mini-2026-03-01')).toBe('sim-mini');
  });
});
