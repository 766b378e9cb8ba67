/** Retention policy and the `store prune` plan: ages, cutoffs, defaults, --older-than and --only. */
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.js';
import { parseOnly, prunePlan } from '../../src/store/prune-plan.js';
import {
  DEFAULT_RETENTION,
  parseRetentionAge,
  retentionCutoffs,
  retentionSettings,
} from '../../src/store/retention.js';

const H = 3_600_000;
const D = 24 * H;
const NOW = Date.UTC(2026, 10, 23, 12);

describe('retention ages and cutoffs', () => {
  it('reads hours, days, weeks and never', () => {
    expect(parseRetentionAge('36h')).toBe(36 * H);
    expect(parseRetentionAge('90d')).toBe(90 * D);
    expect(parseRetentionAge('2w')).toBe(14 * D);
    expect(parseRetentionAge(' 7d ')).toBe(7 * D);
    expect(parseRetentionAge('never')).toBeNull();
    expect(() => parseRetentionAge('10m', '--older-than')).toThrow(UsageError);
    expect(() => parseRetentionAge('10m', '--older-than')).toThrow(
      '--older-than "10m": expected a duration in hours, days or weeks (e.g. 36h, 90d, 2w) or "never"',
    );
  });

  it('fills the defaults in and leaves tables kept forever out of the cutoffs', () => {
    expect(retentionSettings()).toEqual(DEFAULT_RETENTION);
    expect(retentionSettings({ usage: '7d' })).toEqual({ ...DEFAULT_RETENTION, usage: '7d' });
    expect(retentionCutoffs(retentionSettings(), NOW)).toEqual({
      usage: NOW - 90 * D,
      usage_minutes: NOW - 14 * D,
      usage_hours: NOW - 90 * D,
      usage_days: NOW - 400 * D,
      shadow_pairs: NOW - 14 * D,
      sentinel_events: NOW - 365 * D,
    });
    expect(retentionCutoffs({ eval_runs: '400d', usage: 'never' }, NOW)).toEqual({ eval_runs: NOW - 400 * D });
  });
});

describe('store prune plan', () => {
  it('without flags: the configured retention, else the defaults', () => {
    expect(prunePlan({})).toEqual(DEFAULT_RETENTION);
    expect(
      prunePlan({ configured: { usage: '30d', shadow_pairs: '7d', sentinel_events: 'never', eval_runs: 'never' } }),
    ).toEqual({
      usage: '30d',
      // Rollup grains not configured keep their defaults.
      usage_minutes: '14d',
      usage_hours: '90d',
      usage_days: '400d',
      shadow_pairs: '7d',
      sentinel_events: 'never',
      eval_runs: 'never',
    });
  });

  it('--older-than replaces every age except "never", which only --only can override', () => {
    expect(prunePlan({ olderThan: '30d' })).toEqual({
      usage: '30d',
      usage_minutes: '30d',
      usage_hours: '30d',
      usage_days: '30d',
      shadow_pairs: '30d',
      sentinel_events: '30d',
      eval_runs: 'never',
    });
    expect(prunePlan({ olderThan: '1w', configured: { ...DEFAULT_RETENTION, sentinel_events: 'never' } })).toEqual({
      usage: '1w',
      usage_minutes: '1w',
      usage_hours: '1w',
      usage_days: '1w',
      shadow_pairs: '1w',
      sentinel_events: 'never',
      eval_runs: 'never',
    });
    expect(prunePlan({ olderThan: '400d', only: 'eval_runs' })).toEqual({ eval_runs: '400d' });
    expect(prunePlan({ only: 'usage, shadow_pairs' })).toEqual({ usage: '90d', shadow_pairs: '14d' });
    expect(prunePlan({ only: 'eval_runs' })).toEqual({ eval_runs: 'never' });
  });

  it('refuses bad flags with one line naming the flag and the expected form', () => {
    expect(() => prunePlan({ olderThan: '90m' })).toThrow(
      '--older-than "90m": expected a duration in hours, days or weeks, e.g. 36h, 30d, 2w',
    );
    expect(() => prunePlan({ olderThan: 'never' })).toThrow(/--older-than "never": expected a duration/);
    expect(() => prunePlan({ olderThan: '0d' })).toThrow(UsageError);
    expect(() => parseOnly('usage,audit')).toThrow('--only audit: the audit log is never pruned');
    expect(() => parseOnly('usage,overrides')).toThrow(
      '--only "overrides" is not a prunable table; expected one or more of usage, usage_minutes, usage_hours, usage_days, shadow_pairs, sentinel_events, eval_runs (comma-separated)',
    );
    expect(() => parseOnly(' , ')).toThrow(/--only needs table names/);
  });
});
