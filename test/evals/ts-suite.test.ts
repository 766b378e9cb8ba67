/** TypeScript suites load through the built CLI with plain `node`, no loader flag. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/core/errors.js';
import { importTypeScriptModule } from '../../src/evals/ts-module.js';

const root = join(import.meta.dirname, '..', '..');

describe('TypeScript suites', () => {
  it('the built CLI runs examples/evals/typescript with plain node', () => {
    const r = spawnSync(
      process.execPath,
      [
        join(root, 'dist', 'cli', 'main.js'),
        'eval',
        'examples/evals/typescript',
        '--config',
        'examples/models.yml',
        '--env',
        'production',
        '--no-cache',
        '--json',
        '-',
      ],
      {
        cwd: root,
        encoding: 'utf8',
        env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', MODELPIN_NOW: '2026-11-26T09:00:00Z' },
        timeout: 60_000,
      },
    );
    expect(r.stderr).not.toMatch(/TypeScript suites need/);
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout) as { suites?: unknown };
    expect(JSON.stringify(report)).toContain('contact-shape');
    expect(JSON.stringify(report)).toContain('email is lower-case and belongs to the name');
  });

  it('without tsx, says what to install and exits as a config error', async () => {
    const err = await importTypeScriptModule('/x/a.suite.ts', 'evals/a.suite.ts', async () => null).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).message).toBe(
      'evals/a.suite.ts: TypeScript suites need tsx: install it next to modelpin ("npm install --save-dev tsx") or compile the suite to .js',
    );
  });
});
