/**
 * Gateway throughput with usage rollups against raw rows only (not a test). Three gateways on the
 * same instant upstream (bench/instant-upstream.mjs), each with its own SQLite store, loaded in turn (interleaved rounds, so a busy
 * minute on a shared machine hits all of them alike):
 *   - "raw only": a build from before rollups (BENCH_RAW_ONLY_CLI, the `dist/cli/main.js` of that build);
 *   - "rollups + raw all": this build, `store.raw_usage: all` (the default);
 *   - "rollups only": this build, `store.raw_usage: none`.
 * Run (after `npm run build` here and in the other checkout):
 *   BENCH_RAW_ONLY_CLI=/path/to/before/dist/cli/main.js npx tsx bench/gateway-rollups.ts [--duration 5] [--rounds 5] [--connections 50]
 * Prints the median requests/s per variant and the median per-round ratio to "raw only".
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import {
  BENCH_ROUTE,
  CLI,
  median,
  numberFlag,
  start,
  startInstantUpstream,
  type Child,
  writeBenchConfig,
} from './harness.js';

const args = process.argv.slice(2);
const DURATION = numberFlag(args, '--duration', 5);
const ROUNDS = numberFlag(args, '--rounds', 5);
const CONNECTIONS = numberFlag(args, '--connections', 50);

async function rps(url: string): Promise<number> {
  const body = JSON.stringify({
    model: BENCH_ROUTE,
    messages: [{ role: 'user', content: 'Say hello' }],
    max_tokens: 32,
  });
  const r = await autocannon({
    url: `${url}/v1/chat/completions`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
    connections: CONNECTIONS,
    duration: DURATION,
  });
  if (r.non2xx > 0 || r.errors > 0) console.error(`  ${url}: ${r.non2xx} non-2xx, ${r.errors} errors`);
  return r.requests.average;
}

async function main(): Promise<void> {
  const rawOnlyCli = process.env.BENCH_RAW_ONLY_CLI;
  if (!rawOnlyCli)
    throw new Error('set BENCH_RAW_ONLY_CLI to the dist/cli/main.js of a build from before usage rollups');
  const dir = mkdtempSync(join(tmpdir(), 'modelpin-bench-rollups-'));
  const sim = await startInstantUpstream();
  const base = readFileSync(writeBenchConfig(dir, sim.url), 'utf8');
  const variant = (name: string, storeLine: string): string => {
    const file = join(dir, `${name}.yml`);
    writeFileSync(file, base.replace(/store: .*\n/, `${storeLine}\n`));
    return file;
  };
  const gateways: Array<{ name: string; child: Child }> = [];
  try {
    const serve = (cli: string, config: string): Promise<Child> =>
      start([cli, 'serve', '--config', config, '--port', '0', '--no-watch', '--log-level', 'warn']);
    gateways.push({
      name: 'raw only',
      child: await serve(rawOnlyCli, variant('raw-only', `store: { type: sqlite, path: ${join(dir, 'raw-only.db')} }`)),
    });
    gateways.push({
      name: 'rollups + raw all',
      child: await serve(
        CLI,
        variant('rollups-all', `store: { type: sqlite, path: ${join(dir, 'rollups-all.db')}, raw_usage: all }`),
      ),
    });
    gateways.push({
      name: 'rollups only',
      child: await serve(
        CLI,
        variant('rollups-none', `store: { type: sqlite, path: ${join(dir, 'rollups-none.db')}, raw_usage: none }`),
      ),
    });
    for (const g of gateways) await rps(g.child.url); // warm-up
    const results = new Map<string, number[]>(gateways.map((g) => [g.name, []]));
    const ratios = new Map<string, number[]>(gateways.map((g) => [g.name, []]));
    for (let round = 0; round < ROUNDS; round++) {
      // Rotate the order each round so no variant always runs first.
      const order = gateways.map((_, i) => gateways[(i + round) % gateways.length] as (typeof gateways)[number]);
      const got = new Map<string, number>();
      for (const g of order) got.set(g.name, await rps(g.child.url));
      const raw = got.get('raw only') ?? NaN;
      for (const [name, v] of got) {
        results.get(name)?.push(v);
        ratios.get(name)?.push(v / raw);
      }
      console.error(`round ${round + 1}/${ROUNDS}: ${[...got].map(([n, v]) => `${n} ${v.toFixed(0)} rps`).join(', ')}`);
    }
    console.log(
      `\ngateway throughput, ${CONNECTIONS} connections, ${ROUNDS} interleaved rounds x ${DURATION} s (medians)`,
    );
    for (const g of gateways) {
      console.log(
        `  ${g.name.padEnd(18)} ${median(results.get(g.name) ?? [])
          .toFixed(0)
          .padStart(6)} rps   ratio to raw only ${median(ratios.get(g.name) ?? []).toFixed(3)}`,
      );
    }
  } finally {
    for (const g of gateways) g.child.proc.kill('SIGTERM');
    sim.proc.kill('SIGTERM');
    setTimeout(() => rmSync(dir, { recursive: true, force: true }), 1000);
  }
}

await main();
