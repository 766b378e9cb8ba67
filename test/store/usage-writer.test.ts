import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { StoreError } from '../../src/core/errors.js';
import type { Logger } from '../../src/core/logger.js';
import { openStore } from '../../src/store/open.js';
import { systemTimers } from '../../src/store/timers.js';
import type { UsageBatch, UsageRecord } from '../../src/store/types.js';
import { seededRandom } from '../../src/core/random.js';
import { MINUTE_MS } from '../../src/store/rollup.js';
import { ManualClock } from '../../src/core/clock.js';
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
    rollupBatches: [] as UsageBatch['rollups'][],
    async writeUsage(b: UsageBatch) {
      calls++;
      if (this.failuresLeft > 0) {
        this.failuresLeft--;
        throw new StoreError('store down', { retryable: true });
      }
      if (b.records.length > 0) batches.push([...b.records]);
      this.rollupBatches.push(b.rollups);
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
    expect(w.stats()).toMatchObject({
      written: 3,
      pending: 0,
      dropped: 0,
      flushErrors: 0,
      rawWritten: 3,
      rawPending: 0,
    });
    // One minute, one group: one rollup per grain, holding all three requests.
    expect(store.rollupBatches[0]?.map((r) => [r.grain, r.requests])).toEqual([
      [60_000, 3],
      [3_600_000, 3],
      [86_400_000, 3],
    ]);
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

  it('writes full raw batches at once but the rollups once per interval, however many batches fill', async () => {
    const timers = new ManualTimers();
    const store = fakeStore();
    const w = new UsageWriter({ store, timers, batchSize: 4, flushIntervalMs: 250 });
    for (const r of recs(8)) w.write(r);
    await timers.advance(0);
    for (const r of recs(8, 8)) w.write(r);
    await timers.advance(0);
    expect(store.batches.map((b) => b.length)).toEqual([4, 4, 4, 4]);
    // Four transactions, none of them with rollups yet: those wait for the interval.
    expect(store.rollupBatches.map((b) => b.length)).toEqual([0, 0, 0, 0]);
    expect(w.stats()).toMatchObject({ rawWritten: 16, written: 0, pending: 16 });
    await timers.advance(250);
    expect(store.rollupBatches.map((b) => b.length)).toEqual([0, 0, 0, 0, 3]);
    expect(store.rollupBatches[4]?.map((r) => [r.grain, r.requests])).toEqual([
      [60_000, 16],
      [3_600_000, 16],
      [86_400_000, 16],
    ]);
    expect(w.stats()).toMatchObject({ rawWritten: 16, written: 16, pending: 0 });
    expect(timers.size).toBe(0);
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
    expect(w.stats()).toMatchObject({ written: 7, pending: 0, dropped: 0, flushErrors: 2 });
    // The failed flushes' rollups were kept and written once: 7 requests, not 5 + 5 + 7.
    expect(
      store.rollupBatches
        .flat()
        .filter((r) => r.grain === MINUTE_MS)
        .reduce((n, r) => n + r.requests, 0),
    ).toBe(7);
    expect(store.batches.flat().map((r) => r.ts)).toEqual(recs(7).map((r) => r.ts));
    expect(log.lines.filter((l) => l.includes('flush failed'))).toHaveLength(1);
    expect(log.lines.some((l) => l.includes('recovered'))).toBe(true);
  });

  it('retries a failed batch as it was, under the same id, before a newer batch with the next number', async () => {
    const timers = new ManualTimers();
    const ids: Array<{ id: UsageBatch['id']; records: number; ok: boolean }> = [];
    let fail = 1;
    const store = {
      async writeUsage(b: UsageBatch) {
        const ok = fail-- <= 0;
        ids.push({ id: b.id, records: b.records.length, ok });
        if (!ok) throw new StoreError('store down', { retryable: true });
      },
    };
    const w = new UsageWriter({ store, timers, writerId: 'gw-1', retryBaseMs: 500 });
    for (const r of recs(3)) w.write(r);
    await timers.advance(250);
    for (const r of recs(4, 3)) w.write(r);
    await timers.advance(500);
    expect(ids).toEqual([
      { id: { writer: 'gw-1', seq: 1 }, records: 3, ok: false },
      { id: { writer: 'gw-1', seq: 1 }, records: 3, ok: true },
      { id: { writer: 'gw-1', seq: 2 }, records: 4, ok: true },
    ]);
    expect(w.stats()).toMatchObject({ written: 7, pending: 0 });
  });

  it('retries a failed raw-only batch unchanged; the rollups due meanwhile follow in the next numbered batch', async () => {
    const timers = new ManualTimers();
    const sent: Array<{ seq: number | undefined; records: number; rollupRequests: number; ok: boolean }> = [];
    let fail = 1;
    const store = {
      async writeUsage(b: UsageBatch) {
        const ok = fail-- <= 0;
        const minute = b.rollups.find((r) => r.grain === MINUTE_MS);
        sent.push({ seq: b.id?.seq, records: b.records.length, rollupRequests: minute?.requests ?? 0, ok });
        if (!ok) throw new StoreError('store down', { retryable: true });
      },
    };
    const w = new UsageWriter({
      store,
      timers,
      writerId: 'gw-1',
      batchSize: 4,
      flushIntervalMs: 250,
      retryBaseMs: 500,
    });
    for (const r of recs(4)) w.write(r);
    await timers.advance(0);
    // The interval passes while the store is down: the rollups wait behind the failed batch.
    await timers.advance(300);
    expect(sent).toEqual([{ seq: 1, records: 4, rollupRequests: 0, ok: false }]);
    await timers.advance(200);
    expect(sent).toEqual([
      { seq: 1, records: 4, rollupRequests: 0, ok: false },
      { seq: 1, records: 4, rollupRequests: 0, ok: true },
      { seq: 2, records: 0, rollupRequests: 4, ok: true },
    ]);
    expect(w.stats()).toMatchObject({ written: 4, rawWritten: 4, pending: 0 });
    expect(timers.size).toBe(0);
  });

  it('bounds the raw buffer: sheds raw rows (still counted in rollups), counts them and logs once', async () => {
    const timers = new ManualTimers();
    const store = fakeStore(1000);
    const log = captureLogger();
    const w = new UsageWriter({ store, timers, batchSize: 50, maxBuffer: 200, logger: log });
    let accepted = 0;
    for (const r of recs(260)) if (w.write(r)) accepted++;
    await timers.advance(10_000);
    expect(accepted).toBe(260);
    expect(w.stats()).toMatchObject({ dropped: 0, rawDropped: 60, rawPending: 200, pending: 260 });
    expect(log.lines.filter((l) => l.includes('shedding'))).toHaveLength(1);
    store.failuresLeft = 0;
    await w.flush();
    expect(w.stats()).toMatchObject({ written: 260, pending: 0, rawWritten: 200, rawDropped: 60 });
  });

  it('bounds the rollups by groups, not requests: sheds what would open a new group, logs at most once a minute', async () => {
    const timers = new ManualTimers();
    const clock = new ManualClock(T0);
    const store = fakeStore(1000);
    const log = captureLogger();
    const w = new UsageWriter({ store, timers, clock, maxGroups: 10, rawUsage: { keep: 'none' }, logger: log });
    // 100k requests into 10 groups fit; memory does not grow with them.
    for (let i = 0; i < 100_000; i++) expect(w.write(usage({ ts: T0 + (i % 10) * MINUTE_MS }))).toBe(true);
    // An 11th minute would be a new group: shed, counted, logged once.
    for (let i = 0; i < 500; i++) expect(w.write(usage({ ts: T0 + 10 * MINUTE_MS + i }))).toBe(false);
    expect(w.stats()).toMatchObject({ pending: 100_000, dropped: 500 });
    expect(log.lines.filter((l) => l.includes('shedding'))).toHaveLength(1);
    clock.advance(60_000);
    w.write(usage({ ts: T0 + 11 * MINUTE_MS }));
    expect(log.lines.filter((l) => l.includes('shedding'))).toHaveLength(2);
    store.failuresLeft = 0;
    await w.flush();
    expect(w.stats()).toMatchObject({ written: 100_000, pending: 0, dropped: 501, rawWritten: 0 });
  });

  it('keeps raw rows per policy: none, errors, or a sampled share plus every error', async () => {
    const mixed = Array.from({ length: 1000 }, (_, i) =>
      usage({ ts: T0 + i, status: i % 10 === 0 ? 500 : 200, errorCode: i % 10 === 0 ? 'upstream_error' : null }),
    );
    const kept = async (rawUsage: ConstructorParameters<typeof UsageWriter>[0]['rawUsage']) => {
      const store = fakeStore();
      const w = new UsageWriter({
        store,
        timers: new ManualTimers(),
        rawUsage,
        random: seededRandom(7),
        batchSize: 5000,
      });
      for (const r of mixed) w.write(r);
      await w.flush();
      const rollupRequests = store.rollupBatches
        .flat()
        .filter((r) => r.grain === MINUTE_MS)
        .reduce((n, r) => n + r.requests, 0);
      return { raw: store.batches.flat(), rollupRequests };
    };
    const none = await kept({ keep: 'none' });
    expect(none).toEqual({ raw: [], rollupRequests: 1000 });
    const errors = await kept({ keep: 'errors' });
    expect(errors.raw).toHaveLength(100);
    expect(errors.raw.every((r) => r.status === 500)).toBe(true);
    const sampled = await kept({ keep: 'sampled', rate: 0.1 });
    expect(sampled.raw.filter((r) => r.status === 500)).toHaveLength(100);
    expect(sampled.raw.filter((r) => r.status === 200).length).toBeGreaterThan(50);
    expect(sampled.raw.filter((r) => r.status === 200).length).toBeLessThan(130);
    expect(sampled.rollupRequests).toBe(1000);
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
    const err = await w2.close().then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(StoreError);
    expect((err as StoreError).message).toContain('4 unsaved requests');
    expect(down.calls).toBe(3);
  });

  it('close() gives a store that never answers only closeGraceMs, and counts what it held as unsaved', async () => {
    let calls = 0;
    const silent = {
      writeUsage: () => {
        calls++;
        return new Promise<void>(() => {});
      },
    };
    const w = new UsageWriter({
      store: silent,
      timers: systemTimers,
      retryBaseMs: 1,
      closeAttempts: 5,
      closeGraceMs: 50,
    });
    for (const r of recs(6)) w.write(r);
    const err = await w.close().then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(StoreError);
    expect((err as StoreError).message).toMatch(/6 unsaved requests .*the store did not answer within the 50 ms grace/);
    expect((err as StoreError).details).toMatchObject({ pending: 6 });
    expect(calls).toBe(1);
  });
});
