import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { UsageError } from '../../src/core/errors.js';
import { runScan, type ScanCliOptions } from '../../src/cli/commands/scan.js';
import { extractCandidates, fileKind, literalHeads, prefilterFor } from '../../src/scan/extract.js';
import type { ScanFinding } from '../../src/scan/findings.js';

const FIXTURE = join(import.meta.dirname, 'fixtures', 'app');

/** The fixture app, plus what must never be read: dependencies, build output, ignored, huge and binary files. */
function app(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mp-scan-'));
  cpSync(FIXTURE, dir, { recursive: true });
  const put = (rel: string, text: string | Buffer): void => {
    mkdirSync(join(dir, rel, '..'), { recursive: true });
    writeFileSync(join(dir, rel), text);
  };
  put('node_modules/some-sdk/index.js', "export const model = 'gpt-3.5-turbo';\n");
  put('dist/bundle.js', "const m = { model: 'o3-mini' };\n");
  put('generated/client.ts', "export const model = 'gemini-2.0-flash';\n");
  put('src/huge.ts', `export const m = 'gpt-3.5-turbo';\n${'// padding\n'.repeat(120_000)}`);
  put('src/blob.json', Buffer.concat([Buffer.from('{"model": "o3-mini"}'), Buffer.from([0, 1, 2])]));
  return dir;
}

function scanIn(cwd: string, paths: string[], opts: ScanCliOptions = {}): { code: number; out: string } {
  const out: string[] = [];
  const code = runScan(
    paths,
    { today: '2026-12-01', ...opts },
    { out: (t) => out.push(t), clock: new ManualClock(Date.UTC(2026, 11, 1)), cwd, env: {} },
  );
  return { code, out: out.join('\n') };
}

function findings(cwd: string, opts: ScanCliOptions = {}): ScanFinding[] {
  const r = scanIn(cwd, [], { ...opts, format: 'json' });
  return (JSON.parse(r.out) as { findings: ScanFinding[] }).findings;
}

const where = (fs: ScanFinding[], kind: string): string[] =>
  fs.filter((f) => f.kind === kind).map((f) => `${f.file}:${f.line}:${f.col} ${f.id}`);

const EXPECTED = {
  retired: [
    '.env:2:14 gpt-3.5-turbo',
    'cmd/worker/main.go:13:14 o3-mini',
    'src/gemini.js:4:50 gemini-2.0-flash',
    'src/summarize.py:8:41 claude-3-5-sonnet-20240620',
  ],
  retiring: ['src/chat.ts:10:60 gpt-4o'],
  floating: [
    'config/app.yaml:4:10 mistral-large-latest',
    'config/settings.json:2:29 deepseek-chat',
    'src/chat.ts:16:13 claude-haiku-4-5',
  ],
  bypass: ['.env:3:18 claude-haiku-4-5-20251001', 'src/summarize.py:13:36 gemini-2.5-flash'],
};

describe('modelpin scan on a fixture app (TS, JS, Python, Go, .env, YAML, JSON)', () => {
  it('finds each floating, retired, retiring and bypassing id with file:line:col, and nothing it must skip', () => {
    const dir = app();
    const fs = findings(dir, { git: false });
    expect(where(fs, 'retired')).toEqual(EXPECTED.retired);
    expect(where(fs, 'retiring')).toEqual(EXPECTED.retiring);
    expect(where(fs, 'floating')).toEqual(EXPECTED.floating);
    expect(where(fs, 'bypass')).toEqual(EXPECTED.bypass);
    expect(fs).toHaveLength(10);
    const files = new Set(fs.map((f) => f.file));
    for (const skipped of [
      'node_modules/some-sdk/index.js',
      'dist/bundle.js',
      'generated/client.ts',
      'src/huge.ts',
      'src/blob.json',
      'models.yml',
    ])
      expect(files.has(skipped), skipped).toBe(false);
    // The route name and the CSS text are not model ids.
    expect(fs.some((f) => f.id === 'support-bot' || f.id.startsWith('text-'))).toBe(false);
  });

  it('lists files with git ls-files inside a work tree, honouring .gitignore the same way', () => {
    const dir = app();
    execFileSync('git', ['init', '-q'], { cwd: dir });
    // git would list a committed node_modules; scan skips it all the same.
    writeFileSync(join(dir, '.gitignore'), 'generated/\nsrc/huge.ts\n');
    const r = JSON.parse(scanIn(dir, [], { format: 'json' }).out) as {
      source: string;
      findings: ScanFinding[];
      files: number;
    };
    expect(r.source).toBe('git');
    expect(where(r.findings, 'retired')).toEqual(EXPECTED.retired);
    expect(where(r.findings, 'floating')).toEqual(EXPECTED.floating);
    expect(
      r.findings.some(
        (f) => f.file.startsWith('node_modules/') || f.file.startsWith('dist/') || f.file.startsWith('generated/'),
      ),
    ).toBe(false);
  });

  it('exits 1 on findings and 0 on a clean tree; --no-bypass keeps only lifecycle findings', () => {
    const dir = app();
    expect(scanIn(dir, [], { git: false }).code).toBe(1);
    const noBypass = findings(dir, { git: false, bypass: false });
    expect(noBypass.filter((f) => f.kind === 'bypass')).toEqual([]);
    expect(noBypass).toHaveLength(8);
    const clean = mkdtempSync(join(tmpdir(), 'mp-scan-clean-'));
    writeFileSync(
      join(clean, 'app.ts'),
      "export const route = { model: 'support-bot' };\nexport const css = 'text-align: left';\n",
    );
    const r = scanIn(clean, ['.'], { git: false });
    expect(r.code).toBe(0);
    expect(r.out).toContain('no model ids to fix');
  });

  it('--fix-hint names the models.yml route, the snapshot to pin, or the replacement', () => {
    const fs = findings(app(), { git: false, fixHint: true });
    const hint = (id: string): string | undefined => fs.find((f) => f.id === id)?.hint;
    expect(hint('claude-haiku-4-5')).toBe(
      'pin claude-haiku-4-5-20251001; call route "support-bot" instead (models.yml targets it in production)',
    );
    expect(hint('claude-haiku-4-5-20251001')).toBe(
      'call route "support-bot" instead (models.yml targets it in production)',
    );
    expect(hint('claude-3-5-sonnet-20240620')).toContain('replacement: claude-sonnet-4-6');
    expect(hint('mistral-large-latest')).toContain('pin mistral-medium-2508');
    // Without --fix-hint the JSON carries no hints.
    expect(findings(app(), { git: false }).every((f) => f.hint === undefined)).toBe(true);
  });

  it('--format github prints workflow annotations with file, line and col; text prints file:line:col', () => {
    const dir = app();
    const gh = scanIn(dir, [], { git: false, format: 'github' }).out.split('\n');
    expect(gh).toContain(
      '::error file=src/summarize.py,line=8,col=41,title=modelpin scan%3A retired::claude-3-5-sonnet-20240620 is retired since 2025-10-28: calls fail or are served by another model',
    );
    expect(gh.filter((l) => l.startsWith('::warning file=')).length).toBe(5);
    const text = scanIn(dir, ['src'], { git: false }).out;
    expect(text).toMatch(/^src\/chat\.ts:16:13 {2}floating {2}claude-haiku-4-5 is a floating alias/m);
    expect(text).not.toContain('.env');
  });

  it('refuses a bad --format or a missing path (usage error)', () => {
    const dir = app();
    expect(() => scanIn(dir, [], { format: 'xml' })).toThrow(UsageError);
    expect(() => scanIn(dir, ['nope/'])).toThrow(/nope\/: no such file or directory/);
  });
});

describe('candidate extraction', () => {
  const pre = prefilterFor(
    ['gpt-4o', 'claude-3-haiku-20240307', 'o3-mini', 'anthropic.claude-v2'],
    literalHeads(['^(?:mistral-|codestral-)', '^gemini-']),
  );

  it('builds the pre-filter from catalog ids and the literal heads of id patterns', () => {
    for (const s of ['"gpt-4o"', "x = 'o1'", 'codestral-2501', 'us.anthropic.claude-v2', 'models/gemini-2.5-pro'])
      expect(pre.test(s), s).toBe(true);
    for (const s of ['const x = "hello"', 'legpt-4', 'photo1']) expect(pre.test(s), s).toBe(false);
  });

  it('tells SDK calls and model keys from other literals', () => {
    const code = [
      'm = genai.GenerativeModel("gemini-2.5-flash")',
      'const r = { model: "gpt-4o" }',
      'x = ["gpt-4o"]',
      'client.messages.create(model="claude-3-haiku-20240307")',
    ].join('\n');
    expect(extractCandidates(code, 'code', pre).map((c) => [c.line, c.col, c.value, c.context])).toEqual([
      [1, 28, 'gemini-2.5-flash', 'sdk-call'],
      [2, 21, 'gpt-4o', 'model-key'],
      [3, 7, 'gpt-4o', 'literal'],
      [4, 31, 'claude-3-haiku-20240307', 'model-key'],
    ]);
  });

  it('reads values in .env and YAML without quotes', () => {
    expect(extractCandidates('export LLM_MODEL=o3-mini # comment\n', 'env', pre)).toEqual([
      { value: 'o3-mini', line: 1, col: 18, context: 'model-key' },
    ]);
    expect(
      extractCandidates('fallbacks:\n  - gpt-4o\nmodel: "claude-3-haiku-20240307"\n', 'config', pre).map(
        (c) => c.value,
      ),
    ).toEqual(['gpt-4o', 'claude-3-haiku-20240307']);
    expect(fileKind('/a/.env.production')).toBe('env');
    expect(fileKind('/a/b.yaml')).toBe('config');
    expect(fileKind('/a/b.py')).toBe('code');
  });
});
