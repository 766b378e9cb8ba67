/** `modelpin eval` in-process, as the CLI runs it, with its output captured. */
import { fileURLToPath } from 'node:url';
import { ManualClock } from '../../src/core/clock.js';
import { runEvalCommand, type ClientFactory, type EvalFlags, type EvalIo } from '../../src/evals/eval-command.js';
import { createSimulatorProvider } from '../../src/sim/provider.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface EvalRun {
  code: number;
  out: string;
}

/** stdout captured, stderr dropped, no environment variables, no TTY, the clock at `now` (default 2026-11-26). */
export async function runEval(
  suites: string[],
  flags: EvalFlags,
  opts: { cwd: string; now?: number } & Pick<EvalIo, 'clientFactory'>,
): Promise<EvalRun> {
  const out: string[] = [];
  const code = await runEvalCommand(suites, flags, {
    out: (t) => out.push(t),
    err: () => undefined,
    cwd: opts.cwd,
    env: {},
    clock: new ManualClock(opts.now ?? Date.UTC(2026, 10, 26)),
    tty: false,
    ...(opts.clientFactory ? { clientFactory: opts.clientFactory } : {}),
  });
  return { code, out: out.join('\n') };
}

// The examples use simulator scenarios; fast mode drops their latency so the tests stay quick.
const fast: ClientFactory = (s, d) => createSimulatorProvider({ ...s, fast: true }, d);

/** An example suite run from the repository root as its comment prints it, without the cache, on 2026-11-26. */
export function runExampleEval(suites: string[], flags: EvalFlags): Promise<EvalRun> {
  return runEval(suites, { cache: false, today: '2026-11-26', ...flags }, { cwd: ROOT, clientFactory: fast });
}
