/**
 * Shared store on PostgreSQL for several gateways: statements on a pool with deadlines and error
 * listeners (pool.ts), ON CONFLICT upserts, JSONB for structured columns. A `schema` option isolates
 * tenants/tests (created if missing).
 */
import { systemClock, type Clock } from '../../core/clock.js';
import { StoreError } from '../../core/errors.js';
import { describePostgres } from '../redact.js';
import { postgresDialect } from '../sql/dialect.js';
import {
  listBody,
  runBody,
  type ReadOptions,
  type SqlDriver,
  type Stmt,
  type TxBody,
  type TxOptions,
} from '../sql/driver.js';
import { SqlStore } from '../sql/sql-store.js';
import { PgPool, type PgPoolSettings } from './pool.js';

export interface PostgresStoreOptions extends Omit<PgPoolSettings, 'options'> {
  /** Schema holding the tables (default `public`). Created if missing. */
  schema?: string;
  /** Deadline of the migration transaction (default 10 min: a migration may rewrite large tables). */
  migrationTimeoutMs?: number;
  clock?: Clock;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
/** Arbitrary constant key for pg_advisory_xact_lock: serialises concurrent migrate() calls. */
const MIGRATION_LOCK_KEY = 0x6d6f6470;

class PostgresDriver implements SqlDriver {
  readonly dialect = postgresDialect;
  readonly where: string;
  readonly migration: { prelude: Stmt[]; tx: TxOptions };
  readonly pool: PgPool;
  private closed = false;

  constructor(url: string, schema: string, opts: PostgresStoreOptions) {
    this.where = describePostgres(url);
    this.migration = {
      prelude: [
        { sql: 'SELECT pg_advisory_xact_lock($1)', params: [MIGRATION_LOCK_KEY] },
        { sql: `CREATE SCHEMA IF NOT EXISTS ${schema}`, params: [] },
        { sql: `SET LOCAL search_path = ${schema}`, params: [] },
      ],
      tx: { timeoutMs: opts.migrationTimeoutMs ?? 600_000 },
    };
    const { schema: _s, clock: _c, migrationTimeoutMs: _m, ...pool } = opts;
    this.pool = new PgPool(url, { ...pool, options: `-c search_path=${schema}` });
  }

  async all(op: string, sql: string, params: unknown[] = [], opts: ReadOptions = {}): Promise<unknown[]> {
    const res = opts.probe ? await this.pool.probe(op, sql, params) : await this.pool.query(op, sql, params);
    return res.rows as unknown[];
  }

  async get(op: string, sql: string, params: unknown[] = []): Promise<unknown> {
    return (await this.all(op, sql, params))[0];
  }

  async scan<T>(op: string, sql: string, params: unknown[], consume: (rows: Iterable<unknown>) => T): Promise<T> {
    return consume(await this.all(op, sql, params));
  }

  async run(op: string, sql: string, params: unknown[] = []): Promise<number> {
    return (await this.pool.query(op, sql, params)).rowCount ?? 0;
  }

  transaction<T>(op: string, body: TxBody<T>, opts: TxOptions = {}): Promise<T> {
    return this.pool.tx(
      op,
      (c) =>
        runBody(body, async (s) => {
          const res = await c.query(s.sql, s.params);
          return { rows: res.rows as unknown[], changes: res.rowCount ?? 0 };
        }),
      opts.timeoutMs === undefined ? {} : { timeoutMs: opts.timeoutMs },
    );
  }

  writeList(op: string, stmts: readonly Stmt[]): Promise<void> {
    return this.transaction(op, listBody(stmts));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }
}

export class PostgresStore extends SqlStore {
  readonly schema: string;
  private readonly driver: PostgresDriver;

  constructor(url: string, opts: PostgresStoreOptions = {}) {
    const schema = opts.schema ?? 'public';
    if (!SCHEMA_NAME.test(schema))
      throw new StoreError(`invalid PostgreSQL schema name "${schema}" (use lowercase letters, digits, _)`);
    const driver = new PostgresDriver(url, schema, opts);
    super(driver, opts.clock ?? systemClock);
    this.schema = schema;
    this.driver = driver;
  }

  /** Sockets still open (tests: nothing leaks after close()). */
  get openSockets(): number {
    return this.driver.pool.openSockets;
  }
}
