/**
 * Runs commands on a fresh commander program in-process, the way `modelpin` wires them, and
 * captures what they print and the exit code: the exit code from `process.exitCode`, 2 for a
 * usage error commander rejects (0 for --help and --version), and for anything thrown what the
 * CLI's own error report returns.
 */
import { Command } from 'commander';
import { vi } from 'vitest';
import { reportError } from '../../src/cli/action.js';
import { EXIT } from '../../src/cli/exit-codes.js';
import type { CommandModule } from '../../src/cli/registry.js';
import { ManualClock } from '../../src/core/clock.js';
import type { CliIo } from '../../src/store/cli-io.js';

export interface CliResult {
  code: number;
  out: string;
  err: string;
}

/** A command registration that reads injected io (clock, cwd, env). */
export type Register = (program: Command, io: () => CliIo) => void;

export interface RunCliOptions {
  /** The io clock (default 2026-11-29T12:00:00Z). */
  clock?: CliIo['clock'];
  /** The io working directory (default process.cwd()). */
  cwd?: string;
  /** The io environment (default empty, so the machine's variables do not leak in). */
  env?: Record<string, string | undefined>;
  /** Set in process.env for the run, for commands that read it directly; NO_COLOR=1 always. */
  processEnv?: Record<string, string>;
}

export async function runCli(
  commands: ReadonlyArray<Register | CommandModule>,
  args: string[],
  opts: RunCliOptions = {},
): Promise<CliResult> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    out: (t) => out.push(t),
    clock: opts.clock ?? new ManualClock(Date.parse('2026-11-29T12:00:00Z')),
    cwd: opts.cwd ?? process.cwd(),
    env: opts.env ?? {},
  };
  const program = new Command();
  program
    .name('modelpin')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => out.push(s),
      writeErr: (s) => err.push(s),
      outputError: (s, write) => write(s),
    });
  for (const c of commands) {
    if (typeof c === 'function') c(program, () => io);
    else c.register(program);
  }
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.map(String).join(' ')));
  const error = vi
    .spyOn(console, 'error')
    .mockImplementation((...a: unknown[]) => void err.push(a.map(String).join(' ')));
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => {
    out.push(String(s));
    return true;
  });
  const saved: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries({ NO_COLOR: '1', ...opts.processEnv })) {
    saved[k] = process.env[k];
    process.env[k] = v;
  }
  const prevExit = process.exitCode;
  process.exitCode = undefined;
  let code: number;
  try {
    await program.parseAsync(['node', 'modelpin', ...args]);
    code = typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    const c = (e as { code?: string }).code;
    if (typeof c === 'string' && c.startsWith('commander.'))
      code = c === 'commander.helpDisplayed' || c === 'commander.version' ? EXIT.ok : EXIT.usage;
    else code = reportError(e);
  } finally {
    log.mockRestore();
    error.mockRestore();
    write.mockRestore();
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    process.exitCode = prevExit;
  }
  return { code, out: out.join('\n'), err: err.join('\n') };
}
