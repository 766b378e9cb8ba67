import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/core/errors.js';
import { builtinScenarios, loadScenario } from '../../src/sim/scenario-load.js';
import { tempScenarios } from './helpers.js';

function loadError(text: string, name = 'bad.yml'): ConfigError {
  const t = tempScenarios({ [name]: text });
  try {
    loadScenario(t.path(name));
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  } finally {
    t.cleanup();
  }
  throw new Error('expected a ConfigError');
}

describe('scenario loading', () => {
  it('ships default, flaky and fast built-ins that all load', () => {
    expect(builtinScenarios()).toEqual(expect.arrayContaining(['default', 'flaky', 'fast']));
    for (const name of ['default', 'flaky', 'fast'])
      expect(loadScenario(name).snapshots.has('sim-chat-2026-01-15')).toBe(true);
    expect(loadScenario('fast').fast).toBe(true);
    expect(loadScenario('default').fast).toBe(false);
    // flaky extends default: same rules, plus fault rates on the chat family only
    const flaky = loadScenario('flaky');
    expect(flaky.rules.map((r) => r.id)).toEqual(loadScenario('default').rules.map((r) => r.id));
    expect(flaky.snapshots.get('sim-chat-2026-01-15')?.faults?.overloaded).toBeGreaterThan(0);
    expect(flaky.snapshots.get('sim-mini-2026-03-01')?.faults).toBeUndefined();
    expect(flaky.snapshots.get('sim-chat-2026-11-25')?.json?.fences).toBe(true);
  });

  it('names the file, field path and line of a schema error', () => {
    const err = loadError(`
snapshots:
  a-2026-01-01:
    latency: { mean_ms: -3, sd_ms: 1 }
rules: []
`);
    expect(err.message).toContain('bad.yml');
    expect(err.message).toContain('snapshots.a-2026-01-01.latency');
    expect(err.details?.file).toMatch(/bad\.yml$/);
    expect(err.details?.line).toBe(4);
    expect(err.status).toBe(2);
  });

  it('rejects an unknown field and names its path', () => {
    const err = loadError(`
snapshots:
  a-2026-01-01: { verbosty: 20 }
`);
    expect(err.message).toMatch(/bad\.yml:3: snapshots\.a-2026-01-01: .*verbosty/);
  });

  it('rejects an alias pointing at an unknown snapshot', () => {
    const err = loadError(`
snapshots: { a-2026-01-01: {} }
aliases:
  a-latest: { target: a-2026-01-01, moves: [{ at: "2026-11-25T00:00:00Z", to: missing }] }
`);
    expect(err.message).toContain('aliases.a-latest.moves[0].to');
    expect(err.message).toContain('"missing"');
    expect(err.details?.path).toBe('aliases.a-latest.moves[0].to');
  });

  it('rejects a bad regex with its path', () => {
    const err = loadError(`
snapshots: { a-2026-01-01: {} }
rules:
  - { id: r, match: { regex: "(unclosed" }, reply: { text: x } }
`);
    expect(err.message).toContain('rules[0].match.regex');
    expect(err.message).toContain('invalid regex');
  });

  it('reports invalid YAML with file and line', () => {
    const err = loadError('snapshots:\n  a: {\n');
    expect(err.message).toMatch(/bad\.yml:\d+:\d+: invalid YAML/);
  });

  it('says which built-ins exist when a scenario is missing', () => {
    expect(() => loadScenario('no-such-scenario')).toThrow(/not a built-in \(.*default.*\)/);
  });

  it('extends: own rules go first and replace base rules with the same id', () => {
    const t = tempScenarios({
      'child.yml':
        'extends: default\nrules:\n  - { id: greet, match: { contains: hello }, reply: { text: hi } }\n  - { id: fallback, reply: { text: custom } }\n',
    });
    try {
      const ids = loadScenario(t.path('child.yml')).rules.map((r) => r.id);
      expect(ids[0]).toBe('greet');
      expect(ids.filter((id) => id === 'fallback')).toHaveLength(1);
      expect(ids).toContain('extract-contact');
    } finally {
      t.cleanup();
    }
  });

  it('detects extends cycles', () => {
    const t = tempScenarios({ 'a.yml': 'extends: ./b.yml\n', 'b.yml': 'extends: ./a.yml\n' });
    try {
      expect(() => loadScenario(t.path('a.yml'))).toThrow(/cycle/);
    } finally {
      t.cleanup();
    }
  });
});
