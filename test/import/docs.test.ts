/** docs/evals.md's "CSV test data" and "Bringing a promptfoo config" sections, run as printed. */
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runImportPromptfoo } from '../../src/cli/commands/import.js';
import { loadSuiteFile } from '../../src/evals/load-suite.js';

const root = join(import.meta.dirname, '..', '..');
const tsx = pathToFileURL(join(root, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
const doc = readFileSync(join(root, 'docs', 'evals.md'), 'utf8');

function section(title: string): Array<{ lang: string; body: string }> {
  const start = doc.indexOf(`\n${title}\n`);
  if (start < 0) throw new Error(`docs/evals.md has no "${title}"`);
  const rest = doc.slice(start + title.length + 2);
  const end = rest.search(/\n##+ /);
  return [...(end < 0 ? rest : rest.slice(0, end)).matchAll(/```(\w+)\n([\s\S]*?)```/g)].map((m) => ({
    lang: m[1] ?? '',
    body: m[2] ?? '',
  }));
}

function node(args: string[], cwd: string): Promise<{ status: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const c = spawn(process.execPath, ['--import', tsx, join(root, 'src', 'cli', 'main.ts'), ...args], {
      cwd,
      env: { PATH: process.env.PATH ?? '', NO_COLOR: '1' },
      timeout: 120_000,
    });
    let out = '';
    c.stdout.on('data', (d: Buffer) => (out += String(d)));
    c.stderr.on('data', (d: Buffer) => (out += String(d)));
    c.on('error', reject);
    c.on('close', (status) => resolve({ status, out }));
  });
}

describe('docs/evals.md: Bringing a promptfoo config', () => {
  const blocks = section('## Bringing a promptfoo config');

  it('runs the commands as printed (in a copy of examples/promptfoo) with the exits the comments state, writing the committed suite', async () => {
    const ws = mkdtempSync(join(tmpdir(), 'mp-doc-import-'));
    const dir = join(ws, 'examples', 'promptfoo');
    cpSync(join(root, 'examples', 'promptfoo'), dir, {
      recursive: true,
      filter: (src) => !src.includes(`${join('promptfoo', 'evals')}`) && !src.includes('.modelpin'),
    });
    const lines = (blocks.find((b) => b.lang === 'bash')?.body ?? '').split('\n').filter((l) => l.startsWith('node '));
    expect(lines).toHaveLength(3);
    const codes: Array<number | null> = [];
    for (const line of lines) {
      const args = line.replace(/^node \.\.\/\.\.\/dist\/cli\/main\.js /, '').split(' ');
      const r = await node(args, dir);
      codes.push(r.status);
    }
    expect(codes).toEqual([0, 0, 1]);
    expect(readFileSync(join(dir, 'evals', 'support.yml'), 'utf8')).toBe(
      readFileSync(join(root, 'examples', 'promptfoo', 'evals', 'support.yml'), 'utf8'),
    );
    expect(readFileSync(join(dir, 'evals', 'support.checks.mjs'), 'utf8')).toBe(
      readFileSync(join(root, 'examples', 'promptfoo', 'evals', 'support.checks.mjs'), 'utf8'),
    );
  }, 240_000);

  it('shows the refusal message the command prints', async () => {
    const shown = blocks.find((b) => b.lang === 'text')?.body.trimEnd() ?? '';
    const dir = mkdtempSync(join(tmpdir(), 'mp-doc-refuse-'));
    writeFileSync(
      join(dir, 'promptfooconfig.yaml'),
      "prompts: ['Answer {{ question | upper }}']\ndefaultTest:\n  assert: [{ type: rouge-n, value: hi }]\ntests:\n  - vars: { question: hi }\n  - vars: { question: ho }\n    assert: [{ type: similar, value: ho }]\n",
    );
    const e = await runImportPromptfoo(
      'promptfooconfig.yaml',
      { output: 'x.yml' },
      { out: () => undefined, err: () => undefined, cwd: dir },
    ).catch((x: unknown) => x);
    expect(`error ${(e as Error).message}`).toBe(shown);
  });
});

describe('docs/evals.md: CSV test data', () => {
  it('the example suite loads, one case per row', async () => {
    const yaml = section('### CSV test data').find((b) => b.lang === 'yaml')?.body ?? '';
    const dir = mkdtempSync(join(tmpdir(), 'mp-doc-csv-'));
    mkdirSync(join(dir, 'data'));
    writeFileSync(
      join(dir, 'data', 'questions.csv'),
      'question,expected\nHow long is the refund window?,30 days\nDo you ship abroad?,yes\n',
    );
    writeFileSync(join(dir, 'faq.yml'), yaml);
    const s = await loadSuiteFile(join(dir, 'faq.yml'), dir);
    expect(s.cases.map((c) => c.id)).toEqual(['faq-1', 'faq-2']);
    expect(s.cases[1]?.messages[0]?.content).toEqual([{ type: 'text', text: 'Answer briefly: Do you ship abroad?' }]);
  });
});
