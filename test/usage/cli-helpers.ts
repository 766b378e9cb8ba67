import { registerHistory } from '../../src/cli/commands/history.js';
import { registerUsage } from '../../src/cli/commands/usage.js';
import { ManualClock } from '../../src/core/clock.js';
import { runRegistered, type CliResult } from '../cli/run-registered.js';

export type { CliResult } from '../cli/run-registered.js';

/** Run `modelpin usage|history ...` in-process with a fixed clock and captured output. */
export function runCli(args: string[], opts: { now: number; cwd: string; env?: Record<string, string> }): Promise<CliResult> {
  return runRegistered([registerUsage, registerHistory], args, { clock: new ManualClock(opts.now), cwd: opts.cwd, env: { NO_COLOR: '1', ...opts.env } });
}
