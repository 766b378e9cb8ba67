/** /metrics gauges for the store as the gateway sees it: reachable or not, and how old its routing state is. */
import type { GatewayMetrics } from './metrics.js';
import type { Readiness } from './readiness.js';

export function registerStoreGauges(metrics: GatewayMetrics, now: () => Readiness): void {
  metrics.gauge('modelpin_store_up', 'The store answered the last call (1) or is unreachable (0)', [], () => [
    { value: now().body.store === 'reachable' ? 1 : 0 },
  ]);
  metrics.gauge(
    'modelpin_routing_state_age_seconds',
    'Age of the overrides and canaries last read from the store (since start when never read)',
    [],
    () => [{ value: now().ageMs / 1000 }],
  );
  metrics.gauge(
    'modelpin_routing_state_stale',
    'Routing state older than store.max_staleness_ms (1) or fresh (0)',
    [],
    () => [{ value: now().stale ? 1 : 0 }],
  );
}
