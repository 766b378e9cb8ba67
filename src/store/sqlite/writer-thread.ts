/**
 * Usage writes on a thread of their own: a second better-sqlite3 connection to the same file, in a
 * worker thread, runs the statement lists SqlStore builds (one transaction each), so neither the
 * statements nor the COMMIT (nor WAL checkpoints) run on the event loop. WAL mode lets the main
 * connection read meanwhile; a write is acknowledged after its COMMIT, so a read started after
 * the acknowledgement sees it.
 *
 * The main thread ships statement texts once per thread (then their numbers) and each statement's
 * parameters, plain values: cheaper to copy than the batch itself, whose rollups hold Maps
 * (bench/usage-post-cost.ts measures both).
 *
 * A thread that dies (crash, out of memory, terminated) fails the writes it held with a retryable
 * StoreError naming the store; the next write starts a new thread. The usage writer retries a
 * failed batch under the same id, so one that committed before the thread died is not counted twice.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { StoreError } from '../../core/errors.js';
import type { Stmt } from '../sql/driver.js';
import { sqliteError } from './errors.js';
import { WRITER_BODY } from './writer-body.js';

export interface WriterThreadOptions {
  busyTimeoutMs: number;
  /** Run on the thread's connection too: pragmas such as `max_page_count` hold per connection. */
  pragmas: readonly string[];
  /** Path of the better-sqlite3 module the thread loads (default: the one this module resolves). */
  driver?: string;
}

/** Texts numbered per thread at most; past this, statements carry their text (never reached by the usage writes). */
const MAX_TEXTS = 512;

interface Pending {
  op: string;
  resolve: () => void;
  reject: (e: StoreError) => void;
}

interface Thread {
  worker: Worker;
  pending: Map<number, Pending>;
  texts: Map<string, number>;
  /** Why it stopped, from its 'error' event (which comes before 'exit'). */
  failure?: unknown;
}

type Reply = { id: number; error?: { code: string; message: string } };

function isReply(m: unknown): m is Reply {
  return typeof m === 'object' && m !== null && typeof (m as { id?: unknown }).id === 'number';
}

export class SqliteWriterThread {
  private thread: Thread | null = null;
  private nextId = 1;
  private closing: Promise<void> | null = null;
  private readonly drained: (() => void)[] = [];
  private readonly driver: string;

  constructor(
    private readonly file: string,
    private readonly opts: WriterThreadOptions,
  ) {
    this.driver = opts.driver ?? createRequire(import.meta.url).resolve('better-sqlite3');
  }

  /** Runs the statements in one transaction on the thread; resolves after COMMIT. */
  write(op: string, stmts: readonly Stmt[]): Promise<void> {
    if (this.closing) return Promise.reject(new StoreError(`store ${this.file} is closed (${op})`));
    const t = this.thread ?? this.start();
    const add: string[] = [];
    const list = stmts.map((s) => [this.textOf(t, s.sql, add), s.params, s.orStop === true]);
    const id = this.nextId++;
    return new Promise<void>((resolve, reject) => {
      t.pending.set(id, { op, resolve, reject });
      if (t.pending.size === 1) t.worker.ref();
      try {
        t.worker.postMessage({ id, add, stmts: list });
      } catch (e) {
        // Not sent (a value that cannot be copied): the thread never saw these texts.
        for (const s of add) t.texts.delete(s);
        this.settle(t, id, sqliteError(e, this.file, op));
      }
    });
  }

  /** Waits for the writes sent, then closes the thread's connection and ends the thread. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      const t = this.thread;
      if (t === null) return;
      if (t.pending.size > 0) await new Promise<void>((res) => this.drained.push(res));
      if (this.thread !== t) return; // it died meanwhile
      t.worker.ref();
      const exited = new Promise<void>((res) => t.worker.once('exit', () => res()));
      t.worker.postMessage({ close: true });
      await exited;
    })();
    return this.closing;
  }

  /** The running thread's id (null before the first write and after it stopped). */
  get threadId(): number | null {
    return this.thread?.worker.threadId ?? null;
  }

  /** Ends the thread at once, as a crash would: its pending writes fail (retryable). */
  async terminate(): Promise<void> {
    await this.thread?.worker.terminate();
  }

  private start(): Thread {
    const { busyTimeoutMs, pragmas } = this.opts;
    const worker = new Worker(WRITER_BODY, {
      eval: true,
      // A batch's parameters are all it allocates: a small young generation keeps the thread's memory small.
      resourceLimits: { maxYoungGenerationSizeMb: 4 },
      workerData: { file: this.file, driver: this.driver, busyTimeoutMs, pragmas: [...pragmas] },
    });
    const t: Thread = { worker, pending: new Map(), texts: new Map() };
    // Idle, the thread must not keep the process alive; a write in flight does (see write()).
    worker.unref();
    worker.on('message', (m: unknown) => this.onReply(t, m));
    // Without a listener an error in the thread would be thrown in this one: the process must survive it.
    worker.on('error', (e) => (t.failure = e));
    worker.on('exit', (code) => this.onExit(t, code));
    this.thread = t;
    return t;
  }

  private textOf(t: Thread, sql: string, add: string[]): number | string {
    let n = t.texts.get(sql);
    if (n === undefined) {
      if (t.texts.size >= MAX_TEXTS) return sql;
      t.texts.set(sql, (n = t.texts.size));
      add.push(sql);
    }
    return n;
  }

  private onReply(t: Thread, m: unknown): void {
    if (!isReply(m)) return;
    const p = t.pending.get(m.id);
    if (p === undefined) return;
    if (m.error === undefined) return this.settle(t, m.id);
    // Rebuilt with the driver's code, so the message and retryable flag are those of the synchronous path.
    const e = Object.assign(new Error(m.error.message), { code: m.error.code });
    this.settle(t, m.id, sqliteError(e, this.file, p.op));
  }

  private onExit(t: Thread, code: number): void {
    if (this.thread === t) this.thread = null;
    const why = t.failure instanceof Error ? t.failure.message : this.closing ? 'closed' : `exited with code ${code}`;
    for (const [id, p] of t.pending)
      this.settle(
        t,
        id,
        new StoreError(`store ${this.file}: the writer thread stopped while ${p.op} (${why}); retry`, {
          retryable: true,
          cause: t.failure,
          details: { file: this.file, exitCode: code },
        }),
      );
  }

  private settle(t: Thread, id: number, error?: StoreError): void {
    const p = t.pending.get(id);
    if (p === undefined) return;
    t.pending.delete(id);
    if (t.pending.size === 0) {
      t.worker.unref();
      for (const res of this.drained.splice(0)) res();
    }
    if (error) p.reject(error);
    else p.resolve();
  }
}
