import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
    expect(r.out).toContain('provider "ollama" has no catalog family, so nothing says whether "llama3.1:8b" is pinned; declare it under catalog.models');
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
    writeFileSync(file, `${readFileSync(file, 'utf8')}\ngateway:\n  auth: keys\n  keys:\n    - { id: web, key: "\${WEB_APP_KEY}" }\n`);
    const r = cli(['serve', '--port', '0']);
    expect(r.out).toContain('its keys come from ${WEB_APP_KEY}, which is not set');
    expect(r.code).toBe(2);
  });
});
