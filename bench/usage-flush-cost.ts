/**
 * CPU per request of the gateway's usage flushes on SQLite (not a test), as the writer batches them at a
 * given request rate: raw rows in transactions of 25, and the rollups either with every such transaction
 * (the writer before rollups kept to their own interval) or once per 100 ms flush interval (now). Every
 * batch carries a writer id and sequence number, as the writer's do (the store claims it in the transaction).
 *   npx tsx bench/usage-flush-cost.ts [--rate 2000] [--requests 20000] [--rounds 3]
 * Interleaved per round; the median round is printed. The store work runs on the gateway's event loop.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../src/store/open.js';
import { rollupsOf } from '../src/store/rollup.js';
import type { Store, UsageRecord } from '../src/store/types.js';
import { benchUsageRecord, median, numberFlag } from './harness.js';
import { randomUUID } from 'node:crypto';

const BATCH = 25;
const INTERVAL_MS = 100;

const record = benchUsageRecord;

/** CPU µs per request to store `n` requests arriving at `rate` per second. */
async function run(store: Store, n: number, rate: number, rollupsWithEveryBatch: boolean, t0: number): Promise<number> {
  const perInterval = Math.max(1, Math.round((rate * INTERVAL_MS) / 1000));
  const records = Array.from({ length: n }, (_, i) => record(t0 + Math.floor((i * 1000) / rate), i));
  const c0 = process.cpuUsage();
  let pendingRollups: UsageRecord[] = [];
  const writer = randomUUID();
  let seq = 0;
  for (let i = 0; i < n; i += BATCH) {
    const batch = records.slice(i, i + BATCH);
    if (rollupsWithEveryBatch) {
      await store.writeUsage({ records: batch, rollups: rollupsOf(batch), id: { writer, seq: ++seq } });
      continue;
    }
    pendingRollups = pendingRollups.concat(batch);
    const due = pendingRollups.length >= perInterval || i + BATCH >= n;
    await store.writeUsage({
      records: batch,
      rollups: due ? rollupsOf(pendingRollups) : [],
      id: { writer, seq: ++seq },
    });
    if (due) pendingRollups = [];
  }
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / n;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const rate = numberFlag(args, '--rate', 2000);
  const n = numberFlag(args, '--requests', 20_000);
  const rounds = numberFlag(args, '--rounds', 3);
  const dir = mkdtempSync(join(tmpdir(), 'modelpin-flush-'));
  try {
    const store = await openStore({ type: 'sqlite', path: join(dir, 'bench.db') });
    const before: number[] = [];
    const now: number[] = [];
    let t0 = Date.now();
    await run(store, 2000, rate, false, t0); // warm up
    for (let r = 0; r < rounds; r++) {
      t0 += 3_600_000;
      before.push(await run(store, n, rate, true, t0));
      now.push(await run(store, n, rate, false, t0 + 1));
      console.error(
        `round ${r + 1}: rollups with every batch ${before.at(-1)?.toFixed(1)} µs/request, rollups per interval ${now.at(-1)?.toFixed(1)} µs/request`,
      );
    }
    await store.close();
    console.log(
      `usage flush CPU on SQLite at ${rate} req/s, raw rows in transactions of ${BATCH}, median of ${rounds} rounds of ${n} requests:`,
    );
    console.log(`  rollups with every batch (before): ${median(before).toFixed(1)} µs/request`);
    console.log(`  rollups once per ${INTERVAL_MS} ms (now):    ${median(now).toFixed(1)} µs/request`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
