import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readPrevious, readTarget, refOf, setPin, setTargets } from '../../src/lifecycle/promote/yaml-edit.js';
import { sourcePathOf } from '../../src/config/plain-shape.js';

const FILE = `# modelpin config for the support app
version: 1
providers:
  sim: { type: simulator, scenario: default } # local simulator

routes:
  # Ticket classification: JSON out, strict enum
  classify:
    description: Classify support tickets
    targets:
      production: sim/sim-chat-2026-01-15 # pinned after the Jan review
      staging: sim/sim-chat-latest   # floats on purpose
    last_validated: 2026-01-20
    fallback:
      - sim/sim-mini-2026-03-01 # cheaper family

  summarize:
    targets:
      production:
        provider: sim
        model: sim-chat-2026-01-15 # object form keeps params
        params: { temperature: 0 }
`;

describe('setPin', () => {
  it('pins the new snapshot, records previous and last_validated, keeps every comment', () => {
    const out = setPin(FILE, {
      route: 'classify',
      env: 'production',
      target: 'sim/sim-chat-2026-12-10',
      previous: 'sim/sim-chat-2026-01-15',
      lastValidated: '2026-12-13',
    });
    const data = parse(out) as {
      routes: { classify: { targets: { production: string }; previous: string; last_validated: string } };
    };
    expect(data.routes.classify.targets.production).toBe('sim/sim-chat-2026-12-10');
    expect(data.routes.classify.previous).toBe('sim/sim-chat-2026-01-15');
    expect(data.routes.classify.last_validated).toBe('2026-12-13');
    for (const comment of [
      '# modelpin config for the support app',
      '# local simulator',
      '# Ticket classification: JSON out, strict enum',
      '# pinned after the Jan review',
      '# floats on purpose',
      '# cheaper family',
      '# object form keeps params',
    ]) {
      expect(out).toContain(comment);
    }
    expect(out).toContain('production: sim/sim-chat-2026-12-10 # pinned after the Jan review');
    // untouched parts are byte-identical
    expect(out).toContain('  sim: { type: simulator, scenario: default } # local simulator');
    expect(out.split('\n').filter((l) => !FILE.includes(l) && !l.includes('staging'))).toEqual([
      '      production: sim/sim-chat-2026-12-10 # pinned after the Jan review',
      '    last_validated: 2026-12-13',
      '    previous: sim/sim-chat-2026-01-15',
    ]);
  });

  it('changes only provider and model of an object-form target', () => {
    const out = setPin(FILE, {
      route: 'summarize',
      env: 'production',
      target: 'sim/sim-chat-2026-12-10',
      previous: readTarget(FILE, 'summarize', 'production'),
    });
    const data = parse(out) as {
      routes: { summarize: { targets: { production: Record<string, unknown> }; previous: Record<string, unknown> } };
    };
    expect(data.routes.summarize.targets.production).toEqual({
      provider: 'sim',
      model: 'sim-chat-2026-12-10',
      params: { temperature: 0 },
    });
    expect(refOf(data.routes.summarize.previous)).toBe('sim/sim-chat-2026-01-15');
    expect(out).toContain('# object form keeps params');
  });

  it('reads targets and previous', () => {
    expect(readTarget(FILE, 'classify', 'staging')).toBe('sim/sim-chat-latest');
    expect(readPrevious(FILE, 'classify')).toBeUndefined();
    expect(() => readTarget(FILE, 'classify', 'canary')).toThrow(/no "canary" target/);
    expect(() => setPin(FILE, { route: 'nope', env: 'production', target: 'sim/x' })).toThrow(/no route "nope"/);
  });
});

describe('setPin minimal diff', () => {
  it('splices only the changed values when every key already exists', () => {
    const once = setPin(FILE, {
      route: 'classify',
      env: 'production',
      target: 'sim/sim-chat-2026-11-25',
      previous: 'sim/sim-chat-2026-01-15',
      lastValidated: '2026-12-01',
    });
    const twice = setPin(once, {
      route: 'classify',
      env: 'production',
      target: 'sim/sim-chat-2026-12-10',
      previous: 'sim/sim-chat-2026-11-25',
      lastValidated: '2026-12-13',
    });
    const before = once.split('\n');
    const after = twice.split('\n');
    expect(after.length).toBe(before.length);
    const changed = after.filter((l, i) => l !== before[i]);
    expect(changed).toEqual([
      '      production: sim/sim-chat-2026-12-10 # pinned after the Jan review',
      '    last_validated: 2026-12-13',
      '    previous: sim/sim-chat-2026-11-25',
    ]);
    expect(twice).toContain('      staging: sim/sim-chat-latest # floats on purpose');
  });
});

describe('setTargets', () => {
  it("edits a target and a fallback entry in one pass, in each one's own style", () => {
    const out = setTargets(FILE, [
      { path: ['routes', 'classify', 'targets', 'staging'], target: 'sim/sim-chat-2026-11-25' },
      { path: ['routes', 'classify', 'fallback', 0], target: 'sim/sim-mini-2026-04-01' },
      { path: ['routes', 'summarize', 'targets', 'production'], target: 'sim/sim-chat-2026-12-10' },
    ]);
    expect(out).toBe(
      FILE.replace('staging: sim/sim-chat-latest   #', 'staging: sim/sim-chat-2026-11-25   #')
        .replace('- sim/sim-mini-2026-03-01 # cheaper', '- sim/sim-mini-2026-04-01 # cheaper')
        .replace('model: sim-chat-2026-01-15 # object form', 'model: sim-chat-2026-12-10 # object form'),
    );
  });

  it('writes a bare model id where the plain shape left the provider to inference', () => {
    const plain =
      'models:\n  summarize:\n    production: sim-chat-latest # inferred provider\n    fallback: [sim-mini-latest]\n';
    const out = setTargets(
      plain,
      [
        { path: ['routes', 'summarize', 'targets', 'production'], target: 'sim/sim-chat-2026-01-15' },
        { path: ['routes', 'summarize', 'fallback', 0], target: 'sim/sim-mini-2026-03-01' },
      ],
      'models.yml',
      sourcePathOf,
    );
    expect(out).toBe(
      'models:\n  summarize:\n    production: sim-chat-2026-01-15 # inferred provider\n    fallback: [sim-mini-2026-03-01]\n',
    );
    expect(() =>
      setTargets(
        plain,
        [{ path: ['routes', 'nope', 'targets', 'production'], target: 'sim/x' }],
        'models.yml',
        sourcePathOf,
      ),
    ).toThrow(/nothing at routes\.nope\.targets\.production/);
  });
});

import { planFileRollback } from '../../src/lifecycle/promote/rollback-file.js';

describe('planFileRollback', () => {
  it('restores previous, records the replaced pin, keeps comments; twice is a no-op round trip', () => {
    const promoted = setPin(FILE, {
      route: 'classify',
      env: 'production',
      target: 'sim/sim-chat-2026-12-10',
      previous: 'sim/sim-chat-2026-01-15',
      lastValidated: '2026-12-13',
    });
    const rb = planFileRollback(promoted, 'classify');
    expect(rb).toMatchObject({ from: 'sim/sim-chat-2026-12-10', to: 'sim/sim-chat-2026-01-15' });
    expect(readTarget(rb.text, 'classify', 'production')).toBe('sim/sim-chat-2026-01-15');
    expect(readPrevious(rb.text, 'classify')).toBe('sim/sim-chat-2026-12-10');
    expect(rb.text).toContain('# pinned after the Jan review');
    expect(planFileRollback(rb.text, 'classify').text).toBe(promoted);
  });
  it('refuses without a recorded previous pin', () => {
    expect(() => planFileRollback(FILE, 'classify')).toThrow(/no recorded previous pin/);
  });
});
