/**
 * The gateway's HTTP listener: the node:http server with its connection limits and timeouts, the count
 * of requests in flight, and the drain on close. What a request means is the handler's business.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Server as NetServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { UsageError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { applyServerLimits, checkingIntervalMs, type ServerLimits } from './server-limits.js';

export interface ListenerOptions {
  host: string;
  port: number;
  limits: ServerLimits;
  logger: Logger;
  /** Answers one request; a rejection is logged and answered with a generic 500. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** A connection was refused because `gateway.max_connections` were open. */
  onDrop(maxConnections: number): void;
}

export interface Listener {
  readonly port: number;
  /** Apply new limits after a config reload. */
  applyLimits(limits: ServerLimits): void;
  /**
   * Stop accepting, answer what is in flight with `Connection: close`, give idle keep-alive
   * connections a grace period, then close what is left.
   */
  close(): Promise<void>;
}

/** How long a drain waits for idle keep-alive connections to send one last request or go away. */
const DRAIN_IDLE_GRACE_MS = 300;

/** net.Server's close: stop listening without http's closing of idle connections. */
const netServerClose = NetServer.prototype.close;

/** Listen on host:port; a port in use or an address not on this machine is a UsageError naming the flags to change. */
export async function listen(o: ListenerOptions): Promise<Listener> {
  // A counter rather than a set of promises: two fewer promises per request, same drain on close.
  let inFlight = 0;
  let drained: (() => void) | null = null;
  /** Set by close(): every answer from then on closes its connection. */
  let draining = false;
  const done = (): void => {
    if (--inFlight === 0 && drained) drained();
  };
  const failed = (res: ServerResponse, e: unknown): void => {
    o.logger.log('error', 'unhandled gateway error', { error: e instanceof Error ? e.message : String(e) });
    if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { message: 'internal gateway error', type: 'internal' } }));
  };
  const server = createServer(
    {
      headersTimeout: o.limits.headers_timeout_ms,
      requestTimeout: o.limits.request_timeout_ms,
      connectionsCheckingInterval: checkingIntervalMs(o.limits),
    },
    (req: IncomingMessage, res: ServerResponse) => {
      inFlight++;
      // A keep-alive client reads this and sends its next request elsewhere, instead of on a socket about to close.
      if (draining) res.setHeader('connection', 'close');
      o.handle(req, res).then(done, (e: unknown) => {
        try {
          failed(res, e);
        } finally {
          done();
        }
      });
    },
  );
  applyServerLimits(server, o.limits);
  server.on('drop', () => o.onDrop(server.maxConnections));
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(o.port, o.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === 'EADDRINUSE'
        ? 'the port is already in use'
        : code === 'EADDRNOTAVAIL'
          ? 'the address is not available on this machine'
          : (e as Error).message;
    throw new UsageError(`cannot listen on ${o.host}:${o.port}: ${why}; choose another with --port/--host`);
  }

  const untilDrained = async (): Promise<void> => {
    while (inFlight > 0) await new Promise<void>((resolve) => (drained = resolve));
    drained = null;
  };
  return {
    port: (server.address() as AddressInfo).port,
    applyLimits: (limits) => applyServerLimits(server, limits),
    async close() {
      draining = true;
      // Stop accepting connections, but leave idle keep-alive ones open (http's close() would destroy
      // them at once): a client may be sending a request on one right now, and would get a reset.
      // Requests that arrive on them are answered with `Connection: close` and the socket ends cleanly.
      const stopped = new Promise<void>((resolve) => netServerClose.call(server, () => resolve()));
      await untilDrained();
      await untilNoConnections(server, DRAIN_IDLE_GRACE_MS);
      await untilDrained();
      // Whatever is still open has been idle for the whole grace period.
      server.close();
      server.closeAllConnections();
      await stopped;
    },
  };
}

/** Resolves once the server has no open connection, or after `graceMs`. */
async function untilNoConnections(server: Server, graceMs: number): Promise<void> {
  const until = performance.now() + graceMs;
  while (performance.now() < until) {
    const open = await new Promise<number>((resolve) => server.getConnections((e, n) => resolve(e ? 0 : n)));
    if (open === 0) return;
    await new Promise((r) => setTimeout(r, 10));
  }
}
