import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { UsageError } from '../../src/core/errors.js';
import { MAX_SERIES, OTHER_KEY, autoBucketMs, parseInterval, usageSeries } from '../../src/usage/series.js';
import { summarizeUsage } from '../../src/usage/summarize.js';
import { usage } from '../store/fixtures.js';

const DAY = 86_400_000;
const MON = Date.UTC(2026, 10, 23); // Monday 2026-11-23
const pinned = 'sim-chat-2026-01-15';
const drifted = 'sim-chat-2026-11-25';

describe('usageSeries', () => {
  // The staging alias moves on Wednesday: from then on it answers with ~20% more output tokens.
  const records = [
    ...[0, 1, 2, 3, 4].flatMap((d) =>
      Array.from({ length: 4 }, (_, i) =>
        usage({ ts: MON + d * DAY + i * 1000, servedModel: pinned, outputTokens: 50, costUsd: 0.001 }),
      ),
    ),
    ...[2, 3, 4].flatMap((d) =>
      Array.from({ length: 2 }, (_, i) =>
        usage({
          ts: MON + d * DAY + 5000 + i,
          servedModel: drifted,
          outputTokens: 60,
          costUsd: null,
          status: i === 0 && d === 3 ? 502 : 200,
          errorCode: i === 0 && d === 3 ? 'upstream_error' : null,
        }),
      ),
    ),
  ];

  it('puts each version on its own line, one point per day, with gaps where it had no traffic', () => {
    const s = usageSeries(records, 'served-model', { sinceMs: MON, untilMs: MON + 5 * DAY, bucketMs: DAY });
    expect(s.starts).toEqual([0, 1, 2, 3, 4].map((d) => MON + d * DAY));
    expect(s.series.map((x) => x.key)).toEqual([pinned, drifted]);
    const [p, d] = s.series;
    expect(p?.points.map((x) => x?.outputTokensPerRequest)).toEqual([50, 50, 50, 50, 50]);
    expect(d?.points.map((x) => x?.outputTokensPerRequest ?? null)).toEqual([null, null, 60, 60, 60]);
    expect(d?.points[3]?.errorRate).toBe(0.5);
    expect(d?.points[2]?.costPerRequestUsd).toBeNull();
    expect(p?.points[0]?.costPerRequestUsd).toBeCloseTo(0.001, 10);
    expect(p?.points[0]?.requests).toBe(4);
  });

  it('aligns buckets to UTC boundaries and drops records outside the window', () => {
    const s = usageSeries(records, 'served-model', {
      sinceMs: MON + 2 * DAY + 3_600_000,
      untilMs: MON + 4 * DAY,
      bucketMs: DAY,
    });
    expect(s.starts).toEqual([MON + 2 * DAY, MON + 3 * DAY]);
    expect(s.series[0]?.points.map((x) => x?.requests)).toEqual([4, 4]);
  });

  it('folds the quietest keys into one line past the series limit', () => {
    const many = Array.from({ length: MAX_SERIES + 3 }, (_, k) =>
      Array.from({ length: 20 - k }, (_, i) => usage({ ts: MON + i, route: `r${String(k).padStart(2, '0')}` })),
    ).flat();
    const s = usageSeries(many, 'route', { sinceMs: MON, untilMs: MON + DAY, bucketMs: DAY });
    expect(s.series).toHaveLength(MAX_SERIES);
    expect(s.series[MAX_SERIES - 1]?.key).toBe(OTHER_KEY);
    expect(s.series[MAX_SERIES - 1]?.points[0]?.requests).toBe([7, 8, 9, 10].reduce((n, k) => n + 20 - k, 0));
  });

  it('refuses a bucket that would make too many points', () => {
    expect(() => usageSeries(records, 'route', { sinceMs: MON, untilMs: MON + 30 * DAY, bucketMs: 60_000 })).toThrow(
      UsageError,
    );
  });

  it('every record in the window is counted exactly once', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ t: fc.integer({ min: 0, max: 3 * DAY - 1 }), m: fc.constantFrom('a', 'b', 'c') }), {
          maxLength: 60,
        }),
        fc.constantFrom(3_600_000, 6 * 3_600_000, DAY),
        (xs, bucketMs) => {
          const rs = xs.map((x) => usage({ ts: MON + x.t, servedModel: x.m }));
          const s = usageSeries(rs, 'served-model', { sinceMs: MON, untilMs: MON + 3 * DAY, bucketMs });
          const total = s.series.reduce((n, line) => n + line.points.reduce((m, p) => m + (p?.requests ?? 0), 0), 0);
          expect(total).toBe(rs.length);
          expect(s.series.map((l) => l.key)).toEqual(summarizeUsage(rs, 'served-model').map((r) => r.key));
        },
      ),
    );
  });
});

describe('intervals', () => {
  it('parses bucket sizes and rejects the rest', () => {
    expect(parseInterval('15m')).toBe(900_000);
    expect(parseInterval('1h')).toBe(3_600_000);
    expect(parseInterval('1d')).toBe(DAY);
    // One duration grammar (core/duration.ts): weeks are a bucket size like any other.
    expect(parseInterval('1w')).toBe(7 * DAY);
    for (const bad of ['0m', '1s', 'day', '']) expect(() => parseInterval(bad)).toThrow(UsageError);
  });
  it('picks a bucket that keeps a window to at most 60 points', () => {
    expect(autoBucketMs(0, 3_600_000)).toBe(5 * 60_000);
    expect(autoBucketMs(0, DAY)).toBe(3_600_000);
    expect(autoBucketMs(0, 14 * DAY)).toBe(6 * 3_600_000);
    expect(autoBucketMs(0, 30 * DAY)).toBe(DAY);
    expect(autoBucketMs(0, 365 * DAY)).toBe(7 * DAY);
    expect(autoBucketMs(0, 3650 * DAY)).toBe(61 * DAY);
  });
});
