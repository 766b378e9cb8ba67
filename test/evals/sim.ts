import { fileURLToPath } from 'node:url';
import { createSimulatorProvider } from '../../src/sim/provider.js';
import { ManualClock, type Clock } from '../../src/core/clock.js';
import { runEvalCommand, type ClientFactory, type EvalFlags } from '../../src/evals/eval-command.js';
import type { ProviderClient, ProviderSettings } from '../../src/providers/types.js';

export const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));

/** Scenario names used by fixture configs map to files in test/evals/fixtures. */
export function simFactory(settings: ProviderSettings, deps: { clock: Clock }): ProviderClient {
  const s = settings.scenario;
  const scenario = s && /^(eval-scenario|flaky-scenario|latency-20ms)$/.test(s) ? `${FIXTURES}${s}.yml` : s;
  return createSimulatorProvider({ ...settings, ...(scenario ? { scenario } : {}) }, { clock: deps.clock });
}

/** `modelpin eval` in-process on the fixtures' day (2026-11-26), with its output captured. */
export async function evalInProcess(
  suites: string[],
  flags: EvalFlags,
  opts: { cwd: string; clientFactory?: ClientFactory },
): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runEvalCommand(suites, flags, {
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    cwd: opts.cwd,
    env: {},
    clock: new ManualClock(Date.UTC(2026, 10, 26)),
    tty: false,
    ...(opts.clientFactory ? { clientFactory: opts.clientFactory } : {}),
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}
