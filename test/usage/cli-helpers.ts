import { registerHistory } from '../../src/cli/commands/history.js';
import { registerUsage } from '../../src/cli/commands/usage.js';
import { ManualClock } from '../../src/core/clock.js';
import { runCli, type CliResult } from '../support/run-cli.js';

export type { CliResult } from '../support/run-cli.js';

/** Run `modelpin usage|history ...` in-process with a fixed clock and captured output. */
export function runUsageCli(
  args: string[],
  opts: { now: number; cwd: string; env?: Record<string, string> },
): Promise<CliResult> {
  return runCli([registerUsage, registerHistory], args, {
    clock: new ManualClock(opts.now),
    cwd: opts.cwd,
    env: { NO_COLOR: '1', ...opts.env },
  });
}
