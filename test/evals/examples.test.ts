import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readFileSync } from 'node:fs';
import type { EvalFlags } from '../../src/evals/eval-command.js';
import { runExampleEval, type EvalRun } from '../support/run-eval.js';

function run(flags: EvalFlags): Promise<EvalRun> {
  return runExampleEval(['examples/evals'], { config: 'examples/models.yml', ...flags });
}

describe('examples/evals with examples/models.yml', () => {
  it('pass on production (sim/sim-chat-2026-01-15)', async () => {
    const r = await run({ env: 'production' });
    expect(r.out).toContain('production: 6/6 cases passed');
    expect(r.code).toBe(0);
  });
  it('catch the drift on staging (sim/sim-chat-latest after 2026-11-25)', async () => {
    const r = await run({ env: 'staging' });
    expect(r.code).toBe(1);
    expect(r.out).toContain('served sim-chat-2026-11-25');
    expect(r.out).toMatch(/FAIL\s+drift\/json-fence/);
    expect(r.out).toMatch(/FAIL\s+drift\/token-ceiling/);
    expect(r.out).toMatch(/FAIL\s+drift\/sentiment-enum/);
    expect(r.out).not.toMatch(/FAIL\s+classic\//);
  });
  it('compare production staging says DRIFT; the later good snapshot is no drift', async () => {
    const drift = await run({ compare: ['production', 'staging'] });
    expect(drift.code).toBe(1);
    expect(drift.out).toMatch(/DRIFT: staging \(sim-chat-2026-11-25\) regresses 3 cases/);
    const good = await run({ compareModels: ['sim/sim-chat-2026-01-15', 'sim/sim-chat-2026-12-10'] });
    expect(good.code).toBe(0);
    expect(good.out).toMatch(/NO DRIFT/);
  });
  it('the CI template is valid YAML that records history and uploads JUnit and Markdown', () => {
    const text = readFileSync(new URL('../../examples/ci/nightly-evals.yml', import.meta.url), 'utf8');
    const wf = parse(text) as {
      on: { schedule: unknown[] };
      jobs: { evals: { steps: Array<{ run?: string; uses?: string }> } };
    };
    expect(wf.on.schedule).toHaveLength(1);
    const runs = wf.jobs.evals.steps.map((s) => s.run ?? '').join('\n');
    expect(runs).toContain('--env staging');
    expect(runs).toContain('--record');
    expect(runs).toContain('--junit reports/junit.xml');
    expect(runs).toContain('--markdown reports/evals.md');
    const uses = wf.jobs.evals.steps.map((s) => s.uses ?? '');
    expect(uses.some((u) => u.startsWith('actions/cache/restore'))).toBe(true);
    expect(uses.some((u) => u.startsWith('actions/upload-artifact'))).toBe(true);
  });
});
