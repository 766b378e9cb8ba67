/**
 * The little a store needs from a database: statements with bind parameters, and transactions. The
 * SQLite driver runs them synchronously on one connection (usage writes optionally on a writer thread's
 * own connection), the PostgreSQL driver on a pool; each maps
 * its errors to StoreErrors that name the operation (`op`, e.g. "writing usage") and the store.
 */
import type { Dialect } from './dialect.js';

export interface Stmt {
  sql: string;
  params: unknown[];
  /** Several statements in one text, without parameters (a migration's DDL). */
  script?: boolean;
  /** In a statement list: when this one changes no row, the rest is skipped and the transaction commits. */
  orStop?: boolean;
}

export interface StmtResult {
  rows: unknown[];
  /** Rows inserted, updated or deleted. */
  changes: number;
}

/**
 * A transaction's body: it yields statements and receives each one's result. A generator rather than
 * an async function so that SQLite runs it to the end without yielding the event loop while it holds
 * the write lock (another connection in this process would wait on it), and PostgreSQL awaits each statement.
 */
export type TxBody<T> = Generator<Stmt, T, StmtResult>;

export interface TxOptions {
  /** Take the write lock at BEGIN (SQLite's BEGIN IMMEDIATE; PostgreSQL locks rows as it goes). */
  immediate?: boolean;
  /** Deadline of the whole transaction, where the driver has one (PostgreSQL). */
  timeoutMs?: number;
}

export interface ReadOptions {
  /** A small read polled all the time: the short deadline that notices a lost host first (PostgreSQL). */
  probe?: boolean;
}

export interface SqlDriver {
  readonly dialect: Dialect;
  /** The store, for messages: `store /srv/modelpin.db`, `PostgreSQL at db:5432/modelpin`. */
  readonly where: string;
  /** How migrate() runs: these statements first in its transaction (PostgreSQL: lock, schema), with these options. */
  readonly migration: { prelude: readonly Stmt[]; tx: TxOptions };
  all(op: string, sql: string, params?: unknown[], opts?: ReadOptions): Promise<unknown[]>;
  get(op: string, sql: string, params?: unknown[]): Promise<unknown>;
  /** Rows handed to `consume` as they come (SQLite steps through them; PostgreSQL holds one result). */
  scan<T>(op: string, sql: string, params: unknown[], consume: (rows: Iterable<unknown>) => T): Promise<T>;
  /** One statement in its own transaction; the rows it changed. */
  run(op: string, sql: string, params?: unknown[]): Promise<number>;
  transaction<T>(op: string, body: TxBody<T>, opts?: TxOptions): Promise<T>;
  /**
   * A list of statements built in advance, in one transaction (see `Stmt.orStop`): the usage writes.
   * A list, not a body, so that a driver can hand it to another thread as it is (SQLite's writer thread).
   */
  writeList(op: string, stmts: readonly Stmt[]): Promise<void>;
  /** After a prune deleted rows (SQLite hands free pages back where the file allows it). */
  afterPrune?(op: string, signal?: AbortSignal): Promise<void>;
  close(): Promise<void>;
}

/** Inside a transaction body: `const rows = yield* selectRows(sql, params)`. */
export function* selectRows(sql: string, params: unknown[] = []): Generator<Stmt, unknown[], StmtResult> {
  return (yield { sql, params }).rows;
}

/** Inside a transaction body: the rows a statement changed. */
export function* change(sql: string, params: unknown[] = []): Generator<Stmt, number, StmtResult> {
  return (yield { sql, params }).changes;
}

/** A statement list as a transaction body, for drivers that run it like any other. */
export function* listBody(stmts: readonly Stmt[]): TxBody<void> {
  for (const s of stmts) if ((yield s).changes === 0 && s.orStop) return;
}

/** Run a body with a synchronous executor (SQLite). */
export function runBodySync<T>(body: TxBody<T>, exec: (s: Stmt) => StmtResult): T {
  for (let step = body.next(); ; step = body.next(exec(step.value))) if (step.done) return step.value;
}

/** Run a body, awaiting each statement (PostgreSQL). */
export async function runBody<T>(body: TxBody<T>, exec: (s: Stmt) => Promise<StmtResult>): Promise<T> {
  for (let step = body.next(); ; step = body.next(await exec(step.value))) if (step.done) return step.value;
}
