import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// Messages a newcomer meets in the first ten minutes: each must name the real cause.
const root = path.resolve(import.meta.dirname, '..', '..');
const dir = mkdtempSync(path.join(os.tmpdir(), 'modelpin-msgs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cli(args: string[], env: Record<string, string> = {}): { code: number | null; out: string } {
  const r = spawnSync(process.execPath, [path.join(root, 'dist', 'cli', 'main.js'), ...args], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 30_000,
    env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', ...env },
  });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('first-run messages', () => {
  it('lint on a model of a declared provider without a catalog family names that provider, not "no provider given"', () => {
    writeFileSync(
      path.join(dir, 'ollama.yml'),
      'providers:\n  ollama: { type: openai-compatible, base_url: "http://127.0.0.1:11434/v1" }\nroutes:\n  chat:\n    targets: { production: ollama/llama3.1:8b }\n',
    );
    const r = cli(['lint', '--config', 'ollama.yml']);
    expect(r.out).toContain(
      'provider "ollama" has no catalog family, so nothing says whether "llama3.1:8b" is pinned; declare it under catalog.models',
    );
    expect(r.out).not.toContain('no provider given');
    expect(r.code).toBe(1);
  });

  it('rollback of a misspelt route says the route is unknown and suggests the right one', () => {
    expect(cli(['init', '--force']).code).toBe(0);
    const r = cli(['rollback', 'summarise']);
    expect(r.out).toMatch(/unknown route "summarise"; did you mean "summarize"\?/);
    expect(r.out).not.toContain('no recorded previous pin');
    expect(r.code).toBe(2);
  });

  it('serve with gateway keys from an unset variable names the variable', () => {
    expect(cli(['init', '--force']).code).toBe(0);
    const file = path.join(dir, 'models.yml');
    writeFileSync(
      file,
      `${readFileSync(file, 'utf8')}\ngateway:\n  auth: keys\n  keys:\n    - { id: web, key: "\${WEB_APP_KEY}" }\n`,
    );
    const r = cli(['serve', '--port', '0']);
    expect(r.out).toContain('its keys come from ${WEB_APP_KEY}, which is not set');
    expect(r.code).toBe(2);
  });
});

describe('eval suite messages', () => {
  const suite = (body: string): void => {
    writeFileSync(path.join(dir, 'evals-bad', 'a.yml'), body);
  };
  it('name the file and the case, suggest a route, a field, and show the YAML line', () => {
    expect(cli(['init', '--force']).code).toBe(0);
    mkdirSync(path.join(dir, 'evals-bad'), { recursive: true });
    suite(
      'name: t\ncases:\n  - id: c1\n    route: summarise\n    prompt: hi\n    assert: [{type: contains, value: x}]\n',
    );
    let r = cli(['eval', 'evals-bad/']);
    expect(r.out).toContain(
      'evals-bad/a.yml case "c1" (cases[0]): route "summarise" is not defined in models.yml; did you mean "summarize"?',
    );
    expect(r.code).toBe(2);

    suite(
      'name: t\ncases:\n  - id: c1\n    route: summarize\n    prompt: hi\n    assert: [{type: equals, valeu: x}]\n',
    );
    r = cli(['eval', 'evals-bad/']);
    expect(r.out).toContain('cases[0].assert[0]: unknown field "valeu" (did you mean "value"?)');
    suite(
      'name: t\ncases:\n  - id: c1\n    route: summarize\n    prompt: hi\n    assert: [{type: equals, equal: x}]\n',
    );
    r = cli(['eval', 'evals-bad/']);
    expect(r.out).toContain('unknown field "equal"; it takes: value, trim, ignore_case');
    expect(r.code).toBe(2);

    suite('name: t\ncases:\n  - id: c1\n    route: summarize\n    prompt: hi: there\n');
    r = cli(['eval', 'evals-bad/']);
    expect(r.out).toMatch(/evals-bad\/a\.yml:5:\d+: YAML syntax error: .+\n {2}5 \| {5}prompt: hi: there\n {4}\| +\^/);
    expect(r.code).toBe(2);
  });

  it('refuses up front, exit 2, when a provider under test has no key', () => {
    expect(cli(['init', '--force']).code).toBe(0);
    mkdirSync(path.join(dir, 'evals-bad'), { recursive: true });
    suite(
      'name: t\ncases:\n  - id: c1\n    route: summarize\n    prompt: hi\n    assert: [{type: contains, value: x}]\n',
    );
    const r = cli(['eval', 'evals-bad/', '--env', 'experiment']);
    expect(r.out).toContain('provider "anthropic" has no API key (${ANTHROPIC_API_KEY} is not set)');
    expect(r.out).not.toMatch(/\[1\/1\]/);
    expect(r.code).toBe(2);
  });
});

describe('eval runs a reviewer can trust', () => {
  it('--record calls fresh even when every answer is cached, and wide concurrency prints no listener warning', () => {
    expect(cli(['init', '--force']).code).toBe(0);
    // 18 samples at once: more in-flight calls than Node's default of 10 listeners per signal.
    const wide = cli(['eval', 'evals/', '--concurrency', '32', '--repeat', '6', '--no-cache']);
    expect(wide.code).toBe(0);
    expect(wide.out).not.toContain('MaxListenersExceededWarning');
    expect(cli(['eval', 'evals/']).code).toBe(0);
    const rerun = cli(['eval', 'evals/']);
    expect(rerun.out).toMatch(/9 cached/);
    expect(rerun.out).toContain('All samples came from the local answer cache');
    const recorded = cli(['eval', 'evals/', '--record']);
    expect(recorded.code).toBe(0);
    expect(recorded.out).not.toMatch(/\d+ cached/);
    expect(recorded.out).toContain('recorded 1 eval run in the store');
  });
});
