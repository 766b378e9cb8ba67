/**
 * Usage persistence throughput: hot-path write() cost and batched insert rate into SQLite
 * (and PostgreSQL when MODELPIN_BENCH_PG_URL is set). Run: npx tsx bench/store-writer.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openStore } from '../src/store/open.js';
import type { Store, UsageRecord } from '../src/store/types.js';
import { UsageWriter } from '../src/store/usage-writer.js';

const N = Number(process.env.N ?? 100_000);

function record(i: number): UsageRecord {
  return {
    ts: 1_795_000_000_000 + i,
    route: 'summarize',
    env: 'production',
    target: 'sim/sim-chat-2026-01-15',
    provider: 'sim',
    requestedModel: 'summarize',
    servedModel: 'sim-chat-2026-01-15',
    fingerprint: null,
    status: 200,
    errorCode: null,
    attempts: 1,
    latencyMs: 100 + (i % 50),
    ttftMs: null,
    inputTokens: 120,
    outputTokens: 60,
    cachedTokens: 0,
    cacheWriteTokens: 0,
    reasoningTokens: 0,
    costUsd: 0.0012,
    clientKeyId: null,
    arm: null,
    wire: 'openai',
    stream: false,
    formatValid: null,
    gatewayId: 'bench',
  };
}

async function bench(name: string, store: Store): Promise<void> {
  const writer = new UsageWriter({ store, maxBuffer: N + 1 });
  const records = Array.from({ length: N }, (_, i) => record(i));
  const t0 = performance.now();
  for (const r of records) writer.write(r);
  const t1 = performance.now();
  await writer.close();
  const t2 = performance.now();
  const count = await store.countUsage({});
  console.log(
    `${name}: ${N} records; write() ${(((t1 - t0) * 1e6) / N).toFixed(0)} ns/record on the hot path; ` +
      `persisted ${count} in ${(t2 - t1).toFixed(0)} ms (${Math.round(N / ((t2 - t1) / 1000)).toLocaleString('en-US')} records/s, batches of 200)`,
  );
}

const dir = mkdtempSync(join(tmpdir(), 'modelpin-bench-'));
try {
  const sqlite = await openStore({ type: 'sqlite', path: join(dir, 'bench.db') });
  await bench('sqlite', sqlite);
  await sqlite.close();
  const pgUrl = process.env.MODELPIN_BENCH_PG_URL;
  if (pgUrl) {
    const schema = `mp_bench_${process.pid}`;
    const pg = await openStore({ type: 'postgres', url: pgUrl }, { schema });
    await bench('postgres', pg);
    await pg.close();
    const { default: pgLib } = await import('pg');
    const c = new pgLib.Client({ connectionString: pgUrl });
    await c.connect();
    await c.query(`DROP SCHEMA ${schema} CASCADE`);
    await c.end();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
