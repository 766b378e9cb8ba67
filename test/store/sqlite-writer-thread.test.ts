/** Usage writes on SQLite's writer thread: real files, real threads. */
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { StoreError } from '../../src/core/errors.js';
import { rollupsOf } from '../../src/store/rollup.js';
import { SqliteStore, type SqliteStoreOptions } from '../../src/store/sqlite/sqlite-store.js';
import type { UsageBatch } from '../../src/store/types.js';
import { T0, usage } from './fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'modelpin-writer-thread-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
async function open(opts: SqliteStoreOptions = {}): Promise<{ store: SqliteStore; file: string }> {
  const file = join(dir, `w${files++}.db`);
  const store = new SqliteStore(file, { writerThread: true, ...opts });
  await store.migrate();
  return { store, file };
}

function batch(n: number, seq: number, writer = 'gw-test'): UsageBatch {
  const records = Array.from({ length: n }, (_, i) => usage({ ts: T0 + i }));
  return { records, rollups: rollupsOf(records), id: { writer, seq } };
}

async function rejection(p: Promise<unknown>): Promise<StoreError> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(StoreError);
  return e as StoreError;
}

/** Requests counted by the rollups, read on the main connection. */
async function counted(store: SqliteStore): Promise<number> {
  const rows = await store.queryRollups({ sinceMs: T0 - 3_600_000, untilMs: T0 + 3_600_000, by: [] });
  return rows.reduce((s, r) => s + r.requests, 0);
}

describe('SQLite usage writes on a writer thread', () => {
  it('runs the writes on another thread; each acknowledged write is visible to reads on the main connection', async () => {
    const { store, file } = await open();
    expect(store.writerThread?.threadId).toBeNull();
    // The gateway's usage writer takes its batch size from here: one hand-over per flush interval.
    expect(store.usageBatchRows).toBe(500);
    const plain = new SqliteStore(file);
    expect(plain.writerThread).toBeNull();
    expect(plain.usageBatchRows).toBeUndefined();
    await plain.close();
    for (let seq = 1; seq <= 3; seq++) {
      await store.writeUsage(batch(10, seq));
      expect(await store.countUsage({})).toBe(10 * seq);
      expect(await counted(store)).toBe(10 * seq);
    }
    expect(store.writerThread?.threadId).toBeGreaterThan(0);
    await store.close();
  });

  it('applies a retried batch at most once, also when the thread was stopped while writing it', async () => {
    const { store } = await open();
    await store.writeUsage(batch(5, 1));
    await store.writeUsage(batch(5, 1));
    expect(await store.countUsage({})).toBe(5);
    // Stopped in flight: whether the COMMIT went through is unknown to the caller, who retries the same batch.
    const inFlight = store.writeUsage(batch(7, 2)).then(
      () => null,
      (e: unknown) => e,
    );
    await store.writerThread?.terminate();
    const e = await inFlight;
    if (e !== null) {
      expect(e).toBeInstanceOf(StoreError);
      expect((e as StoreError).retryable).toBe(true);
    }
    await store.writeUsage(batch(7, 2));
    await store.writeUsage(batch(7, 2));
    expect(await store.countUsage({})).toBe(12);
    expect(await counted(store)).toBe(12);
    await store.close();
  });

  it('reports a full disk as the same retryable StoreError as the synchronous path, and rolls the batch back', async () => {
    const { store, file } = await open({ pragmas: ['max_page_count = 40'] });
    const big: UsageBatch = {
      records: Array.from({ length: 5000 }, (_, i) => usage({ ts: i, requestedModel: 'x'.repeat(200) })),
      rollups: [],
      id: { writer: 'gw-full', seq: 1 },
    };
    const e = await rejection(store.writeUsage(big));
    expect(e.message).toContain(file);
    expect(e.message).toMatch(/disk full while writing usage/);
    expect(e.retryable).toBe(true);
    expect(e.details).toMatchObject({ file, driverCode: 'SQLITE_FULL' });
    expect(await store.countUsage({})).toBe(0);
    // The thread survives a failed transaction: the next batch goes through on it.
    const thread = store.writerThread?.threadId;
    await store.writeUsage(batch(3, 2, 'gw-full'));
    expect(store.writerThread?.threadId).toBe(thread);
    expect(await store.countUsage({})).toBe(3);
    await store.close();
  });

  it('reports a database locked by another connection as retryable, as the synchronous path does', async () => {
    const { store, file } = await open({ busyTimeoutMs: 50 });
    const other = new Database(file);
    other.exec('BEGIN IMMEDIATE');
    try {
      const e = await rejection(store.writeUsage(batch(2, 1)));
      expect(e.message).toMatch(/is locked by another process \(writing usage\)/);
      expect(e.retryable).toBe(true);
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    await store.writeUsage(batch(2, 1));
    expect(await store.countUsage({})).toBe(2);
    await store.close();
  });

  it('reports a file that is not a database as a non-retryable StoreError, as the synchronous path does', async () => {
    const { store, file } = await open();
    await store.close();
    const threaded = new SqliteStore(file, { writerThread: true });
    // Overwritten after the main connection opened it: the thread's connection finds out when it opens.
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.alloc(100, 'x'), 0, 100, 0);
    closeSync(fd);
    const e = await rejection(threaded.writeUsage(batch(1, 1)));
    expect(e.message).toBe(
      `store ${file} is not a SQLite database or is corrupt (writing usage); move it aside or point store.path elsewhere`,
    );
    expect(e.retryable).toBe(false);
    expect(e.details).toMatchObject({ file, driverCode: 'SQLITE_NOTADB' });
    await threaded.close();
  });

  it('survives a thread that crashes: the pending write fails retryable naming the store, the next one starts a new thread', async () => {
    // A better-sqlite3 that throws while the thread loads it when a marker file exists: an uncaught error in the thread.
    const real = createRequire(import.meta.url).resolve('better-sqlite3');
    const marker = join(dir, 'crash-next');
    const driver = join(dir, 'crashing-driver.cjs');
    writeFileSync(
      driver,
      `const fs = require('node:fs');
if (fs.existsSync(${JSON.stringify(marker)})) {
  fs.unlinkSync(${JSON.stringify(marker)});
  throw new Error('simulated crash');
}
module.exports = require(${JSON.stringify(real)});
`,
    );
    const { store, file } = await open({ writerThreadDriver: driver });
    await store.writeUsage(batch(4, 1));
    const first = store.writerThread?.threadId;
    await store.writerThread?.terminate();
    writeFileSync(marker, '');
    const e = await rejection(store.writeUsage(batch(6, 2)));
    expect(e.retryable).toBe(true);
    expect(e.message).toContain(`store ${file}: the writer thread stopped while writing usage`);
    expect(e.message).toContain('simulated crash');
    await store.writeUsage(batch(6, 2));
    expect(store.writerThread?.threadId).not.toBe(first);
    expect(await store.countUsage({})).toBe(10);
    await store.close();
  });

  it('close() waits for the writes in flight, then ends the thread; later writes are refused', async () => {
    const { store, file } = await open();
    const writes = Array.from({ length: 20 }, (_, i) => store.writeUsage(batch(25, i + 1)));
    await store.close();
    await Promise.all(writes);
    expect(store.writerThread?.threadId).toBeNull();
    await rejection(store.writeUsage(batch(1, 21)));
    const check = new SqliteStore(file);
    expect(await check.countUsage({})).toBe(500);
    expect(await counted(check)).toBe(500);
    await check.close();
  });
});
