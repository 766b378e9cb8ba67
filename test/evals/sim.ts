import { fileURLToPath } from 'node:url';
import { createSimulatorProvider } from '../../src/sim/provider.js';
import type { Clock } from '../../src/core/clock.js';
import type { ProviderClient, ProviderSettings } from '../../src/providers/types.js';

export const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));

/** Scenario names used by fixture configs map to files in test/evals/fixtures. */
export function simFactory(settings: ProviderSettings, deps: { clock: Clock }): ProviderClient {
  const s = settings.scenario;
  const scenario = s && /^(eval-scenario|flaky-scenario|latency-20ms)$/.test(s) ? `${FIXTURES}${s}.yml` : s;
  return createSimulatorProvider({ ...settings, ...(scenario ? { scenario } : {}) }, { clock: deps.clock });
}
