/**
 * What `/readyz` answers, as data. Ready means "this gateway can serve requests now": it has its
 * config and listens. A store outage alone does not make it unready: it keeps serving from the config
 * file and the last overrides and canaries it read, and a readiness probe that failed on every
 * gateway during an outage would take the whole fleet out of the load balancer while it still
 * answers. The age of that routing state is always in the body (and in /metrics); only when
 * `store.unready_when_stale` is set does routing state older than `store.max_staleness_ms` make it
 * unready, for teams that prefer a gateway out of rotation to one routing on stale overrides.
 */
export interface ReadinessInput {
  now: number;
  /** When the gateway started (the age of a routing state never read from the store). */
  startedAt: number;
  storeUp: boolean;
  /** Last successful read of overrides and canaries; null when the store was never reached. */
  lastReadAt: number | null;
  maxStalenessMs: number;
  unreadyWhenStale: boolean;
}

export interface Readiness {
  ready: boolean;
  ageMs: number;
  stale: boolean;
  body: {
    status: 'ready' | 'not_ready';
    config: 'loaded';
    store: 'reachable' | 'unreachable';
    routing_state: { source: 'store' | 'config_file'; age_ms: number; max_staleness_ms: number; stale: boolean };
    reason?: string;
  };
}

export function readiness(i: ReadinessInput): Readiness {
  const ageMs = Math.max(0, i.now - (i.lastReadAt ?? i.startedAt));
  const stale = ageMs > i.maxStalenessMs;
  const ready = !(stale && i.unreadyWhenStale);
  const source = i.lastReadAt === null ? 'config_file' : 'store';
  return {
    ready,
    ageMs,
    stale,
    body: {
      status: ready ? 'ready' : 'not_ready',
      config: 'loaded',
      store: i.storeUp ? 'reachable' : 'unreachable',
      routing_state: { source, age_ms: ageMs, max_staleness_ms: i.maxStalenessMs, stale },
      ...(ready
        ? {}
        : {
            reason: `overrides and canaries were last read from the store ${Math.round(ageMs / 1000)} s ago, more than store.max_staleness_ms (${i.maxStalenessMs}), and store.unready_when_stale is true`,
          }),
    },
  };
}
