import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { StoreError } from '../../src/core/errors.js';
import type { Logger } from '../../src/core/logger.js';
import { openStore } from '../../src/store/open.js';
import { systemTimers } from '../../src/store/timers.js';
import type { UsageRecord } from '../../src/store/types.js';
import { UsageWriter } from '../../src/store/usage-writer.js';
import { T0, usage } from './fixtures.js';
import { ManualTimers, settle } from './manual-timers.js';

const dir = mkdtempSync(join(tmpdir(), 'modelpin-writer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A store that records batches and fails the first `failures` calls. */
function fakeStore(failures = 0) {
  const batches: UsageRecord[][] = [];
  let calls = 0;
  return {
    batches,
    get calls() {
      return calls;
    },
    failuresLeft: failures,
    async insertUsage(rs: UsageRecord[]) {
      calls++;
      if (this.failuresLeft > 0) {
        this.failuresLeft--;
        throw new StoreError('store down', { retryable: true });
      }
      batches.push([...rs]);
    },
  };
}

function captureLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return { lines, log: (level, msg) => lines.push(`${level} ${msg}`) };
}

const recs = (n: number, from = 0) => Array.from({ length: n }, (_, i) => usage({ ts: T0 + from + i }));

describe('UsageWriter', () => {
  it('buffers on write (no I/O) and flushes on the interval', async () => {
    const timers = new ManualTimers();
    const store = fakeStore();
    const w = new UsageWriter({ store, timers, batchSize: 10, flushIntervalMs: 250 });
    for (const r of recs(3)) expect(w.write(r)).toBe(true);
    expect(store.calls).toBe(0);
    expect(w.pending).toBe(3);
    await timers.advance(249);
    expect(store.calls).toBe(0);
    await timers.advance(1);
    expect(store.batches.map((b) => b.length)).toEqual([3]);
    expect(w.stats()).toEqual({ written: 3, pending: 0, dropped: 0, flushErrors: 0 });
    expect(timers.size).toBe(0);
  });

  it('flushes as soon as a batch is full, off the write call', async () => {
    const timers = new ManualTimers();
    const store = fakeStore();
    const w = new UsageWriter({ store, timers, batchSize: 4, flushIntervalMs: 250 });
    for (const r of recs(9)) w.write(r);
    expect(store.calls).toBe(0);
    await timers.advance(0);
    expect(store.batches.map((b) => b.length)).toEqual([4, 4]);
    await timers.advance(250);
    expect(store.batches.map((b) => b.length)).toEqual([4, 4, 1]);
    expect(store.batches.flat().map((r) => r.ts)).toEqual(recs(9).map((r) => r.ts));
  });

  it('keeps a failed batch and retries with backoff, preserving order', async () => {
    const timers = new ManualTimers();
    const store = fakeStore(2);
    const log = captureLogger();
    const w = new UsageWriter({ store, timers, batchSize: 100, flushIntervalMs: 250, retryBaseMs: 500, logger: log });
    for (const r of recs(5)) w.write(r);
    await timers.advance(250);
    expect(w.stats()).toMatchObject({ written: 0, pending: 5, flushErrors: 1 });
    for (const r of recs(2, 5)) w.write(r);
    await timers.advance(499);
    expect(store.calls).toBe(1);
    await timers.advance(1);
    expect(w.stats()).toMatchObject({ written: 0, pending: 7, flushErrors: 2 });
    await timers.advance(999);
    expect(store.calls).toBe(2);
    await timers.advance(1);
    expect(w.stats()).toEqual({ written: 7, pending: 0, dropped: 0, flushErrors: 2 });
    expect(store.batches.flat().map((r) => r.ts)).toEqual(recs(7).map((r) => r.ts));
    expect(log.lines.filter((l) => l.includes('flush failed'))).toHaveLength(1);
    expect(log.lines.some((l) => l.includes('recovered'))).toBe(true);
  });

  it('bounds the buffer: counts drops and logs once', async () => {
    const timers = new ManualTimers();
    const store = fakeStore(1000);
    const log = captureLogger();
    const w = new UsageWriter({ store, timers, batchSize: 50, maxBuffer: 200, logger: log });
    let accepted = 0;
    for (const r of recs(260)) if (w.write(r)) accepted++;
    await timers.advance(10_000);
    expect(accepted).toBe(200);
    expect(w.dropped).toBe(60);
    expect(w.pending).toBe(200);
    expect(log.lines.filter((l) => l.includes('dropping'))).toHaveLength(1);
    store.failuresLeft = 0;
    await w.flush();
    expect(w.stats()).toMatchObject({ written: 200, pending: 0, dropped: 60 });
  });

  it('flush() rejects while the store is down and keeps the records', async () => {
    const store = fakeStore(1);
    const w = new UsageWriter({ store, timers: new ManualTimers() });
    w.write(usage());
    await expect(w.flush()).rejects.toBeInstanceOf(StoreError);
    expect(w.pending).toBe(1);
    await w.flush();
    expect(w.written).toBe(1);
  });

  it('close() persists everything to a real SQLite store: nothing lost', async () => {
    const store = await openStore({ type: 'sqlite', path: join(dir, 'close.db') });
    const w = new UsageWriter({ store, batchSize: 200, flushIntervalMs: 250, timers: systemTimers });
    const n = 1234;
    for (const r of recs(n)) w.write(r);
    await settle();
    await w.close();
    expect(w.written).toBe(n);
    expect(w.pending).toBe(0);
    expect(await store.countUsage({})).toBe(n);
    expect(w.write(usage())).toBe(false);
    expect(w.dropped).toBe(1);
    await store.close();
  });

  it('close() retries a failing store, then reports what is unsaved', async () => {
    const flaky = fakeStore(2);
    const w1 = new UsageWriter({ store: flaky, timers: systemTimers, retryBaseMs: 1, closeAttempts: 5 });
    for (const r of recs(10)) w1.write(r);
    await w1.close();
    expect(w1.written).toBe(10);

    const down = fakeStore(1_000);
    const w2 = new UsageWriter({ store: down, timers: systemTimers, retryBaseMs: 1, closeAttempts: 3 });
    for (const r of recs(4)) w2.write(r);
    const err = await w2.close().then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(StoreError);
    expect((err as StoreError).message).toContain('4 unsaved records');
    expect(down.calls).toBe(3);
  });
});
