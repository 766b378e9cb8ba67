import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.js';
import { percentile } from '../../src/usage/percentile.js';
import { parseSince } from '../../src/usage/since.js';
import { USAGE_GROUPINGS, summarizeUsage } from '../../src/usage/summarize.js';
import { formatUsageTable } from '../../src/usage/format.js';
import { T0, usage } from '../store/fixtures.js';

describe('percentile (nearest rank)', () => {
  it('returns observed values', () => {
    const v = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(v, 50)).toBe(50);
    expect(percentile(v, 95)).toBe(95);
    expect(percentile([3, 1, 2], 50)).toBe(2);
    expect(percentile([10], 95)).toBe(10);
    expect(percentile([1, 2], 95)).toBe(2);
    expect(percentile([], 50)).toBeNull();
  });
});

describe('summarizeUsage', () => {
  const pinned = 'sim-chat-2026-01-15';
  const drifted = 'sim-chat-2026-11-25';
  const records = [
    ...Array.from({ length: 20 }, (_, i) =>
      usage({
        ts: T0 + i,
        servedModel: pinned,
        latencyMs: (i + 1) * 10,
        costUsd: 0.001,
        inputTokens: 100,
        outputTokens: 50,
      }),
    ),
    ...Array.from({ length: 10 }, (_, i) =>
      usage({
        ts: T0 + 100 + i,
        servedModel: drifted,
        latencyMs: 500 + i,
        costUsd: i < 4 ? 0.002 : null,
        outputTokens: 60,
        status: i < 2 ? 502 : 200,
        errorCode: i < 2 ? 'upstream_error' : null,
        arm: 'canary',
        ttftMs: i + 1,
        stream: true,
      }),
    ),
    usage({
      ts: T0 + 500,
      servedModel: null,
      costUsd: null,
      status: 429,
      errorCode: 'rate_limited',
      target: 'sim/sim-mini-2026-03-01',
      route: 'classify',
    }),
  ];

  it('groups by served model with percentiles, error rate and tokens', () => {
    const rows = summarizeUsage(records, 'served-model');
    expect(rows.map((r) => r.key)).toEqual([pinned, drifted, '(none)']);
    const p = rows[0]!;
    expect(p).toMatchObject({
      requests: 20,
      errors: 0,
      errorRate: 0,
      p50LatencyMs: 100,
      p95LatencyMs: 190,
      p50TtftMs: null,
      inputTokens: 2000,
      outputTokens: 1000,
      costKnownRequests: 20,
    });
    expect(p.costUsd).toBeCloseTo(0.02, 10);
    expect(p.costPerRequestUsd).toBeCloseTo(0.001, 10);
    const d = rows[1]!;
    expect(d).toMatchObject({
      requests: 10,
      errors: 2,
      errorRate: 0.2,
      p50LatencyMs: 504,
      p95LatencyMs: 509,
      p50TtftMs: 5,
      costKnownRequests: 4,
    });
    expect(d.costUsd).toBeCloseTo(0.008, 10);
    expect(d.costPerRequestUsd).toBeCloseTo(0.002, 10);
  });

  it('reports unknown cost as null, never $0', () => {
    const rows = summarizeUsage(records, 'route');
    const classify = rows.find((r) => r.key === 'classify')!;
    expect(classify.costUsd).toBeNull();
    expect(classify.costPerRequestUsd).toBeNull();
    expect(classify.costKnownRequests).toBe(0);
    expect(classify.errorRate).toBe(1);
    const table = formatUsageTable(rows, 'route');
    expect(table).toMatch(/classify .*unknown/);
    expect(table).not.toMatch(/classify .*\$0(\s|$)/);
    expect(table).toContain('(24/30 priced)');
  });

  it('groups by target and arm', () => {
    expect(summarizeUsage(records, 'target').map((r) => [r.key, r.requests])).toEqual([
      ['sim/sim-chat-2026-01-15', 30],
      ['sim/sim-mini-2026-03-01', 1],
    ]);
    const arms = summarizeUsage(records, 'arm');
    expect(arms.map((r) => [r.key, r.requests])).toEqual([
      ['(none)', 21],
      ['canary', 10],
    ]);
    expect(arms[1]?.servedModels).toEqual([drifted]);
  });

  it('handles large inputs and every grouping', () => {
    const many = Array.from({ length: 200_000 }, (_, i) => usage({ ts: i, latencyMs: i % 1000 }));
    for (const by of USAGE_GROUPINGS) expect(summarizeUsage(many, by)[0]?.requests).toBe(200_000);
    expect(summarizeUsage([], 'route')).toEqual([]);
  });
});

describe('parseSince', () => {
  const now = Date.parse('2026-11-25T12:00:00Z');
  it('accepts durations and ISO dates', () => {
    expect(parseSince('24h', now)).toBe(now - 86_400_000);
    expect(parseSince('7d', now)).toBe(now - 7 * 86_400_000);
    expect(parseSince('90m', now)).toBe(now - 90 * 60_000);
    expect(parseSince('2026-11-23', now)).toBe(Date.parse('2026-11-23T00:00:00Z'));
    expect(parseSince('2026-11-23T06:30:00Z', now)).toBe(Date.parse('2026-11-23T06:30:00Z'));
  });
  it('rejects anything else with a usage error', () => {
    for (const bad of ['yesterday', '24', '-1d', '2026-13-45', ''])
      expect(() => parseSince(bad, now)).toThrow(UsageError);
  });
});
