import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runEval, type EvalRun } from '../support/run-eval.js';
import { compileAssertion } from '../../src/evals/assertions/registry.js';
import { AT } from './helpers.js';

// docs/evals.md "Tool-calling cases": every snippet runs as printed.
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DOC = readFileSync(join(ROOT, 'docs/evals.md'), 'utf8');

function section(heading: string): string {
  const start = DOC.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`docs/evals.md has no "${heading}"`);
  const rest = DOC.slice(start + heading.length + 2);
  const end = rest.search(/\n#{2,3} /);
  return end < 0 ? rest : rest.slice(0, end);
}
const blocks = (text: string, lang: string): string[] =>
  [...text.matchAll(/```(\w+)\n([\s\S]*?)```/g)].filter((m) => m[1] === lang).map((m) => m[2] ?? '');

const tools = section('## Tool-calling cases');

describe('docs/evals.md: tool-calling cases', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mp-docs-tools-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function evalSuite(env: string): Promise<EvalRun> {
    return runEval(
      [join(dir, 'suite.yml')],
      { config: join(ROOT, 'examples/agent-models.yml'), env, cache: false, today: '2026-11-26' },
      { cwd: dir },
    );
  }

  it('the suite snippet passes on the pinned agent and fails on the drifted one', async () => {
    const [suite] = blocks(tools, 'yaml');
    expect(suite).toBeDefined();
    writeFileSync(join(dir, 'suite.yml'), suite ?? '');
    const good = await evalSuite('production');
    expect(good.out).toContain('production: 1/1 cases passed');
    expect(good.code).toBe(0);
    const bad = await evalSuite('staging');
    expect(bad.code).toBe(1);
    expect(bad.out).toContain('amount 4999.00 is not within ±0.01 of 49.99');
  });

  it('the compare command prints the verdict shown', () => {
    const [sh] = blocks(tools, 'bash');
    const [shown] = blocks(tools, 'text');
    const lines = (sh ?? '').split('\n').filter((l) => l.startsWith('node dist/cli/main.js '));
    expect(lines).toHaveLength(1);
    const r = spawnSync('sh', ['-c', lines[0] ?? ''], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
      timeout: 120_000,
    });
    expect(r.status, r.stderr).toBe(1);
    // Latency and its percentiles vary run to run (a latency shift may join the "also" list); the
    // verdict up to the failing case, what gated first, and the failure reasons do not.
    const verdict = (shown ?? '').split('\n').find((l) => l.startsWith('DRIFT: ')) ?? '';
    const tail = '; also 1 case lower, not significant (p=0.056)';
    expect(verdict).toContain(`4999.00 (p=0.008, effect +100 pp ≥ floor 20 pp)${tail}`);
    const stable = verdict.slice(0, verdict.indexOf(tail) + tail.length);
    const printed = r.stdout.split('\n').find((l) => l.startsWith('DRIFT: ')) ?? '';
    expect(printed.slice(0, stable.length)).toBe(stable);
    for (const line of (shown ?? '').split('\n').filter((l) => /^\s+(trajectory|tool-args|steps):/.test(l)))
      expect(r.stdout).toContain(line.trim());
  });

  it.each(['trajectory', 'tool-args', 'steps'])('the %s example compiles', async (type) => {
    const [example] = blocks(section(`### \`${type}\``), 'yaml');
    const raw = (parse(example ?? '') as unknown[])[0];
    await expect(compileAssertion(raw, AT)).resolves.toMatchObject({ type });
  });
});
