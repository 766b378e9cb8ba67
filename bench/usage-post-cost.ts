/**
 * Main-thread CPU of handing one usage batch to SQLite's writer thread (not a test), two ways:
 *   batch:      post the batch itself (records, and rollups with their Map histograms); the thread would build the SQL;
 *   statements: build the statements and parameters here (SqlStore, as the writer thread gets them) and post
 *               the flat list, texts as numbers once the thread has them.
 * Posting is measured as the sending side pays it (serialising into a MessagePort nobody reads until the end).
 * For scale, the same batch written on the main thread's connection (the path without a writer thread).
 *   npx tsx bench/usage-post-cost.ts [--batches 4000] [--rollup-requests 600] [--rounds 3]
 * A batch is 25 raw rows plus the rollups of `--rollup-requests` requests (one 100 ms interval at 6,000 req/s,
 * spread over 3 targets); interleaved per round, the median round is printed, in µs per batch and per raw row.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MessageChannel } from 'node:worker_threads';
import { systemClock } from '../src/core/clock.js';
import { rollupsOf } from '../src/store/rollup.js';
import { sqliteDialect } from '../src/store/sql/dialect.js';
import type { SqlDriver, Stmt } from '../src/store/sql/driver.js';
import { SqlStore } from '../src/store/sql/sql-store.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import type { UsageBatch, UsageRecord } from '../src/store/types.js';
import { benchUsageRecord, median, numberFlag } from './harness.js';

const T0 = Date.UTC(2026, 11, 1, 12, 0, 0);

const TARGETS = ['up/gpt-4o-2024-11-20', 'up/gpt-4o-mini-2024-07-18', 'other/claude-sonnet-4'];
const record = (i: number): UsageRecord => benchUsageRecord(T0 + i, i, TARGETS[i % 3]);

/** A driver that keeps the statement list SqlStore builds, as the writer thread would receive it. */
class Capture implements Partial<SqlDriver> {
  readonly dialect = sqliteDialect;
  readonly where = 'capture';
  readonly migration = { prelude: [], tx: {} };
  last: readonly Stmt[] = [];
  writeList(_op: string, stmts: readonly Stmt[]): Promise<void> {
    this.last = stmts;
    return Promise.resolve();
  }
}

/** CPU of this thread alone in µs (Linux): the writer thread's work does not count, the hand-over does. */
function threadCpuUs(): number {
  return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1000;
}

function cpu<T>(n: number, fn: (i: number) => T): number {
  const c0 = threadCpuUs();
  for (let i = 0; i < n; i++) fn(i);
  return (threadCpuUs() - c0) / n;
}

async function cpuAsync(n: number, fn: (i: number) => Promise<void>): Promise<number> {
  const c0 = threadCpuUs();
  for (let i = 0; i < n; i++) await fn(i);
  return (threadCpuUs() - c0) / n;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const n = numberFlag(args, '--batches', 400);
  const rollupRequests = numberFlag(args, '--rollup-requests', 600);
  const rounds = numberFlag(args, '--rounds', 3);
  const rows = (k: number): UsageBatch => ({ records: Array.from({ length: k }, (_, i) => record(i)), rollups: [] });
  // The writer's kinds of batch: full batches of raw rows (25 without a writer thread, up to 500 with one), the interval's rollups.
  const kinds: Record<string, UsageBatch> = {
    '25 raw rows': rows(25),
    '500 raw rows': rows(500),
    [`rollups of ${rollupRequests} requests`]: {
      records: [],
      rollups: rollupsOf(Array.from({ length: rollupRequests }, (_, i) => record(i))),
    },
  };
  const capture = new Capture();
  const builder = new SqlStore(capture as unknown as SqlDriver, systemClock);
  const texts = new Map<string, number>();
  const dir = mkdtempSync(join(tmpdir(), 'modelpin-post-'));
  const sync = new SqliteStore(join(dir, 'sync.db'));
  const threaded = new SqliteStore(join(dir, 'thread.db'), { writerThread: true });
  await sync.migrate();
  await threaded.migrate();
  const results = new Map<string, number[]>();
  const note = (key: string, v: number): void => void results.set(key, [...(results.get(key) ?? []), v]);
  let seq = 0;
  const gap = (): Promise<void> => new Promise((res) => setTimeout(res, 2));
  try {
    for (let r = 0; r < rounds; r++) {
      for (const [kind, b] of Object.entries(kinds)) {
        const { port1, port2 } = new MessageChannel();
        const batch = { ...b, id: { writer: 'bench', seq: 2 } };
        note(
          `${kind}: serialise the batch itself`,
          cpu(n, (i) => port1.postMessage({ id: i, batch })),
        );
        note(
          `${kind}: build statements, serialise them`,
          cpu(n, (i) => {
            void builder.writeUsage(batch);
            const add: string[] = [];
            const list = capture.last.map((s) => {
              let t = texts.get(s.sql);
              if (t === undefined) {
                texts.set(s.sql, (t = texts.size));
                add.push(s.sql);
              }
              return [t, s.params, s.orStop === true];
            });
            port1.postMessage({ id: i, add, stmts: list });
          }),
        );
        port1.close();
        port2.close();
        // Written for real, one at a time with a pause between (the thread idle, as between flushes). The stall is
        // the wall time of writeUsage's synchronous part: how long the event loop serves no request meanwhile.
        const real = async (store: SqliteStore, name: string): Promise<void> => {
          let spent = 0;
          const stalls: number[] = [];
          for (let i = 0; i < n / 4; i++) {
            await gap();
            spent += await cpuAsync(1, () => {
              const t0 = performance.now();
              const p = store.writeUsage({ ...b, id: { writer: 'w', seq: ++seq } });
              stalls.push((performance.now() - t0) * 1000);
              return p;
            });
          }
          note(`${kind}: ${name}, CPU`, spent / (n / 4));
          note(`${kind}: ${name}, event-loop stall (wall)`, median(stalls));
        };
        await real(threaded, 'writeUsage on the writer thread');
        await real(sync, 'writeUsage on the main connection');
      }
      console.error(`round ${r + 1} done`);
    }
  } finally {
    await sync.close();
    await threaded.close();
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`event-loop thread CPU per batch (µs), median of ${rounds} rounds:`);
  for (const [k, xs] of results) console.log(`  ${k.padEnd(72)} ${median(xs).toFixed(1).padStart(8)}`);
}

void main();
