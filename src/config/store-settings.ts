/**
 * Settings of the `store:` section beyond where the store is: how a gateway reacts to a store that is
 * unreachable, and the PostgreSQL connection's pool size and timeouts. All optional; the defaults
 * live here, next to their zod shapes, and docs/store.md explains them.
 */
import { z } from 'zod';
import type { StoreConfig } from './schema.js';

export const STORE_DEFAULTS = {
  max_staleness_ms: 30_000,
  unready_when_stale: false,
  pool_size: 10,
  connect_timeout_ms: 2500,
  query_timeout_ms: 10_000,
  probe_timeout_ms: 1500,
  migration_timeout_ms: 600_000,
  keepalive_ms: 10_000,
  shutdown_grace_ms: 5000,
} as const;

const ms = (what: string, def: number) =>
  z.number().int().positive().optional().describe(`${what} (milliseconds, default ${def})`);

/** Both store types: how stale the routing state read from the store may get, and what that means for /readyz. */
export const storeFreshnessShape = {
  max_staleness_ms: ms(
    'Overrides and canaries older than this (store unreachable) are reported stale in /readyz and /metrics',
    STORE_DEFAULTS.max_staleness_ms,
  ),
  unready_when_stale: z
    .boolean()
    .optional()
    .describe(
      'Answer 503 on /readyz while the routing state is stale (default false: a store outage alone never takes gateways out of rotation)',
    ),
  shutdown_grace_ms: ms(
    'On shutdown, the longest the gateway waits for the store to take the usage it holds; what is not saved by then is logged as not saved and the process exits with status 3',
    STORE_DEFAULTS.shutdown_grace_ms,
  ),
};

/** PostgreSQL only: the connection pool and its deadlines. */
export const postgresConnectionShape = {
  pool_size: z
    .number()
    .int()
    .min(1)
    .max(1000)
    .optional()
    .describe(`Most connections one process opens (default ${STORE_DEFAULTS.pool_size})`),
  connect_timeout_ms: ms('Deadline to connect, or to get a pooled connection', STORE_DEFAULTS.connect_timeout_ms),
  query_timeout_ms: ms(
    'Deadline of each statement (statement_timeout, idle_in_transaction_session_timeout, and a client-side read timeout one second longer); a transaction gets twice that plus a second',
    STORE_DEFAULTS.query_timeout_ms,
  ),
  probe_timeout_ms: ms(
    'Deadline of the small reads a gateway polls (overrides, canaries, runtime shadows), which are what notices a lost host: two failing polls a second apart declare the store unreachable',
    STORE_DEFAULTS.probe_timeout_ms,
  ),
  migration_timeout_ms: ms('Deadline of the migration transaction at start-up', STORE_DEFAULTS.migration_timeout_ms),
  keepalive_ms: ms('TCP keepalive: idle time before the first probe', STORE_DEFAULTS.keepalive_ms),
};

export interface StoreFreshness {
  maxStalenessMs: number;
  unreadyWhenStale: boolean;
}

export function storeFreshness(config: StoreConfig): StoreFreshness {
  return {
    maxStalenessMs: config.max_staleness_ms ?? STORE_DEFAULTS.max_staleness_ms,
    unreadyWhenStale: config.unready_when_stale ?? STORE_DEFAULTS.unready_when_stale,
  };
}

export interface PostgresConnectionSettings {
  poolSize: number;
  connectTimeoutMs: number;
  queryTimeoutMs: number;
  probeTimeoutMs: number;
  migrationTimeoutMs: number;
  keepAliveMs: number;
}

export function postgresConnection(config: Extract<StoreConfig, { type: 'postgres' }>): PostgresConnectionSettings {
  return {
    poolSize: config.pool_size ?? STORE_DEFAULTS.pool_size,
    connectTimeoutMs: config.connect_timeout_ms ?? STORE_DEFAULTS.connect_timeout_ms,
    queryTimeoutMs: config.query_timeout_ms ?? STORE_DEFAULTS.query_timeout_ms,
    probeTimeoutMs: config.probe_timeout_ms ?? STORE_DEFAULTS.probe_timeout_ms,
    migrationTimeoutMs: config.migration_timeout_ms ?? STORE_DEFAULTS.migration_timeout_ms,
    keepAliveMs: config.keepalive_ms ?? STORE_DEFAULTS.keepalive_ms,
  };
}
