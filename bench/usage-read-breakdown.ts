/**
 * Where the time of `usage --since 30d --interval 1h` goes on a store filled (and kept) by
 * bench/store-scale.ts: per piece of the series read, the server's time (EXPLAIN ANALYZE), the rows
 * and histogram bytes that come back, node-postgres' decoding, and the client's fold of the bins.
 *   npx tsx bench/store-scale.ts --pg --keep --runs 1      # prints "kept schema mp_scale_…"
 *   npx tsx bench/usage-read-breakdown.ts --schema mp_scale_… [--runs 3]
 */
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { aggregateRollupRows, rollupReadSql, type RollupQuery } from '../src/store/rollup-sql.js';
import { DAY_MS, HOUR_MS, MINUTE_MS, rangePieces } from '../src/store/rollup.js';
import { numberFlag } from './harness.js';

const args = process.argv.slice(2);
const schema = args[args.indexOf('--schema') + 1] ?? '';
const RUNS = numberFlag(args, '--runs', 3);
const PG_URL = process.env.MODELPIN_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
// The bench's clock (store-scale.ts NOW).
const NOW = Math.floor(Date.UTC(2026, 11, 1, 12, 0, 0) / MINUTE_MS) * MINUTE_MS + 17 * MINUTE_MS + 23_000;

const c = new pg.Client({ connectionString: PG_URL, options: `-c search_path=${schema}` });
await c.connect();
const q: RollupQuery = {
  sinceMs: NOW - 30 * DAY_MS,
  untilMs: NOW + 1,
  by: ['servedModel'],
  bucketMs: HOUR_MS,
  histograms: 'latency',
  sums: 'series',
};
for (let run = 0; run < RUNS; run++) {
  let server = 0;
  let fetchMs = 0;
  let fetchCpu = 0;
  let foldMs = 0;
  let rows = 0;
  let histBytes = 0;
  const acc = new Map();
  const pieces = rangePieces(q);
  for (const ranges of pieces) {
    const { sql, params } = rollupReadSql('postgres', { ...q, ranges });
    const ex = await c.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`, params);
    const plan = (ex.rows[0] as { 'QUERY PLAN': Array<{ 'Execution Time': number }> })['QUERY PLAN'][0];
    server += plan?.['Execution Time'] ?? 0;
    const t = performance.now();
    const u = process.cpuUsage();
    const res = await c.query(sql, params);
    const du = process.cpuUsage(u);
    fetchMs += performance.now() - t;
    fetchCpu += (du.user + du.system) / 1000;
    rows += res.rows.length;
    for (const r of res.rows as Array<{ latency_hist: string | null }>) histBytes += r.latency_hist?.length ?? 0;
    const t2 = performance.now();
    aggregateRollupRows({ ...q, ranges }, res.rows, acc);
    foldMs += performance.now() - t2;
  }
  console.log(
    `run ${run + 1}: ${pieces.length} pieces, ${rows} rows, ${(histBytes / 1e6).toFixed(1)} MB of histogram text; server ${server.toFixed(0)} ms (EXPLAIN ANALYZE), query+decode ${fetchMs.toFixed(0)} ms wall / ${fetchCpu.toFixed(0)} ms CPU in node, fold (bins parsed) ${foldMs.toFixed(0)} ms`,
  );
}
await c.end();
