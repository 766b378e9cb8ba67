/**
 * Runs the foundation commands in-process exactly as the CLI wires them (commander + action()),
 * capturing stdout, stderr and the exit code.
 */
import { Command } from 'commander';
import { reportError } from '../../src/cli/action.js';
import { EXIT } from '../../src/cli/exit-codes.js';
import { registerCatalog } from '../../src/cli/commands/catalog.js';
import { registerInit } from '../../src/cli/commands/init.js';
import { registerLint } from '../../src/cli/commands/lint.js';
import { registerResolve } from '../../src/cli/commands/resolve.js';
import { registerSchema } from '../../src/cli/commands/schema.js';
import { ManualClock } from '../../src/core/clock.js';
import type { CliIo } from '../../src/store/cli-io.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  /** ISO date-time for the injected clock. */
  now?: string;
}

export async function runCli(args: string[], opts: RunOptions = {}): Promise<CliResult> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    out: (t) => out.push(t),
    clock: new ManualClock(Date.parse(opts.now ?? '2026-11-29T12:00:00Z')),
    cwd: opts.cwd ?? process.cwd(),
    env: opts.env ?? {},
  };
  const program = new Command();
  program
    .name('modelpin')
    .exitOverride()
    .configureOutput({ writeOut: (s) => out.push(s), writeErr: (s) => err.push(s), outputError: (s, write) => write(s) });
  for (const reg of [registerInit, registerLint, registerResolve, registerCatalog, registerSchema]) reg(program, () => io);
  const origError = console.error;
  console.error = (...a: unknown[]) => err.push(a.map(String).join(' '));
  const prevExit = process.exitCode;
  process.exitCode = undefined;
  let code: number;
  try {
    await program.parseAsync(['node', 'modelpin', ...args]);
    code = typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    const c = (e as { code?: string }).code;
    if (typeof c === 'string' && c.startsWith('commander.')) code = c === 'commander.helpDisplayed' || c === 'commander.version' ? EXIT.ok : EXIT.usage;
    else code = reportError(e);
  } finally {
    console.error = origError;
    process.exitCode = prevExit;
  }
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}
