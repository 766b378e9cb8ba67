/**
 * Gateway throughput and added latency against the floor (not a test). Build first, then run:
 *   npm run build && npx tsx bench/gateway.ts [--duration 8] [--rounds 3] [--stream] [--sequential 2000]
 *   BENCH_NO_EXT=1 npx tsx bench/gateway.ts                                  # gateway without the lifecycle extensions
 *   BENCH_GATEWAY_NODE_FLAGS='--max-semi-space-size=4' npx tsx bench/gateway.ts   # node flags for the gateway processes only
 *   BENCH_BEFORE_CLI=/path/to/other/build/dist/cli/main.js npx tsx bench/gateway.ts  # also run another build, interleaved
 *
 * Method: one upstream that answers at once (bench/instant-upstream.mjs), the floor (bench/bare-proxy.mjs:
 * node:http + a pooled undici client, parse and forward, no routing, no logging) and `modelpin serve` with
 * SQLite usage records, metrics and routing on, each in its own process. Every round runs autocannon
 * against the bare proxy and the gateway in turn, at 1 connection then at 50, so both see the same
 * machine; a round yields the throughput ratio at 50 connections and the added p99 at 1 connection
 * (autocannon's whole milliseconds). The median round is the figure to quote.
 * `--sequential N` adds a one-connection client timing N requests each in microseconds, interleaved in slices.
 * `--stream` sends `stream: true` (the upstream then answers with SSE chunks).
 * RSS and CPU are read from /proc for the proxy processes (Linux).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { pct, sequentialLatency } from './latency.js';
import {
  BENCH_MODEL,
  BENCH_ROUTE,
  CLI,
  ROOT,
  numberFlag,
  start,
  startInstantUpstream,
  writeBenchConfig,
  type Child,
} from './harness.js';

/** Resident set size and CPU time of a process, from /proc (Linux). */
function procStats(pid: number): { rss: number; cpuMs: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return { rss: rssKb * 1024, cpuMs: (Number(stat[11] ?? 0) + Number(stat[12] ?? 0)) * 10 };
}

interface Run {
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  cpuMsPerRequest: number;
}

interface Target {
  name: string;
  url: string;
  model: string;
  pid: number;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length === 0 ? NaN : s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};

async function load(t: Target, connections: number, duration: number, stream: boolean): Promise<Run> {
  const body = JSON.stringify({
    model: t.model,
    messages: [{ role: 'user', content: 'hi' }],
    max_tokens: 16,
    ...(stream ? { stream: true } : {}),
  });
  const before = procStats(t.pid).cpuMs;
  const r = await autocannon({
    url: `${t.url}/v1/chat/completions`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
    connections,
    duration,
  });
  const cpu = (procStats(t.pid).cpuMs - before) / Math.max(1, r.requests.total);
  if (r.non2xx > 0 || r.errors > 0) console.error(`  ${t.name}: ${r.non2xx} non-2xx, ${r.errors} errors`);
  return {
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    requests: r.requests.total,
    cpuMsPerRequest: cpu,
  };
}

async function main(): Promise<void> {
  if (!existsSync(CLI)) {
    console.error('dist/ is missing: run `npm run build` first');
    process.exitCode = 2;
    return;
  }
  const args = process.argv.slice(2);
  const duration = numberFlag(args, '--duration', 8);
  const rounds = numberFlag(args, '--rounds', 3);
  const sequential = numberFlag(args, '--sequential', 0);
  const stream = args.includes('--stream');
  const dir = mkdtempSync(join(tmpdir(), 'modelpin-bench-'));
  const children: Child[] = [];
  const nodeFlags = (process.env.BENCH_GATEWAY_NODE_FLAGS ?? '').split(' ').filter((f) => f !== '');
  const serve = (cli: string, config: string): Promise<Child> =>
    start([
      ...nodeFlags,
      cli,
      'serve',
      '--config',
      config,
      '--port',
      '0',
      '--no-watch',
      '--log-level',
      'warn',
      ...(process.env.BENCH_NO_EXT ? ['--no-extensions'] : []),
    ]);
  try {
    const up = await startInstantUpstream();
    children.push(up);
    const bare = await start([join(ROOT, 'bench/bare-proxy.mjs'), up.url]);
    children.push(bare);
    const gw = await serve(CLI, writeBenchConfig(dir, up.url));
    children.push(gw);
    const targets: Target[] = [
      { name: 'bare proxy', url: bare.url, model: BENCH_MODEL, pid: bare.proc.pid ?? 0 },
      { name: 'gateway', url: gw.url, model: BENCH_ROUTE, pid: gw.proc.pid ?? 0 },
    ];
    const beforeCli = process.env.BENCH_BEFORE_CLI;
    if (beforeCli) {
      const before = await serve(beforeCli, writeBenchConfig(dir, up.url, 'before.yml'));
      children.push(before);
      targets.push({ name: 'gateway before', url: before.url, model: BENCH_ROUTE, pid: before.proc.pid ?? 0 });
    }
    const runs = new Map<string, Run[]>();
    const rss = new Map<string, number>();
    const sampler = setInterval(() => {
      for (const t of targets) rss.set(t.name, Math.max(rss.get(t.name) ?? 0, procStats(t.pid).rss));
    }, 200);
    for (const t of targets) await load(t, 10, 1, stream); // warm up JITs and connection pools
    const perRound: Array<Record<string, { ratio: number; addedP99: number }>> = [];
    for (let round = 0; round < rounds; round++) {
      for (const connections of [1, 50]) {
        for (const t of targets) {
          const key = `${t.name} ${connections}`;
          runs.set(key, [...(runs.get(key) ?? []), await load(t, connections, duration, stream)]);
        }
      }
      const last = (k: string): Run => runs.get(k)?.at(-1) as Run;
      const row: Record<string, { ratio: number; addedP99: number }> = {};
      for (const t of targets.slice(1)) {
        row[t.name] = {
          ratio: last(`${t.name} 50`).rps / last('bare proxy 50').rps,
          addedP99: last(`${t.name} 1`).p99 - last('bare proxy 1').p99,
        };
      }
      perRound.push(row);
      console.error(
        `round ${round + 1}/${rounds}: ${Object.entries(row)
          .map(([n, v]) => `${n} ${v.ratio.toFixed(2)}x, added p99 ${v.addedP99} ms`)
          .join('; ')}`,
      );
    }
    const latency = new Map<string, number[]>();
    if (sequential > 0) {
      for (const t of targets) await sequentialLatency(t.url, t.model, 300);
      const slices = 4;
      for (let i = 0; i < slices; i++) {
        for (const t of targets)
          latency.set(t.name, [
            ...(latency.get(t.name) ?? []),
            ...(await sequentialLatency(t.url, t.model, Math.ceil(sequential / slices))),
          ]);
      }
    }
    clearInterval(sampler);
    const metrics = await (await fetch(`${gw.url}/metrics`)).text();
    const sum = Number(/modelpin_gateway_overhead_seconds_sum (\S+)/.exec(metrics)?.[1] ?? NaN);
    const count = Number(/modelpin_gateway_overhead_seconds_count (\S+)/.exec(metrics)?.[1] ?? NaN);

    console.log(
      `\nmodelpin gateway benchmark: ${rounds} rounds x ${duration} s per run, instant upstream${stream ? ', streamed answers' : ''}${process.env.BENCH_NO_EXT ? ', gateway without extensions' : ''}\n`,
    );
    console.log('target           conns   req/s median (rounds)              p50 ms  p99 ms  CPU ms/req  peak RSS MB');
    for (const connections of [1, 50]) {
      for (const t of targets) {
        const rs = runs.get(`${t.name} ${connections}`) ?? [];
        console.log(
          `${t.name.padEnd(15)} ${String(connections).padStart(5)}   ${median(rs.map((r) => r.rps))
            .toFixed(0)
            .padStart(6)} (${rs.map((r) => r.rps.toFixed(0)).join(', ')})`.padEnd(62) +
            `${median(rs.map((r) => r.p50))
              .toFixed(0)
              .padStart(6)} ${median(rs.map((r) => r.p99))
              .toFixed(0)
              .padStart(7)} ${median(rs.map((r) => r.cpuMsPerRequest))
              .toFixed(3)
              .padStart(11)} ${((rss.get(t.name) ?? 0) / 1024 / 1024).toFixed(0).padStart(12)}`,
        );
      }
    }
    if (sequential > 0) {
      console.log(`\none connection, sequential client, ${sequential} requests each (ms, microsecond timer):`);
      const bareLat = [...(latency.get('bare proxy') ?? [])].sort((a, b) => a - b);
      for (const t of targets) {
        const s = [...(latency.get(t.name) ?? [])].sort((a, b) => a - b);
        const added =
          t.name === 'bare proxy'
            ? ''
            : `  added p50 ${(pct(s, 50) - pct(bareLat, 50)).toFixed(3)}, added p99 ${(pct(s, 99) - pct(bareLat, 99)).toFixed(3)}`;
        console.log(`  ${t.name.padEnd(15)} p50 ${pct(s, 50).toFixed(3)}  p99 ${pct(s, 99).toFixed(3)}${added}`);
      }
    }
    console.log(
      `\ngateway's own time per request (x-modelpin-overhead-ms, mean): ${((sum / count) * 1000).toFixed(3)} ms`,
    );
    for (const t of targets.slice(1)) {
      const ratios = perRound.map((r) => r[t.name]?.ratio ?? NaN);
      const added = perRound.map((r) => r[t.name]?.addedP99 ?? NaN);
      console.log(
        `${t.name}: throughput / bare proxy at 50 connections ${median(ratios).toFixed(2)}x median of rounds (${ratios.map((r) => r.toFixed(2)).join(', ')}) (target >= 0.7x)`,
      );
      console.log(
        `${t.name}: added p99 at 1 connection ${median(added)} ms median of rounds (${added.join(', ')}) (target <= 1 ms)`,
      );
    }
  } finally {
    for (const c of children.reverse()) c.proc.kill('SIGTERM');
    setTimeout(() => rmSync(dir, { recursive: true, force: true }), 500);
  }
}

void main();
