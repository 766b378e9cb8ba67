import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runImportPromptfoo } from '../../src/cli/commands/import.js';
import { ManualClock } from '../../src/core/clock.js';
import { ConfigError, UsageError } from '../../src/core/errors.js';
import { runEvalCommand } from '../../src/evals/eval-command.js';
import { loadSuiteFile } from '../../src/evals/load-suite.js';
import type { EvalReport } from '../../src/evals/reports/types.js';

const FIX = join(import.meta.dirname, '..', '..', 'examples', 'promptfoo');

/** A project with models.yml on the simulator; the promptfoo config stays where it is. */
function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mp-import-'));
  copyFileSync(join(FIX, 'models.yml'), join(dir, 'models.yml'));
  copyFileSync(join(FIX, 'judge-scenario.yml'), join(dir, 'judge-scenario.yml'));
  return dir;
}

async function imp(
  cwd: string,
  config: string,
  o: Parameters<typeof runImportPromptfoo>[1],
): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runImportPromptfoo(config, o, { out: (t) => out.push(t), err: (t) => err.push(t), cwd });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

async function evalRun(
  cwd: string,
  flags: Parameters<typeof runEvalCommand>[1],
): Promise<{ code: number; report: EvalReport }> {
  const code = await runEvalCommand(
    ['evals/support.yml'],
    { cache: false, today: '2026-11-26', json: 'out/report.json', quiet: true, ...flags },
    {
      out: () => undefined,
      err: () => undefined,
      cwd,
      env: {},
      clock: new ManualClock(Date.UTC(2026, 10, 26, 12)),
      tty: false,
    },
  );
  return { code, report: JSON.parse(readFileSync(join(cwd, 'out/report.json'), 'utf8')) as EvalReport };
}

describe('modelpin import promptfoo', () => {
  const config = join(FIX, 'promptfooconfig.yaml');

  it('imports a config with CSV tests, defaultTest and is-json / contains-json / javascript / llm-rubric / factuality, then runs it on the simulator', async () => {
    const dir = project();
    const r = await imp(dir, config, { output: 'evals/support.yml', route: 'support' });
    expect(r.code).toBe(0);
    expect(r.err).toBe('wrote evals/support.yml and support.checks.mjs: suite "support-answers", 4 case(s)');
    const yaml = readFileSync(join(dir, 'evals', 'support.yml'), 'utf8');
    expect(yaml).toContain(
      '# promptfoo providers: openai:gpt-4.1-mini, anthropic:messages:claude-sonnet-4-5-20250929.',
    );
    expect(yaml).toMatch(/vars_from: .*\/examples\/promptfoo\/questions\.csv/);
    const suite = await loadSuiteFile(join(dir, 'evals', 'support.yml'), dir);
    expect(suite.cases.map((c) => c.id)).toEqual(['t1-1', 't1-2', 't1-3', 't2']);
    expect(suite.cases[1]?.vars).toEqual({
      question: 'Do you ship to Canada, and how long does it take?',
      topic: 'shipping',
    });
    expect(suite.cases[3]?.assertions.map((a) => a.type)).toEqual([
      'javascript',
      'is-json',
      'contains-json',
      'json-schema',
      'javascript',
      'llm-rubric',
      'factuality',
    ]);

    const prod = await evalRun(dir, { env: 'production' });
    const arm = prod.report.run.arms[0];
    expect(arm?.summary).toMatchObject({ cases: 4, passed: 4, failed: 0, errored: 0 });
    expect(prod.code).toBe(0);
    const t2 = arm?.cases.find((c) => c.caseId === 't2');
    const reasons = t2?.samples[0]?.assertions.map((a) => `${a.type}: ${a.pass} ${a.reason}`) ?? [];
    expect(reasons).toContain('llm-rubric: true judge: polite, names the status');
    expect(reasons).toContain('factuality: true judge: (B) the output says shipped, and more');
    expect(reasons.filter((x) => x.startsWith('javascript: true'))).toHaveLength(2);
  }, 60_000);

  it('the imported suite catches the drifted snapshot: staging fences its JSON (exit 1)', async () => {
    const dir = project();
    await imp(dir, config, { output: 'evals/support.yml', route: 'support' });
    const staging = await evalRun(dir, { env: 'staging' });
    expect(staging.code).toBe(1);
    const t2 = staging.report.run.arms[0]?.cases.find((c) => c.caseId === 't2');
    expect(t2?.samples[0]?.assertions.find((a) => a.type === 'is-json')?.reason).toBe(
      'output is wrapped in markdown fences',
    );
  }, 60_000);

  it('refuses what has no counterpart, by name and location, all at once, and writes nothing', async () => {
    const dir = project();
    writeFileSync(join(dir, 'data.csv'), 'question,__expected\nhi,contains: hello\n');
    writeFileSync(
      join(dir, 'promptfooconfig.yaml'),
      [
        'prompts:',
        "  - 'Answer {{ question | upper }}'",
        'providers: [openai:gpt-4.1-mini]',
        'defaultTest:',
        '  assert:',
        '    - type: rouge-n',
        '      value: hello',
        'tests:',
        '  - file://data.csv',
        '  - vars: { question: hi }',
        '    assert:',
        '      - type: similar',
        '        value: hello',
        '      - type: model-graded-closedqa',
        '        value: says hello',
        '      - type: contains',
        '        value: hello',
      ].join('\n'),
    );
    const e = await imp(dir, 'promptfooconfig.yaml', { output: 'evals/x.yml' }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ConfigError);
    const msg = (e as Error).message;
    expect(msg).toContain('promptfooconfig.yaml: cannot import 5 part(s) of this promptfoo config:');
    expect(msg).toContain('prompts[0]: Nunjucks beyond {{ var }} is not supported ("{{ question | upper }}")');
    expect(msg).toContain('defaultTest.assert[0]: unsupported assertion type "rouge-n"');
    expect(msg).toContain('tests[0] (file://data.csv): CSV column "__expected"');
    expect(msg).toContain('tests[1].assert[0]: unsupported assertion type "similar"');
    expect(msg).toContain('tests[1].assert[1]: unsupported assertion type "model-graded-closedqa"');
    expect(existsSync(join(dir, 'evals'))).toBe(false);
  });

  it('prints the suite without -o, unless inline javascript needs a checks module beside it', async () => {
    const dir = project();
    writeFileSync(
      join(dir, 'p.yaml'),
      "prompts: ['Say {{w}}']\ntests:\n  - vars: { w: hi }\n    assert:\n      - { type: icontains, value: '{{w}}' }\n      - { type: regex, value: '^\\w' }\n      - { type: latency, threshold: 5000 }\n",
    );
    const r = await imp(dir, 'p.yaml', {});
    expect(r.out).toContain('prompt: Say {{w}}');
    expect(r.out).toContain('type: regex\n        pattern: ^\\w');
    expect(r.out).toContain('type: max-latency\n        value: 5000');
    await expect(imp(dir, config, {})).rejects.toBeInstanceOf(UsageError);
    await expect(imp(dir, 'p.yaml', { output: 'models.yml' })).rejects.toThrow(/exists; pass --force/);
  });
});

describe('CSV test data in native suites (vars_from)', () => {
  it('one case per row, ids <id>-<row>, the header naming the vars, case vars underneath', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mp-csv-'));
    mkdirSync(join(dir, 'data'));
    writeFileSync(
      join(dir, 'data', 'q.csv'),
      '\ufeffquestion,expected\n"Refunds, how long?",30 days\nShipping?,5 days\n',
    );
    writeFileSync(
      join(dir, 's.yml'),
      'cases:\n  - id: faq\n    vars_from: data/q.csv\n    vars: { tone: brief, expected: overridden }\n    prompt: "{{tone}}: {{question}}"\n    assert: [{ type: contains, value: "{{expected}}" }]\n  - prompt: plain\n',
    );
    const s = await loadSuiteFile(join(dir, 's.yml'), dir);
    expect(s.cases.map((c) => c.id)).toEqual(['faq-1', 'faq-2', 'case-3']);
    expect(s.cases[0]?.messages[0]?.content).toEqual([{ type: 'text', text: 'brief: Refunds, how long?' }]);
    expect(s.cases[0]?.vars).toEqual({ tone: 'brief', expected: '30 days', question: 'Refunds, how long?' });
    writeFileSync(join(dir, 'bad.yml'), 'cases:\n  - vars_from: data/missing.csv\n    prompt: x\n');
    await expect(loadSuiteFile(join(dir, 'bad.yml'), dir)).rejects.toThrow(
      /bad\.yml: cases\[0\]\.vars_from: cannot read data\/missing\.csv/,
    );
    writeFileSync(join(dir, 'data', 'ragged.csv'), 'a,b\n1,2,3\n');
    writeFileSync(join(dir, 'ragged.yml'), 'cases:\n  - vars_from: data/ragged.csv\n    prompt: "{{a}}"\n');
    await expect(loadSuiteFile(join(dir, 'ragged.yml'), dir)).rejects.toThrow(/ragged\.csv is not valid CSV/);
  });
});
