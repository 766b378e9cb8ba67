import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findSuiteFiles, loadSuiteFile, loadSuites } from '../../src/evals/load-suite.js';
import { ConfigError } from '../../src/core/errors.js';
import { ctx } from './helpers.js';
import { FIXTURES } from './sim.js';

function tmpSuite(text: string, name = 'x.yml'): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'mp-suite-'));
  writeFileSync(join(dir, name), text);
  return { dir, file: name };
}

async function loadError(text: string): Promise<string> {
  const { dir, file } = tmpSuite(text);
  const e = await loadSuiteFile(file, dir).then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ConfigError);
  return (e as Error).message;
}

describe('YAML suites', () => {
  it('loads defaults, vars, repeats and assertions', async () => {
    const s = await loadSuiteFile('suites/classic.yml', FIXTURES);
    expect(s.name).toBe('classic');
    expect(s.hash).toMatch(/^[0-9a-f]{64}$/);
    const c = s.cases[0];
    expect(c?.id).toBe('extract-contact');
    expect(c?.routes).toEqual(['extract']);
    expect(c?.messages[0]?.content[0]).toEqual({
      type: 'text',
      text: 'Extract the name and email as JSON. Text: Contact Jane Doe at jane@example.com',
    });
    expect(c?.assertions.map((a) => a.type)).toEqual(['json-schema', 'json-path', 'llm-rubric']);
    expect(c?.assertions[2]?.needs).toEqual({ judgeRoute: 'judge' });
    expect(c?.tags).toEqual(['smoke']);
  });

  it('templated assertion params use the case vars', async () => {
    const s = await loadSuiteFile('suites/classic.yml', FIXTURES);
    const jp = s.cases[0]?.assertions[1];
    expect((await jp?.check(ctx('{"email":"jane@example.com"}')))?.pass).toBe(true);
    expect((await jp?.check(ctx('{"email":"x@example.com"}')))?.pass).toBe(false);
  });

  it('a directory yields YAML files and *.suite.* modules, not helper modules', () => {
    const files = findSuiteFiles(['.'], FIXTURES).map((f) => f.slice(FIXTURES.length));
    expect(files).toContain('inline.suite.ts');
    expect(files).not.toContain('checks.mjs');
    expect(files).toContain('eval-scenario.yml'); // YAML in a directory counts; the loader then rejects non-suites
  });

  it.each([
    [
      'cases:\n  - prompt: hi\n    assert:\n      - type: is-jsn\n',
      /^x\.yml: cases\[0\]\.assert\[0\]\.type: unknown assertion type "is-jsn" \(did you mean "is-json"\?\)$/,
    ],
    [
      'cases:\n  - prompt: hi\n  - prompt: yo\n    assert: [{ type: regex, pattern: "a(" }]\n',
      /^x\.yml: cases\[1\]\.assert\[0\]\.pattern: invalid regex/,
    ],
    ['defaults:\n  assert: [{ type: equals }]\ncases:\n  - prompt: hi\n', /^x\.yml: defaults\.assert\[0\]\.value: /],
    [
      'cases:\n  - prompt: hi\n    messages: [{ role: user, content: hi }]\n',
      /^x\.yml: cases\[0\]: a case needs exactly one of "prompt" or "messages"/,
    ],
    ['cases:\n  - prompt: "Hi {{who}}"\n', /^x\.yml: cases\[0\]\.prompt: unknown variable "\{\{who\}\}"/],
    [
      'cases:\n  - { id: a, prompt: x }\n  - { id: a, prompt: y }\n',
      /^x\.yml: cases\[1\]\.id: duplicate case id "a" \(also cases\[0\]\)/,
    ],
    ['cases:\n  - prompt: x\n    repaet: 3\n', /^x\.yml: cases\[0\]: unknown field "repaet"/],
    ['cases: []\n', /^x\.yml: cases: a suite needs at least one case/],
    ['cases:\n  - prompt: x\n    threshold: 2\n', /^x\.yml: cases\[0\]\.threshold: /],
    ['cases:\n  - prompt: [unclosed\n', /^x\.yml:\d+:\d+: YAML syntax error/],
  ])('%j -> config error naming file and path', async (text, re) => {
    expect(await loadError(text)).toMatch(re);
  });

  it('messages with a system role become the system prompt', async () => {
    const { dir, file } = tmpSuite(
      'defaults: { system: "Be brief." }\ncases:\n  - messages:\n      - { role: system, content: "Answer in JSON." }\n      - { role: user, content: hi }\n      - { role: assistant, content: hello }\n      - { role: user, content: again }\n',
    );
    const s = await loadSuiteFile(file, dir);
    expect(s.cases[0]?.system).toBe('Be brief.\nAnswer in JSON.');
    expect(s.cases[0]?.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
  });

  it('suite names must be unique across files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mp-suite-'));
    writeFileSync(join(dir, 'a.yml'), 'name: same\ncases: [{ prompt: x }]\n');
    writeFileSync(join(dir, 'b.yml'), 'name: same\ncases: [{ prompt: y }]\n');
    await expect(loadSuites([dir], dir)).rejects.toThrow(/suite name "same" is also used by a\.yml/);
  });
});

describe('TypeScript suites', () => {
  it('load through dynamic import with inline check functions', async () => {
    const s = await loadSuiteFile('inline.suite.ts', FIXTURES);
    expect(s.name).toBe('inline-ts');
    const c = s.cases[0];
    expect(c?.assertions.map((a) => a.type)).toEqual(['contains-json', 'javascript']);
    const ok = await c?.assertions[1]?.check(ctx('{"email":"jane@example.com"}', { vars: c.vars }));
    expect(ok?.pass).toBe(true);
    const bad = await c?.assertions[1]?.check(ctx('{"email":"bob@example.com"}', { vars: c.vars }));
    expect(bad?.pass).toBe(false);
  });

  it('a module without a default export is a config error', async () => {
    const { dir } = tmpSuite('export const x = 1;\n', 'bad.suite.mjs');
    await expect(loadSuiteFile('bad.suite.mjs', dir)).rejects.toThrow(
      /export the suite as "export default defineSuite/,
    );
  });

  it('.mjs suites load directly', async () => {
    const { dir } = tmpSuite(
      'export default { name: "m", cases: [{ prompt: "hi", route: "r", assert: [{ type: "javascript", fn: (o) => o.length > 0 }] }] };\n',
      'm.suite.mjs',
    );
    const s = await loadSuiteFile('m.suite.mjs', dir);
    expect(s.cases[0]?.assertions[0]?.type).toBe('javascript');
  });
});
