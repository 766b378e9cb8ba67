import type { Metric, Registry } from 'prom-client';

/**
 * Register a metric on the gateway's registry once: a second extension instance (tests, reload)
 * reuses the existing one instead of failing on a duplicate name.
 */
export function registerOnce<M extends Metric>(registry: Registry, name: string, make: () => M): M {
  const existing = registry.getSingleMetric(name);
  if (existing) return existing as M;
  const m = make();
  registry.registerMetric(m);
  return m;
}
