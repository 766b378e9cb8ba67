/** Attempt budgets: a hanging target leaves time for the targets after it. */
import { describe, expect, it } from 'vitest';
import { attemptBudget } from '../../src/routing/budget.js';
import { retrySchema } from '../../src/config/schema.js';
import { retrySettings } from '../../src/routing/execute.js';

const defaults = retrySettings(retrySchema.parse({}));

describe('attemptBudget with the default retry settings', () => {
  it('defaults: the time to first byte is shorter than the whole-answer limit, which is shorter than the total', () => {
    expect(defaults.firstByteTimeoutMs).toBeLessThan(defaults.attemptTimeoutMs);
    expect(defaults.attemptTimeoutMs).toBeLessThan(defaults.totalDeadlineMs);
  });

  it('a primary with a fallback must send headers within 10 s, so a hung primary reaches its fallback in time', () => {
    expect(attemptBudget(defaults.totalDeadlineMs, 2, defaults)).toEqual({
      timeoutMs: 30_000,
      firstByteTimeoutMs: 10_000,
    });
    // The acceptance: the fallback answers within 15 s of a hung primary.
    expect(attemptBudget(defaults.totalDeadlineMs, 2, defaults).firstByteTimeoutMs).toBeLessThanOrEqual(15_000);
  });

  it('the last target of the chain gets all that is left, up to the attempt timeout, with no shorter header limit', () => {
    expect(attemptBudget(60_000, 1, defaults)).toEqual({ timeoutMs: 30_000, firstByteTimeoutMs: 30_000 });
    expect(attemptBudget(12_345, 1, defaults)).toEqual({ timeoutMs: 12_345, firstByteTimeoutMs: 12_345 });
  });

  it('a long chain shares what is left: each earlier target gets at most an equal share', () => {
    expect(attemptBudget(60_000, 4, defaults)).toEqual({ timeoutMs: 15_000, firstByteTimeoutMs: 10_000 });
    expect(attemptBudget(20_000, 4, defaults)).toEqual({ timeoutMs: 5_000, firstByteTimeoutMs: 5_000 });
  });

  it('a target timeout_ms replaces the share and the attempt timeout, never the total budget', () => {
    expect(attemptBudget(60_000, 3, defaults, 45_000)).toEqual({ timeoutMs: 45_000, firstByteTimeoutMs: 10_000 });
    expect(attemptBudget(8_000, 3, defaults, 45_000)).toEqual({ timeoutMs: 8_000, firstByteTimeoutMs: 8_000 });
    expect(attemptBudget(60_000, 1, defaults, 45_000)).toEqual({ timeoutMs: 45_000, firstByteTimeoutMs: 45_000 });
  });

  it('never hands out a zero or negative budget', () => {
    expect(attemptBudget(-5, 2, defaults)).toEqual({ timeoutMs: 1, firstByteTimeoutMs: 1 });
  });
});
