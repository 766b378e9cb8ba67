/**
 * The PostgreSQL connection pool, built to fail safe when the server or the network goes away:
 * - every client carries an error listener from the moment it connects until it is gone (pg-pool
 *   removes its own idle listener while a client is checked out, and an unhandled `error` event from
 *   a checked-out client on a connection reset used to crash the process);
 * - connecting, each statement (server-side `statement_timeout` plus a client-side read timeout for a
 *   host that stopped answering) and each transaction have a deadline, so a lost host turns into
 *   errors the callers retry, never a wait without end;
 * - TCP keepalive finds dead idle connections, `idle_in_transaction_session_timeout` lets the server
 *   drop the locks of a client that vanished mid-transaction;
 * - `end()` is bounded too: sockets that do not close politely are destroyed.
 */
import { Socket } from 'node:net';
import pg from 'pg';
import { postgresError } from './errors.js';

export interface PgPoolSettings {
  /** Most connections this process opens (default 10). */
  poolSize?: number;
  /** Connecting, and waiting for a free pooled connection (default 2.5 s). */
  connectTimeoutMs?: number;
  /** Longest one statement may take (default 10 s); a transaction gets twice that, plus a second. */
  queryTimeoutMs?: number;
  /**
   * Deadline of the small reads polled all the time (default 1.5 s): a host lost without a word (no
   * reset, packets dropped) shows only as an answer that never comes, and these reads are how a
   * gateway notices it within seconds, while bigger statements keep the longer query timeout.
   */
  probeTimeoutMs?: number;
  /** TCP keepalive: first probe after this much idle time (default 10 s). */
  keepAliveMs?: number;
  /** Passed as `-c options` on connect (e.g. search_path). */
  options?: string;
}

export const PG_POOL_DEFAULTS = {
  poolSize: 10,
  connectTimeoutMs: 2500,
  queryTimeoutMs: 10_000,
  probeTimeoutMs: 1500,
  keepAliveMs: 10_000,
} as const;

/** The client-side read timeout waits a little longer than the server's statement_timeout, so a slow but live server cancels first (a clean error, the connection stays usable). */
const READ_TIMEOUT_MARGIN_MS = 1000;
/** How long `end()` waits for connections to close politely before destroying them. */
const END_GRACE_MS = 1000;

/** What runs inside a transaction: the statements of one client, each with the transaction's own timeout. */
export interface PgTxClient {
  query(text: string, values?: unknown[]): Promise<pg.QueryResult>;
}

export interface TxOptions {
  /** Deadline for the whole transaction (default: twice the query timeout, plus a second). */
  timeoutMs?: number;
}

export class PgPool {
  private readonly pool: pg.Pool;
  private readonly sockets = new Set<Socket>();
  private readonly queryTimeoutMs: number;
  private readonly probeTimeoutMs: number;
  private ending: Promise<void> | null = null;

  constructor(
    private readonly url: string,
    settings: PgPoolSettings = {},
  ) {
    this.queryTimeoutMs = settings.queryTimeoutMs ?? PG_POOL_DEFAULTS.queryTimeoutMs;
    this.probeTimeoutMs = Math.min(settings.probeTimeoutMs ?? PG_POOL_DEFAULTS.probeTimeoutMs, this.queryTimeoutMs);
    const keepAliveMs = settings.keepAliveMs ?? PG_POOL_DEFAULTS.keepAliveMs;
    this.pool = new pg.Pool({
      connectionString: url,
      max: settings.poolSize ?? PG_POOL_DEFAULTS.poolSize,
      connectionTimeoutMillis: settings.connectTimeoutMs ?? PG_POOL_DEFAULTS.connectTimeoutMs,
      statement_timeout: this.queryTimeoutMs,
      query_timeout: this.queryTimeoutMs + READ_TIMEOUT_MARGIN_MS,
      idle_in_transaction_session_timeout: this.queryTimeoutMs,
      keepAlive: true,
      keepAliveInitialDelayMillis: keepAliveMs,
      application_name: 'modelpin',
      ...(settings.options ? { options: settings.options } : {}),
      // Our own sockets, so that end() can destroy the ones a lost host never closes.
      stream: () => this.track(new Socket()),
    });
    // An idle client losing its connection: pg-pool already removed it; the next query reports the outage.
    this.pool.on('error', () => {});
    // From connect to removal, whether idle or checked out: an `error` event always has a listener.
    this.pool.on('connect', (client) => client.on('error', () => {}));
  }

  /** Open sockets (tests check that nothing leaks). */
  get openSockets(): number {
    return this.sockets.size;
  }

  private track(socket: Socket): Socket {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    return socket;
  }

  /** One statement on any pooled connection. A connection that failed or timed out is discarded, not reused. */
  async query(op: string, text: string, values: unknown[] = []): Promise<pg.QueryResult> {
    try {
      return await this.pool.query(text, values);
    } catch (e) {
      throw postgresError(e, this.url, op);
    }
  }

  /** A small read polled all the time, with the short probe deadline (client side: the server may never see it). */
  async probe(op: string, text: string, values: unknown[] = []): Promise<pg.QueryResult> {
    try {
      return await this.pool.query(withReadTimeout(text, this.probeTimeoutMs, values));
    } catch (e) {
      throw postgresError(e, this.url, op);
    }
  }

  /**
   * BEGIN … COMMIT on one connection, with a deadline for the whole transaction. Whatever happens
   * (error, timeout, connection lost), the connection goes back to the pool or is destroyed: a timed
   * out transaction's connection is destroyed, which makes the server roll it back and free its locks.
   */
  async tx<T>(op: string, fn: (c: PgTxClient) => Promise<T>, opts: TxOptions = {}): Promise<T> {
    // Twice a statement's allowance: a slow but live server is stopped by statement_timeout first (a
    // clean rollback), so only a dead connection meets this deadline. Cutting a transaction while its
    // COMMIT may be on the wire leaves its outcome unknown, and the caller's retry may repeat it.
    const timeoutMs = opts.timeoutMs ?? 2 * this.queryTimeoutMs + READ_TIMEOUT_MARGIN_MS;
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (e) {
      throw postgresError(e, this.url, op);
    }
    let broken: Error | null = null;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        broken = new Error(`transaction timeout after ${timeoutMs} ms`);
        destroyConnection(client);
        reject(broken);
      }, timeoutMs);
      timer.unref();
    });
    // A longer transaction (migrations) lifts the statement timeouts for its own statements only.
    const perQuery = opts.timeoutMs !== undefined && opts.timeoutMs > this.queryTimeoutMs ? opts.timeoutMs : undefined;
    const run = (text: string, values?: unknown[]): Promise<pg.QueryResult> =>
      perQuery === undefined
        ? client.query(text, values)
        : client.query(withReadTimeout(text, perQuery + READ_TIMEOUT_MARGIN_MS, values));
    const tc: PgTxClient = {
      query: async (text, values) => {
        if (broken) throw broken;
        return run(text, values);
      },
    };
    try {
      const body = (async () => {
        await run('BEGIN');
        if (perQuery !== undefined) await run(`SET LOCAL statement_timeout = ${Math.floor(perQuery)}`);
        const out = await fn(tc);
        await run('COMMIT');
        return out;
      })();
      // The body keeps running after a timeout only until its next statement fails on the destroyed connection.
      body.catch(() => {});
      return await Promise.race([body, deadline]);
    } catch (e) {
      broken ??= e instanceof Error ? e : new Error(String(e));
      throw postgresError(e, this.url, op);
    } finally {
      clearTimeout(timer);
      if (broken) {
        // ROLLBACK only on a connection that still works; a dead or timed-out one is thrown away.
        const alive = !isDestroyed(client) && (await rollback(client, this.queryTimeoutMs));
        client.release(alive ? undefined : broken);
      } else {
        client.release();
      }
    }
  }

  /** Close every connection: politely first, then by force after a short grace (a lost host never answers the goodbye). */
  end(): Promise<void> {
    this.ending ??= (async () => {
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, END_GRACE_MS);
        timer.unref();
      });
      await Promise.race([this.pool.end().catch(() => {}), grace]);
      clearTimeout(timer);
      for (const s of this.sockets) s.destroy();
      this.sockets.clear();
    })();
    return this.ending;
  }
}

/** node-postgres reads a per-query `query_timeout` (not in its type definitions). */
function withReadTimeout(text: string, ms: number, values: unknown[] = []): pg.QueryConfig {
  const config: pg.QueryConfig & { query_timeout: number } = { text, values, query_timeout: ms };
  return config;
}

function connectionOf(client: pg.PoolClient): { stream: { destroy(): void; destroyed?: boolean } } {
  return client.connection as unknown as { stream: { destroy(): void; destroyed?: boolean } };
}

function destroyConnection(client: pg.PoolClient): void {
  connectionOf(client).stream.destroy();
}

function isDestroyed(client: pg.PoolClient): boolean {
  return connectionOf(client).stream.destroyed === true;
}

async function rollback(client: pg.PoolClient, timeoutMs: number): Promise<boolean> {
  try {
    await client.query(withReadTimeout('ROLLBACK', timeoutMs));
    return true;
  } catch {
    return false;
  }
}
