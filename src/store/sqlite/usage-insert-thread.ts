/**
 * Main-thread side of the usage insert thread: posts encoded batches to a worker that owns its own
 * connection to the store file and resolves each insert when the worker acks its commit, so
 * `insertUsage` keeps its meaning (resolved = durable in the file, rejected = nothing written).
 * A crashed worker fails the batches it held (retryable StoreError) and is started again on the
 * next insert, so UsageWriter's retry/backoff works unchanged.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { StoreError } from '../../core/errors.js';
import { sqliteError } from './errors.js';
import type { UsageAckMessage, UsageBatchMessage, UsageCloseMessage, UsageWorkerData } from './usage-insert-protocol.js';

export type UsageWorkerFactory = (data: UsageWorkerData) => Worker;

const COMPILED_WORKER = new URL('./usage-insert-worker.js', import.meta.url);

/**
 * The compiled worker next to this module (dist/). Running from the TypeScript sources (vitest,
 * tsx) there is no .js beside this file and a worker cannot load .ts by itself: null, and the
 * store then inserts on the calling thread as before.
 */
export function defaultUsageWorkerFactory(): UsageWorkerFactory | null {
  if (COMPILED_WORKER.protocol !== 'file:' || !existsSync(fileURLToPath(COMPILED_WORKER))) return null;
  return (data) => new Worker(COMPILED_WORKER, { workerData: data });
}

interface Waiter {
  resolve: () => void;
  reject: (e: StoreError) => void;
}

export class UsageInsertThread {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly waiting = new Map<number, Waiter>();
  private drained: Array<() => void> = [];
  private closed = false;

  constructor(
    private readonly data: UsageWorkerData,
    private readonly spawn: UsageWorkerFactory,
  ) {}

  /** Batches handed to the worker and not yet acked. */
  get inFlight(): number {
    return this.waiting.size;
  }

  insert(values: unknown[]): Promise<void> {
    if (this.closed) return Promise.reject(new StoreError(`store ${this.data.file} is closed`, { details: { file: this.data.file } }));
    let w: Worker;
    try {
      w = this.worker ?? this.start();
    } catch (e) {
      return Promise.reject(this.threadError(e));
    }
    const id = this.nextId++;
    return new Promise<void>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      // Keep the process alive only while a batch is unacknowledged.
      if (this.waiting.size === 1) w.ref();
      const msg: UsageBatchMessage = { id, values };
      w.postMessage(msg);
    });
  }

  /** Wait for every batch already posted, then close the worker's connection and let it exit. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.waiting.size > 0) await new Promise<void>((res) => this.drained.push(res));
    const w = this.worker;
    this.worker = null;
    if (!w) return;
    const exited = new Promise<void>((res) => w.once('exit', () => res()));
    const msg: UsageCloseMessage = { close: true };
    w.postMessage(msg);
    await exited;
  }

  private start(): Worker {
    const w = this.spawn(this.data);
    w.unref();
    w.on('message', (m: UsageAckMessage) => this.settle(w, m));
    w.on('error', (e) => this.crashed(w, e));
    w.on('exit', (code) => this.crashed(w, new Error(`usage insert thread exited with code ${code}`)));
    this.worker = w;
    return w;
  }

  private settle(w: Worker, m: UsageAckMessage): void {
    const waiter = this.waiting.get(m.id);
    if (!waiter) return;
    this.waiting.delete(m.id);
    if (m.ok) waiter.resolve();
    else waiter.reject(sqliteError(Object.assign(new Error(m.message), { code: m.code }), this.data.file, 'writing usage'));
    if (this.waiting.size === 0) this.idle(w);
  }

  /** The worker died: fail what it held (nothing of a failed transaction is committed) and start afresh next time. */
  private crashed(w: Worker, cause: unknown): void {
    if (this.worker !== w) return;
    this.worker = null;
    void w.terminate();
    const err = this.threadError(cause);
    const held = [...this.waiting.values()];
    this.waiting.clear();
    for (const waiter of held) waiter.reject(err);
    this.idle(w);
  }

  private idle(w: Worker): void {
    w.unref();
    const done = this.drained;
    this.drained = [];
    for (const res of done) res();
  }

  private threadError(cause: unknown): StoreError {
    const msg = cause instanceof Error ? cause.message : String(cause);
    return new StoreError(`store ${this.data.file}: usage insert thread failed (${msg}); retry`, { cause, retryable: true, details: { file: this.data.file } });
  }
}
