/** `store.retention` in models.yml: defaults, accepted forms, and errors that name the path and the expected form. */
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/core/errors.js';
import { parseConfig } from '../../src/config/load.js';

const ROUTES =
  'providers:\n  sim: { type: simulator }\nroutes:\n  a: { targets: { production: sim/sim-chat-2026-01-15 } }\n';
const withStore = (store: string) => parseConfig(`${ROUTES}store:\n${store}`, 'm.yml', { env: {} }).file.store;

function configError(store: string): string {
  try {
    withStore(store);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).message;
  }
  throw new Error('expected a ConfigError');
}

describe('store.retention', () => {
  it('is absent by default: nothing is pruned unless asked for', () => {
    expect(parseConfig(ROUTES, 'm.yml', { env: {} }).file.store).toEqual({
      type: 'sqlite',
      path: '.modelpin/modelpin.db',
    });
    expect(withStore('  type: sqlite\n').retention).toBeUndefined();
  });

  it('an empty block means the defaults; listed tables override them, on both store types', () => {
    expect(withStore('  type: sqlite\n  retention: {}\n').retention).toEqual({
      usage: '90d',
      usage_minutes: '14d',
      usage_hours: '90d',
      usage_days: '400d',
      shadow_pairs: '14d',
      sentinel_events: '365d',
      eval_runs: 'never',
    });
    expect(
      withStore(
        '  type: postgres\n  url: postgres://db/x\n  retention:\n    usage: 36h\n    shadow_pairs: 2w\n    sentinel_events: never\n    eval_runs: 400d\n',
      ).retention,
    ).toEqual({
      usage: '36h',
      usage_minutes: '14d',
      usage_hours: '90d',
      usage_days: '400d',
      shadow_pairs: '2w',
      sentinel_events: 'never',
      eval_runs: '400d',
    });
  });

  it.each([
    ['90m', 'minutes (or months?) are not accepted'],
    ['90', 'a bare number'],
    ['0d', 'zero would delete everything'],
    ['90 days', 'words'],
    ['1.5d', 'fractions'],
    ['forever', 'only "never"'],
  ])('refuses usage: %s (%s) with the path, the line and the expected form', (value) => {
    expect(configError(`  type: sqlite\n  retention:\n    usage: ${value}\n`)).toBe(
      'm.yml:8:5: store.retention.usage: expected a duration in hours, days or weeks (e.g. 36h, 90d, 2w) or "never"',
    );
  });

  it('keeps eval runs (the promotion evidence) at least 30 days', () => {
    expect(configError('  type: sqlite\n  retention:\n    eval_runs: 29d\n')).toMatch(
      /m\.yml:8:\d+: store\.retention\.eval_runs: eval runs are the promotion evidence: keep them at least 30d \(or never\)/,
    );
    expect(configError('  type: sqlite\n  retention:\n    eval_runs: 4w\n')).toMatch(
      /store\.retention\.eval_runs: eval runs are the promotion evidence/,
    );
    expect(withStore('  type: sqlite\n  retention:\n    eval_runs: 30d\n').retention?.eval_runs).toBe('30d');
  });

  it('has no setting for the audit log (it is never pruned) and suggests the real names for typos', () => {
    expect(configError('  type: sqlite\n  retention:\n    audit: 30d\n')).toBe(
      'm.yml:8:5: store.retention.audit: unknown key "audit" (allowed: usage, usage_minutes, usage_hours, usage_days, shadow_pairs, sentinel_events, eval_runs)',
    );
    expect(configError('  type: sqlite\n  retention:\n    shadow_pair: 7d\n')).toMatch(
      /store\.retention\.shadow_pair: unknown key "shadow_pair" — did you mean "shadow_pairs"\?/,
    );
  });
});
