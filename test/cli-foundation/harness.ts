/** The foundation commands (init, lint, resolve, catalog, schema), run in-process as the CLI wires them. */
import { registerCatalog } from '../../src/cli/commands/catalog.js';
import { registerInit } from '../../src/cli/commands/init.js';
import { registerLint } from '../../src/cli/commands/lint.js';
import { registerResolve } from '../../src/cli/commands/resolve.js';
import { registerSchema } from '../../src/cli/commands/schema.js';
import { ManualClock } from '../../src/core/clock.js';
import { runCli, type CliResult } from '../support/run-cli.js';

export type { CliResult } from '../support/run-cli.js';

export interface RunOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  /** ISO date-time for the injected clock. */
  now?: string;
}

export function runFoundation(args: string[], opts: RunOptions = {}): Promise<CliResult> {
  return runCli([registerInit, registerLint, registerResolve, registerCatalog, registerSchema], args, {
    ...(opts.cwd ? { cwd: opts.cwd } : {}),
    ...(opts.env ? { env: opts.env } : {}),
    ...(opts.now ? { clock: new ManualClock(Date.parse(opts.now)) } : {}),
  });
}
