/** docs/scan.md's commands, run as printed (through tsx instead of the build), and the output it shows. */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const tsx = pathToFileURL(join(root, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
const doc = readFileSync(join(root, 'docs', 'scan.md'), 'utf8');
const blocks = [...doc.matchAll(/```(\w+)\n([\s\S]*?)```/g)].map((m) => ({ lang: m[1] ?? '', body: m[2] ?? '' }));
const commands = blocks
  .filter((b) => b.lang === 'bash')
  .flatMap((b) => b.body.split('\n').filter((l) => l.includes('dist/cli/main.js scan')));

function run(line: string): { status: number | null; stdout: string } {
  const args = line.replace(/^NO_COLOR=1 node dist\/cli\/main\.js /, '').split(' ');
  const r = spawnSync(process.execPath, ['--import', tsx, join(root, 'src', 'cli', 'main.ts'), ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', NO_COLOR: '1' },
    timeout: 120_000,
  });
  return { status: r.status, stdout: r.stdout };
}

describe('docs/scan.md', () => {
  it('has the two commands this test runs', () => expect(commands).toHaveLength(2));

  it('"Try it" prints the output shown, and exits 1', () => {
    const r = run(commands[0] ?? '');
    expect(r.status).toBe(1);
    const shown = blocks.find((b) => b.lang === 'text')?.body ?? '';
    expect(r.stdout).toBe(shown);
  });

  it('"In CI" prints one workflow command per finding', () => {
    const r = run(commands[1] ?? '');
    expect(r.status).toBe(1);
    const lines = r.stdout.trimEnd().split('\n');
    expect(
      lines
        .slice(0, -1)
        .every((l) =>
          /^::(error|warning) file=test\/scan\/fixtures\/app\/src\/[\w.]+,line=\d+,col=\d+,title=modelpin scan%3A \w+::/.test(
            l,
          ),
        ),
    ).toBe(true);
    expect(lines).toHaveLength(5);
  });
});
