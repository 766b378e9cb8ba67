/**
 * Gateway throughput with OpenTelemetry off and on (not a test). Gateways on the same instant upstream
 * (bench/instant-upstream.mjs), each with its own SQLite store, loaded in turn (interleaved rounds,
 * order rotated each round, so a busy minute on a shared machine hits all of them alike):
 *   - "baseline": a build from before telemetry (BENCH_BASELINE_CLI, the `dist/cli/main.js` of that build; optional);
 *   - "telemetry off": this build, no OTEL_* variables (the default);
 *   - "telemetry on": this build exporting every span and the metrics over OTLP/HTTP protobuf to a local
 *     sink (bench/otlp-sink.mjs) that answers at once;
 *   - "on, 10% sampled": the same with OTEL_TRACES_SAMPLER=parentbased_traceidratio, OTEL_TRACES_SAMPLER_ARG=0.1.
 * Two measures, each interleaved: saturating throughput (requests/s), and the gateway process's CPU
 * time per request at a fixed rate (`--rate`, less noisy on a shared machine; CPU read from /proc).
 * Run (after `npm run build`):
 *   BENCH_BASELINE_CLI=/path/to/before/dist/cli/main.js npx tsx bench/telemetry.ts [--duration 5] [--rounds 5] [--connections 50] [--rate 300]
 * Prints medians per variant and the median per-round ratio to "telemetry off".
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import {
  BENCH_ROUTE,
  CLI,
  median,
  numberFlag,
  ROOT,
  start,
  startInstantUpstream,
  type Child,
  writeBenchConfig,
} from './harness.js';

const args = process.argv.slice(2);
const DURATION = numberFlag(args, '--duration', 5);
const ROUNDS = numberFlag(args, '--rounds', 5);
const CONNECTIONS = numberFlag(args, '--connections', 50);
const RATE = numberFlag(args, '--rate', 300);
const BODY = JSON.stringify({ model: BENCH_ROUTE, messages: [{ role: 'user', content: 'Say hello' }], max_tokens: 32 });

function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(stat[11] ?? 0) + Number(stat[12] ?? 0)) * 10;
}

/** CPU ms of the gateway process per request, at a fixed request rate. */
async function cpuPerRequest(child: Child): Promise<number> {
  const pid = child.proc.pid ?? 0;
  const c0 = cpuMs(pid);
  const r = await autocannon({
    url: `${child.url}/v1/chat/completions`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: BODY,
    connections: CONNECTIONS,
    overallRate: RATE,
    duration: DURATION,
  });
  if (r.non2xx > 0 || r.errors > 0) console.error(`  ${child.url}: ${r.non2xx} non-2xx, ${r.errors} errors`);
  return (cpuMs(pid) - c0) / Math.max(1, r.requests.total);
}

async function rps(url: string): Promise<number> {
  const r = await autocannon({
    url: `${url}/v1/chat/completions`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: BODY,
    connections: CONNECTIONS,
    duration: DURATION,
  });
  if (r.non2xx > 0 || r.errors > 0) console.error(`  ${url}: ${r.non2xx} non-2xx, ${r.errors} errors`);
  return r.requests.average;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'modelpin-bench-otel-'));
  const upstream = await startInstantUpstream();
  const sink = await start([join(ROOT, 'bench/otlp-sink.mjs')]);
  const gateways: Array<{ name: string; child: Child }> = [];
  try {
    const serve = (name: string, cli: string, env: Record<string, string>): Promise<Child> =>
      start(
        [
          cli,
          'serve',
          '--config',
          writeBenchConfig(dir, upstream.url, `${name.replace(/\W+/g, '-')}.yml`),
          '--port',
          '0',
          '--no-watch',
          '--log-level',
          'warn',
        ],
        env,
      );
    const otel = { OTEL_EXPORTER_OTLP_ENDPOINT: sink.url, OTEL_METRIC_EXPORT_INTERVAL: '5000' };
    const baseline = process.env.BENCH_BASELINE_CLI;
    if (baseline) gateways.push({ name: 'baseline', child: await serve('baseline', baseline, {}) });
    gateways.push({ name: 'telemetry off', child: await serve('telemetry off', CLI, {}) });
    gateways.push({ name: 'telemetry on', child: await serve('telemetry on', CLI, otel) });
    gateways.push({
      name: 'on, 10% sampled',
      child: await serve('on sampled', CLI, {
        ...otel,
        OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
        OTEL_TRACES_SAMPLER_ARG: '0.1',
      }),
    });
    for (const g of gateways) await rps(g.child.url); // warm-up
    const interleave = async (
      label: string,
      unit: string,
      digits: number,
      measure: (c: Child) => Promise<number>,
    ): Promise<void> => {
      const results = new Map<string, number[]>(gateways.map((g) => [g.name, []]));
      const ratios = new Map<string, number[]>(gateways.map((g) => [g.name, []]));
      for (let round = 0; round < ROUNDS; round++) {
        // Rotate the order each round so no variant always runs first.
        const order = gateways.map((_, i) => gateways[(i + round) % gateways.length] as (typeof gateways)[number]);
        const got = new Map<string, number>();
        for (const g of order) got.set(g.name, await measure(g.child));
        const off = got.get('telemetry off') ?? NaN;
        for (const [name, v] of got) {
          results.get(name)?.push(v);
          ratios.get(name)?.push(v / off);
        }
        console.error(
          `${label} round ${round + 1}/${ROUNDS}: ${[...got].map(([n, v]) => `${n} ${v.toFixed(digits)} ${unit}`).join(', ')}`,
        );
      }
      console.log(`\n${label}, ${CONNECTIONS} connections, ${ROUNDS} interleaved rounds x ${DURATION} s (medians)`);
      for (const g of gateways) {
        console.log(
          `  ${g.name.padEnd(16)} ${median(results.get(g.name) ?? [])
            .toFixed(digits)
            .padStart(8)} ${unit}   ratio to telemetry off ${median(ratios.get(g.name) ?? []).toFixed(3)}`,
        );
      }
    };
    await interleave('throughput', 'rps', 0, (c) => rps(c.url));
    await interleave(`gateway CPU per request at ${RATE} req/s`, 'ms', 3, cpuPerRequest);
  } finally {
    for (const g of gateways) g.child.proc.kill('SIGTERM');
    upstream.proc.kill('SIGTERM');
    sink.proc.kill('SIGTERM');
    setTimeout(() => rmSync(dir, { recursive: true, force: true }), 1000);
  }
}

await main();
