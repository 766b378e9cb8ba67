/**
 * Root help and `--version` list commands from the registry's summary table instead of importing every
 * command module: the table must say what the modules register, and the root must load none of them.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { COMMAND_SUMMARIES, COMMANDS, loadCommands } from '../../src/cli/registry.js';

const root = join(import.meta.dirname, '..', '..');
const tsx = pathToFileURL(join(root, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
const run = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, ['--import', tsx, join(root, 'src', 'cli', 'main.ts'), ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', COLUMNS: '200', ...env },
    timeout: 60_000,
    // NODE_DEBUG=esm traces every module the loader touches: far more than the default 1 MB.
    maxBuffer: 256 * 1024 * 1024,
  });

describe('the root command list', () => {
  it('has one summary per command, matching what each module registers', async () => {
    expect(Object.keys(COMMAND_SUMMARIES).sort()).toEqual(Object.keys(COMMANDS).sort());
    const program = new Command();
    for (const c of await loadCommands()) c.register(program);
    const help = program.createHelp();
    for (const cmd of program.commands) {
      const entry = COMMAND_SUMMARIES[cmd.name() as keyof typeof COMMAND_SUMMARIES];
      expect(entry, cmd.name()).toEqual({ term: help.subcommandTerm(cmd), summary: cmd.description() });
    }
  });

  it('prints help and version without loading a command module, and still loads the one asked for', () => {
    // A module load under the root would show as a trace line for any file under src/cli/commands.
    const traced = (args: string[]) => run(args, { NODE_DEBUG: 'esm' });
    const help = traced(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('serve [options]');
    expect(help.stdout).toContain('resolve [options] <route>');
    expect(help.stdout).toContain('help [command]');
    expect(`${help.stderr}`).not.toMatch(/cli\/commands\//);
    const version = traced(['--version']);
    expect(version.status).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    expect(`${version.stderr}`).not.toMatch(/cli\/commands\//);
    const lintHelp = traced(['help', 'lint']);
    expect(lintHelp.status).toBe(0);
    expect(lintHelp.stdout).toContain('Usage: modelpin lint');
    expect(lintHelp.stderr).toMatch(/cli\/commands\/lint/);
  });

  it('suggests the nearest command for a typo, exit 2', () => {
    const r = run(['sreve']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('(Did you mean serve?)');
  });
});
