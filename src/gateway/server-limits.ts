/**
 * The gateway's own limits on client connections (`gateway.*_timeout_ms`, `gateway.max_connections`):
 * a client that sends its headers or body slowly, or opens connections without end, cannot hold the
 * gateway's sockets and memory.
 */
import type { Server } from 'node:http';
import type { GatewayConfig } from '../config/schema.js';

export type ServerLimits = Pick<
  GatewayConfig,
  'headers_timeout_ms' | 'request_timeout_ms' | 'keep_alive_timeout_ms' | 'max_connections'
>;

/**
 * How often Node looks for requests past their header or request deadline (a `createServer` option,
 * so fixed at start). Node's default of 30 s lets a 10 s limit run to 40 s: check at a quarter of the
 * shorter limit, between 50 ms and 1 s.
 */
export function checkingIntervalMs(limits: ServerLimits): number {
  return Math.min(1000, Math.max(50, Math.floor(Math.min(limits.headers_timeout_ms, limits.request_timeout_ms) / 4)));
}

/** Apply (or re-apply after a reload) the limits to a listening server; new values take effect for the next check. */
export function applyServerLimits(server: Server, limits: ServerLimits): void {
  server.headersTimeout = limits.headers_timeout_ms;
  server.requestTimeout = limits.request_timeout_ms;
  server.keepAliveTimeout = limits.keep_alive_timeout_ms;
  server.maxConnections = limits.max_connections;
}
