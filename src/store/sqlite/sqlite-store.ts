/**
 * Embedded store on better-sqlite3. WAL lets gateways and the CLI open the same file at once;
 * busy_timeout makes a writer wait for another process's lock instead of failing.
 * better-sqlite3 is synchronous: each call runs one prepared statement or one whole transaction, so
 * the gateway's usage writes go to a writer thread with a connection of its own (writer-thread.ts).
 */
import Database from 'better-sqlite3';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { systemClock, type Clock } from '../../core/clock.js';
import { StoreError } from '../../core/errors.js';
import { turn } from '../prune.js';
import { sqliteDialect } from '../sql/dialect.js';
import {
  listBody,
  runBodySync,
  type SqlDriver,
  type Stmt,
  type StmtResult,
  type TxBody,
  type TxOptions,
} from '../sql/driver.js';
import { SqlStore } from '../sql/sql-store.js';
import { sqliteError } from './errors.js';
import { SqliteWriterThread } from './writer-thread.js';

export interface SqliteStoreOptions {
  /** Fail instead of creating a new database file (read-only commands). */
  mustExist?: boolean;
  busyTimeoutMs?: number;
  clock?: Clock;
  /** Extra `PRAGMA` statements run after open (tests use `max_page_count` to simulate a full disk). */
  pragmas?: string[];
  /**
   * Usage writes on a thread of their own with its own connection (writer-thread.ts): the gateway's
   * choice, off the event loop. Without it (commands, tests) they run here, synchronously. Not for `:memory:`.
   */
  writerThread?: boolean;
  /** The better-sqlite3 module the writer thread loads (default: this one's; tests substitute one that crashes). */
  writerThreadDriver?: string;
}

/** Pages handed back per `incremental_vacuum` step (4 MiB at the default page size), with a turn of the event loop between steps. */
const VACUUM_PAGES_PER_STEP = 1024;
/** `PRAGMA auto_vacuum` value for INCREMENTAL. */
const AUTO_VACUUM_INCREMENTAL = 2;

class SqliteDriver implements SqlDriver {
  readonly dialect = sqliteDialect;
  readonly where: string;
  // IMMEDIATE takes the write lock first, so two processes migrating at once serialise.
  readonly migration = { prelude: [], tx: { immediate: true } };
  private readonly db: Database.Database;
  private readonly stmts = new Map<string, Database.Statement>();
  private readonly writer: SqliteWriterThread | null;

  constructor(
    readonly file: string,
    opts: SqliteStoreOptions,
  ) {
    this.where = `store ${file}`;
    const busyTimeout = Math.max(0, Math.floor(opts.busyTimeoutMs ?? 5000));
    if (opts.mustExist && file !== ':memory:' && !existsSync(file))
      throw new StoreError(`store ${file} does not exist (nothing recorded yet, or a wrong store path)`, {
        details: { file },
      });
    try {
      if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
      this.db = new Database(file);
    } catch (e) {
      throw sqliteError(e, file, 'opening');
    }
    try {
      // Reading journal_mode touches the header, so a non-database file fails here, not later.
      this.db.pragma('journal_mode = WAL');
      this.db.pragma(`busy_timeout = ${busyTimeout}`);
      this.db.pragma('synchronous = NORMAL');
      this.db.pragma('foreign_keys = ON');
      for (const p of opts.pragmas ?? []) this.db.pragma(p);
    } catch (e) {
      this.db.close();
      throw sqliteError(e, file, 'opening');
    }
    this.writer =
      opts.writerThread && file !== ':memory:'
        ? new SqliteWriterThread(file, {
            busyTimeoutMs: busyTimeout,
            pragmas: opts.pragmas ?? [],
            ...(opts.writerThreadDriver ? { driver: opts.writerThreadDriver } : {}),
          })
        : null;
  }

  private attempt<T>(op: string, fn: () => T): Promise<T> {
    try {
      return Promise.resolve(fn());
    } catch (e) {
      return Promise.reject(sqliteError(e, this.file, op));
    }
  }

  /** Prepared once per text: every usage flush finds its statements here. */
  private stmt(sql: string): Database.Statement {
    let s = this.stmts.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.stmts.set(sql, s);
    }
    return s;
  }

  /** Parameters as arguments: better-sqlite3 binds those faster than the elements of one array. */
  private exec(s: Stmt): StmtResult {
    if (s.script) {
      this.db.exec(s.sql);
      return { rows: [], changes: 0 };
    }
    const st = this.stmt(s.sql);
    return st.reader ? { rows: st.all(...s.params), changes: 0 } : { rows: [], changes: st.run(...s.params).changes };
  }

  all(op: string, sql: string, params: unknown[] = []): Promise<unknown[]> {
    return this.attempt(op, () => this.stmt(sql).all(...params));
  }

  get(op: string, sql: string, params: unknown[] = []): Promise<unknown> {
    return this.attempt(op, () => this.stmt(sql).get(...params));
  }

  scan<T>(op: string, sql: string, params: unknown[], consume: (rows: Iterable<unknown>) => T): Promise<T> {
    return this.attempt(op, () => consume(this.stmt(sql).iterate(...params)));
  }

  run(op: string, sql: string, params: unknown[] = []): Promise<number> {
    return this.attempt(op, () => this.stmt(sql).run(...params).changes);
  }

  transaction<T>(op: string, body: TxBody<T>, opts: TxOptions = {}): Promise<T> {
    return this.attempt(op, () => {
      // Synchronous to the end: yielding while holding the lock would stall a second connection in this process.
      const tx = this.db.transaction(() => runBodySync(body, (s) => this.exec(s)));
      return opts.immediate ? tx.immediate() : tx();
    });
  }

  writeList(op: string, stmts: readonly Stmt[]): Promise<void> {
    return this.writer ? this.writer.write(op, stmts) : this.transaction(op, listBody(stmts));
  }

  /** The writer thread, for tests that stop it as a crash would. */
  get writerThread(): SqliteWriterThread | null {
    return this.writer;
  }

  /**
   * Deleted rows leave free pages that SQLite reuses for new rows, so the file stops growing but does
   * not shrink. A database created with `auto_vacuum = INCREMENTAL` can hand them back step by step;
   * otherwise only a full VACUUM could, which rewrites the file under an exclusive lock: never automatic.
   */
  async afterPrune(op: string, signal?: AbortSignal): Promise<void> {
    const value = (p: string): Promise<number> => this.attempt(op, () => Number(this.db.pragma(p, { simple: true })));
    if ((await value('auto_vacuum')) !== AUTO_VACUUM_INCREMENTAL) return;
    let free = await value('freelist_count');
    while (free > 0 && !signal?.aborted) {
      // Stepped to the end (not `simple`): each page freed is one step of this pragma.
      await this.attempt(op, () => this.db.pragma(`incremental_vacuum(${VACUUM_PAGES_PER_STEP})`));
      const left = await value('freelist_count');
      if (left >= free) return;
      free = left;
      await turn();
    }
  }

  /** The writer thread first: the writes it holds finish, then both connections close. */
  async close(): Promise<void> {
    await this.writer?.close();
    return this.attempt('closing', () => {
      if (this.db.open) this.db.close();
    });
  }
}

/**
 * Raw rows per usage batch with a writer thread. Handing a batch over costs the event loop about one
 * wake-up of the idle thread (0.1-0.2 ms of CPU measured on a 2-core VM, whatever the size), so batches
 * go once per flush interval up to this many rows; the thread's transaction then holds the write lock
 * a few milliseconds, which a write on the main connection (rare: overrides, served models) waits out.
 */
export const THREAD_BATCH_ROWS = 500;

export class SqliteStore extends SqlStore {
  readonly file: string;
  /** The usage writes' thread (null when they run on the main connection). */
  readonly writerThread: SqliteWriterThread | null;
  readonly usageBatchRows?: number;

  constructor(file: string, opts: SqliteStoreOptions = {}) {
    const driver = new SqliteDriver(file, opts);
    super(driver, opts.clock ?? systemClock);
    this.file = file;
    this.writerThread = driver.writerThread;
    if (this.writerThread) this.usageBatchRows = THREAD_BATCH_ROWS;
  }
}
