import { describe, expect, it } from 'vitest';
import { modelsFileSchema } from '../../src/config/schema.js';
import { daysUntil, retirementRows } from '../../src/lifecycle/retirement.js';
import { parseDuration, formatDuration } from '../../src/core/duration.js';

describe('retirement countdown rows', () => {
  it('counts whole UTC days, negative once retired', () => {
    expect(daysUntil('2026-12-15', Date.parse('2026-12-14T23:59:00Z'))).toBe(1);
    expect(daysUntil('2026-12-14', Date.parse('2026-12-14T00:00:00Z'))).toBe(0);
    expect(daysUntil('2026-06-01', Date.parse('2026-12-14T09:00:00Z'))).toBe(-196);
  });

  it('lists each pinned target with a date once per route, across environments and fallback', () => {
    const cfg = modelsFileSchema.parse({
      providers: { sim: { type: 'simulator' } },
      routes: {
        a: {
          targets: { production: 'sim/old-2025-06-01', staging: 'sim/x-latest' },
          fallback: ['sim/old-2025-06-01', 'sim/mini-2026-03-01'],
        },
      },
    });
    const facts = (t: { model: string }) =>
      t.model.endsWith('-latest')
        ? { kind: 'floating' as const, retires: '2026-01-01' }
        : { kind: 'pinned' as const, retires: t.model.startsWith('old') ? '2026-06-01' : null };
    expect(retirementRows(cfg, facts, Date.parse('2026-05-30T12:00:00Z'))).toEqual([
      { route: 'a', target: 'sim/old-2025-06-01', retires: '2026-06-01', days: 2 },
    ]);
  });

  it("with an environment, lists only that environment's pin and the fallback chain", () => {
    const cfg = modelsFileSchema.parse({
      providers: { sim: { type: 'simulator' } },
      routes: {
        a: {
          targets: { production: 'sim/old-2025-06-01', staging: 'sim/next-2026-01-01' },
          fallback: ['sim/mini-2025-07-01'],
        },
        b: { targets: { staging: 'sim/next-2026-01-01' } },
      },
    });
    const facts = () => ({ kind: 'pinned' as const, retires: '2026-06-01' });
    const now = Date.parse('2026-05-30T12:00:00Z');
    expect(retirementRows(cfg, facts, now, 'production').map((r) => `${r.route} ${r.target}`)).toEqual([
      'a sim/old-2025-06-01',
      'a sim/mini-2025-07-01',
    ]);
    expect(retirementRows(cfg, facts, now, 'staging').map((r) => `${r.route} ${r.target}`)).toEqual([
      'a sim/next-2026-01-01',
      'a sim/mini-2025-07-01',
      'b sim/next-2026-01-01',
    ]);
    expect(retirementRows(cfg, facts, now).map((r) => `${r.route} ${r.target}`)).toEqual([
      'a sim/old-2025-06-01',
      'a sim/next-2026-01-01',
      'a sim/mini-2025-07-01',
      'b sim/next-2026-01-01',
    ]);
  });
});

describe('durations', () => {
  it('parses and formats', () => {
    expect(parseDuration('24h')).toBe(86_400_000);
    expect(parseDuration('500ms')).toBe(500);
    expect(() => parseDuration('1 day')).toThrow(/invalid duration "1 day"/);
    expect(formatDuration(86_400_000)).toBe('1d');
    expect(formatDuration(90_000)).toBe('90s');
  });
});
