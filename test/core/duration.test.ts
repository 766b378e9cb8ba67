import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration, readDuration } from '../../src/core/duration.js';
import { parseRetentionAge } from '../../src/store/retention.js';
import { parseSince } from '../../src/usage/since.js';
import { overrideInputSchema } from '../../src/lifecycle/overrides/live.js';
import { shadowStartSchema } from '../../src/lifecycle/shadow/ops.js';
import { canaryStartSchema } from '../../src/lifecycle/canary/plan.js';

const WEEK = 7 * 86_400_000;

describe('one duration grammar', () => {
  it('reads every unit, weeks included, and nothing else', () => {
    expect(['500ms', '30s', '10m', '24h', '3d', '2w'].map((d) => parseDuration(d))).toEqual([
      500,
      30_000,
      600_000,
      86_400_000,
      3 * 86_400_000,
      2 * WEEK,
    ]);
    expect(readDuration('2 w')).toBeNull();
    expect(readDuration('1.5h')).toBeNull();
    expect(() => parseDuration('2mo', '--ttl')).toThrow(
      /invalid --ttl "2mo": expected a number and a unit \(ms, s, m, h, d, w\)/,
    );
    expect(formatDuration(WEEK)).toBe('7d');
  });

  it('`--ttl 2w` is accepted where `retention: 2w` and `--since 2w` are', () => {
    expect(parseRetentionAge('2w')).toBe(2 * WEEK);
    expect(parseSince('2w', 3 * WEEK)).toBe(WEEK);
    expect(overrideInputSchema.safeParse({ route: 'r', reason: 'x', ttl: '2w' }).success).toBe(true);
    expect(shadowStartSchema.safeParse({ route: 'r', candidate: 'sim/m', sample: 0.1, ttl: '2w' }).success).toBe(true);
    expect(canaryStartSchema.safeParse({ route: 'r', candidate: 'sim/m', percent: 5, hold: '1w' }).success).toBe(true);
  });
});
