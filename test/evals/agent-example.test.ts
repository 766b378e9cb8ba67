import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { EvalFlags } from '../../src/evals/eval-command.js';
import { ROOT, runExampleEval, type EvalRun } from '../support/run-eval.js';

// The command printed at the top of examples/evals/agent/refund-agent.yml, run as printed.
function run(flags: EvalFlags, suites: string[] = ['examples/evals/agent']): Promise<EvalRun> {
  return runExampleEval(suites, { config: 'examples/agent-models.yml', markdown: '-', ...flags });
}

describe('examples/evals/agent: a tool-call regression the final text hides', () => {
  it('compare production staging exits 1 and names the tool-call drift', async () => {
    const r = await run({ compare: ['production', 'staging'] });
    expect(r.code).toBe(1);
    const verdict = r.out.split('\n').find((l) => l.startsWith('DRIFT: '));
    // The line leads with what gated (the tool calls); the failing case, not significant after Holm, follows "also".
    expect(verdict).toMatch(
      /^DRIFT: staging \(sim-agent-2026-11-25\) tool calls changed in refund-damaged: candidate calls lookup_order twice \(base once\), issue_refund\.amount 49\.99 → 4999\.00 \(p=0\.008, effect \+100 pp ≥ floor 20 pp\); also 1 case lower, not significant \(p=0\.056\)/,
    );
    // The Markdown report has its own section, with the evidence behind the verdict.
    expect(r.out).toContain('### Tool-call changes');
    expect(r.out).toContain('0/5 staging samples follow the production trajectory (5/5 on production), p=0.0079');
  });

  it('the final answers read the same on both sides: only the tool calls differ', async () => {
    const r = await run({ compare: ['production', 'staging'], markdown: undefined, json: '-' });
    const report = JSON.parse(r.out.slice(0, r.out.lastIndexOf('}') + 1)) as {
      compare: { cases: Array<{ caseId: string; similarity: number }> };
    };
    expect(report.compare.cases.find((c) => c.caseId === 'refund-damaged')?.similarity).toBe(1);
  });

  it('judged on the final text alone every case passes, and the changed trajectory is still drift', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mp-agent-text-'));
    try {
      const suite = parse(readFileSync(join(ROOT, 'examples/evals/agent/refund-agent.yml'), 'utf8')) as {
        cases: Array<{ assert: Array<{ type: string }> }>;
      };
      for (const c of suite.cases) c.assert = c.assert.filter((a) => a.type === 'contains');
      writeFileSync(join(dir, 'text-only.yml'), stringify(suite));
      const r = await run({ compare: ['production', 'staging'], markdown: undefined }, [join(dir, 'text-only.yml')]);
      expect(r.out).toContain('staging: 2/2 cases passed');
      expect(r.code).toBe(1);
      expect(r.out).toMatch(
        /^DRIFT: staging \(sim-agent-2026-11-25\) tool calls changed in refund-damaged: candidate calls lookup_order twice/m,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the pinned snapshot against itself is no drift', async () => {
    const r = await run({ compare: ['production', 'production'], markdown: undefined });
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^NO DRIFT/m);
  });
});
