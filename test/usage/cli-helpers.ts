import { Command } from 'commander';
import { vi } from 'vitest';
import { registerHistory } from '../../src/cli/commands/history.js';
import { registerUsage } from '../../src/cli/commands/usage.js';
import { ManualClock } from '../../src/core/clock.js';
import type { CliIo } from '../../src/store/cli-io.js';

export interface CliResult {
  code: number;
  out: string;
  err: string;
}

/** Run `modelpin usage|history ...` in-process with a fixed clock and captured output. */
export async function runCli(args: string[], opts: { now: number; cwd: string; env?: Record<string, string> }): Promise<CliResult> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (t) => out.push(t), clock: new ManualClock(opts.now), cwd: opts.cwd, env: { NO_COLOR: '1', ...opts.env } };
  const program = new Command().exitOverride().configureOutput({ writeOut: (s) => out.push(s), writeErr: (s) => err.push(s) });
  registerUsage(program, () => io);
  registerHistory(program, () => io);
  const spy = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => {
    err.push(a.map(String).join(' '));
  });
  let code: number;
  try {
    process.exitCode = undefined;
    await program.parseAsync(['node', 'modelpin', ...args]);
    code = typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    const c = (e as { code?: string }).code;
    code = c === 'commander.helpDisplayed' ? 0 : 2;
  } finally {
    spy.mockRestore();
    process.exitCode = undefined;
  }
  return { code, out: out.join('\n'), err: err.join('\n') };
}
