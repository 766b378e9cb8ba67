/**
 * Gateway throughput with OpenTelemetry off and on (not a test). Gateways on the same instant upstream
 * (bench/instant-upstream.mjs), each with its own SQLite store, loaded in turn (interleaved rounds,
 * order rotated each round, so a busy minute on a shared machine hits all of them alike):
 *   - "baseline": a build from before telemetry (BENCH_BASELINE_CLI, the `dist/cli/main.js` of that build; optional);
 *   - "telemetry off": this build, no OTEL_* variables (the default);
 *   - "telemetry on": this build exporting every span and the metrics over OTLP/HTTP protobuf to a local
 *     sink (bench/otlp-sink.mjs) that answers at once;
 *   - "on, 10% sampled": the same with OTEL_TRACES_SAMPLER=parentbased_traceidratio, OTEL_TRACES_SAMPLER_ARG=0.1.
 * Run (after `npm run build`):
 *   BENCH_BASELINE_CLI=/path/to/before/dist/cli/main.js npx tsx bench/telemetry.ts [--duration 5] [--rounds 5] [--connections 50]
 * Prints the median requests/s per variant and the median per-round ratio to "telemetry off".
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { BENCH_ROUTE, CLI, ROOT, numberFlag, start, startInstantUpstream, writeBenchConfig, type Child } from './harness.js';

const args = process.argv.slice(2);
const DURATION = numberFlag(args, '--duration', 5);
const ROUNDS = numberFlag(args, '--rounds', 5);
const CONNECTIONS = numberFlag(args, '--connections', 50);

async function rps(url: string): Promise<number> {
  const body = JSON.stringify({ model: BENCH_ROUTE, messages: [{ role: 'user', content: 'Say hello' }], max_tokens: 32 });
  const r = await autocannon({ url: `${url}/v1/chat/completions`, method: 'POST', headers: { 'content-type': 'application/json' }, body, connections: CONNECTIONS, duration: DURATION });
  if (r.non2xx > 0 || r.errors > 0) console.error(`  ${url}: ${r.non2xx} non-2xx, ${r.errors} errors`);
  return r.requests.average;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'modelpin-bench-otel-'));
  const upstream = await startInstantUpstream();
  const sink = await start([join(ROOT, 'bench/otlp-sink.mjs')]);
  const gateways: Array<{ name: string; child: Child }> = [];
  try {
    const serve = (name: string, cli: string, env: Record<string, string>): Promise<Child> =>
      start([cli, 'serve', '--config', writeBenchConfig(dir, upstream.url, `${name.replace(/\W+/g, '-')}.yml`), '--port', '0', '--no-watch', '--log-level', 'warn'], env);
    const otel = { OTEL_EXPORTER_OTLP_ENDPOINT: sink.url, OTEL_METRIC_EXPORT_INTERVAL: '5000' };
    const baseline = process.env.BENCH_BASELINE_CLI;
    if (baseline) gateways.push({ name: 'baseline', child: await serve('baseline', baseline, {}) });
    gateways.push({ name: 'telemetry off', child: await serve('telemetry off', CLI, {}) });
    gateways.push({ name: 'telemetry on', child: await serve('telemetry on', CLI, otel) });
    gateways.push({ name: 'on, 10% sampled', child: await serve('on sampled', CLI, { ...otel, OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.1' }) });
    for (const g of gateways) await rps(g.child.url); // warm-up
    const results = new Map<string, number[]>(gateways.map((g) => [g.name, []]));
    const ratios = new Map<string, number[]>(gateways.map((g) => [g.name, []]));
    for (let round = 0; round < ROUNDS; round++) {
      const order = gateways.map((_, i) => gateways[(i + round) % gateways.length] as (typeof gateways)[number]);
      const got = new Map<string, number>();
      for (const g of order) got.set(g.name, await rps(g.child.url));
      const off = got.get('telemetry off') ?? NaN;
      for (const [name, v] of got) {
        results.get(name)?.push(v);
        ratios.get(name)?.push(v / off);
      }
      console.error(`round ${round + 1}/${ROUNDS}: ${[...got].map(([n, v]) => `${n} ${v.toFixed(0)} rps`).join(', ')}`);
    }
    console.log(`\ngateway throughput, ${CONNECTIONS} connections, ${ROUNDS} interleaved rounds x ${DURATION} s (medians)`);
    for (const g of gateways) {
      console.log(`  ${g.name.padEnd(16)} ${median(results.get(g.name) ?? []).toFixed(0).padStart(6)} rps   ratio to telemetry off ${median(ratios.get(g.name) ?? []).toFixed(3)}`);
    }
  } finally {
    for (const g of gateways) g.child.proc.kill('SIGTERM');
    upstream.proc.kill('SIGTERM');
    sink.proc.kill('SIGTERM');
    setTimeout(() => rmSync(dir, { recursive: true, force: true }), 1000);
  }
}

await main();
