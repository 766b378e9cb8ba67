/** The real entry point (src/cli/main.ts through tsx), as a user runs it: exit codes and stderr. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
// tsx resolved from the package, so the CLI can run from any working directory.
const tsx = pathToFileURL(join(root, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
const run = (args: string[], env: Record<string, string> = {}, cwd = root) =>
  spawnSync(process.execPath, ['--import', tsx, join(root, 'src', 'cli', 'main.ts'), ...args], {
    cwd,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', ...env },
    timeout: 60_000,
  });

describe('modelpin CLI process', () => {
  it('lint of the shipped example exits 0; a missing file exits 2 with one line and no stack', () => {
    const ok = run(['lint', '--config', 'examples/models.yml', '--today', '2026-11-29']);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/no problems/);
    const missing = run(['lint', '--config', 'nope.yml']);
    expect(missing.status).toBe(2);
    expect(missing.stderr.trim()).toBe('error config file nope.yml not found (create one with `modelpin init`)');
  });
  it('resolve --json never prints an interpolated key', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mp-spawn-'));
    writeFileSync(
      join(dir, 'models.yml'),
      'providers:\n  sim: { type: simulator }\n  openai: { type: openai, api_key: "${OPENAI_API_KEY}" }\nroutes:\n  r:\n    targets: { production: sim/sim-chat-2026-01-15, staging: openai/gpt-4o-2024-11-20 }\n',
    );
    const secret = 'sk-SPAWNED-SECRET-77aa11';
    const outs = [
      run(['resolve', 'r', '--env', 'staging', '--json', '--no-store'], { OPENAI_API_KEY: secret }, dir),
      run(['lint', '--format', 'json', '--env', 'staging', '--today', '2026-11-29'], { OPENAI_API_KEY: secret }, dir),
    ];
    expect(outs[0]?.status).toBe(0);
    for (const o of outs) expect(`${o.stdout}${o.stderr}`).not.toContain(secret);
  });
});
