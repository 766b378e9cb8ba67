/**
 * Sequential (one connection) latency with microsecond resolution, for the "added p99" target:
 * autocannon reports whole milliseconds. Build first, then run:
 *   npm run build && npx tsx bench/latency.ts [--requests 5000] [--no-ext]
 * Starts the instant upstream (bench/instant-upstream.mjs), the bare proxy and the gateway, and for each sends the same
 * request one at a time over one keep-alive connection, reporting p50/p90/p99/p99.9 in ms.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Pool } from 'undici';
import {
  CLI,
  ROOT,
  numberFlag,
  start,
  startInstantUpstream,
  writeBenchConfig,
  BENCH_MODEL,
  BENCH_ROUTE,
} from './harness.js';

export async function sequentialLatency(url: string, model: string, requests: number): Promise<number[]> {
  const pool = new Pool(url, { connections: 1 });
  const body = JSON.stringify({ model, messages: [{ role: 'user', content: 'Say hello' }], max_tokens: 32 });
  const samples: number[] = [];
  try {
    for (let i = 0; i < requests; i++) {
      const t0 = performance.now();
      const r = await pool.request({
        path: '/v1/chat/completions',
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      await r.body.text();
      if (r.statusCode !== 200) throw new Error(`${url}: status ${r.statusCode}`);
      samples.push(performance.now() - t0);
    }
  } finally {
    await pool.close();
  }
  return samples.sort((a, b) => a - b);
}

export function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const requests = numberFlag(args, '--requests', 5000);
  const dir = mkdtempSync(join(tmpdir(), 'modelpin-lat-'));
  const up = await startInstantUpstream();
  const config = writeBenchConfig(dir, up.url);
  const bare = await start([join(ROOT, 'bench/bare-proxy.mjs'), up.url]);
  const gw = await start([
    CLI,
    'serve',
    '--config',
    config,
    '--port',
    '0',
    '--no-watch',
    '--log-level',
    'warn',
    ...(args.includes('--no-ext') ? ['--no-extensions'] : []),
  ]);
  try {
    const runs: Array<[string, string, string]> = [
      ['direct', up.url, BENCH_MODEL],
      ['bare proxy', bare.url, BENCH_MODEL],
      ['gateway', gw.url, BENCH_ROUTE],
    ];
    for (const [, u, m] of runs) await sequentialLatency(u, m, 1000); // warm-up
    console.log(`sequential latency, ${requests} requests, one connection (ms)`);
    console.log('target           p50      p90      p99    p99.9      max');
    const result: Record<string, number[]> = {};
    for (const [name, u, m] of runs) {
      const s = await sequentialLatency(u, m, requests);
      result[name] = s;
      console.log(
        `${name.padEnd(12)} ${[50, 90, 99, 99.9].map((p) => pct(s, p).toFixed(3).padStart(8)).join(' ')} ${(s.at(-1) ?? NaN).toFixed(3).padStart(8)}`,
      );
    }
    const g = result['gateway'] ?? [];
    const b = result['bare proxy'] ?? [];
    console.log(
      `added p50 ${(pct(g, 50) - pct(b, 50)).toFixed(3)} ms, added p99 ${(pct(g, 99) - pct(b, 99)).toFixed(3)} ms (target <= 1 ms)`,
    );
  } finally {
    for (const c of [gw, bare, up]) c.proc.kill('SIGTERM');
    setTimeout(() => rmSync(dir, { recursive: true, force: true }), 500);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) void main();
