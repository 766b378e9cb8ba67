/**
 * Gateway overhead benchmark (not a test). Build first, then run:
 *   npm run build && npx tsx bench/gateway.ts [--duration 5] [--rounds 3] [--latency-requests 4000]
 *   BENCH_NO_EXT=1 npx tsx bench/gateway.ts    # gateway without the lifecycle extensions
 *   BENCH_GATEWAY_NODE_FLAGS='--max-semi-space-size=4' npx tsx bench/gateway.ts   # node flags for the gateway only
 *   BENCH_BEFORE_CLI=/path/to/other/build/dist/cli/main.js npx tsx bench/gateway.ts  # also run another build, interleaved
 * Upstream: the simulator in fast mode over HTTP (`modelpin simulate --fast`). Compares direct calls,
 * a bare pass-through proxy (bench/bare-proxy.mjs: node:http + undici, no routing, no logging) and
 * the shipped gateway (`modelpin serve`, SQLite usage logging, default extensions), each in its own
 * process, at 1 and 50 connections. On a shared machine the CPU available drifts from one minute
 * to the next, so bare proxy and gateway runs are interleaved in rounds and the ratio is taken per
 * round (median reported). autocannon reports whole milliseconds, so the "added p99" target is
 * measured separately with a sequential client timing each request in microseconds.
 * RSS and CPU are read from /proc for the proxy processes (Linux).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { pct, sequentialLatency } from './latency.js';
import { CLI, ROOT, numberFlag, start, startFastSimulator, writeBenchConfig } from './harness.js';



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
  cpuMsPerRequest: number | null;
}

type Name = 'direct' | 'bare proxy' | 'gateway' | 'gateway before';

async function load(url: string, model: string, connections: number, duration: number, pid?: number): Promise<Run> {
  const body = JSON.stringify({ model, messages: [{ role: 'user', content: 'Say hello' }], max_tokens: 32 });
  const before = pid ? procStats(pid).cpuMs : 0;
  const r = await autocannon({ url: `${url}/v1/chat/completions`, method: 'POST', headers: { 'content-type': 'application/json' }, body, connections, duration });
  const cpu = pid ? (procStats(pid).cpuMs - before) / Math.max(1, r.requests.total) : null;
  if (r.non2xx > 0 || r.errors > 0) console.error(`  ${url}: ${r.non2xx} non-2xx, ${r.errors} errors`);
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, requests: r.requests.total, cpuMsPerRequest: cpu };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length === 0 ? NaN : s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};

async function main(): Promise<void> {
  if (!existsSync(CLI)) {
    console.error('dist/ is missing: run `npm run build` first');
    process.exitCode = 2;
    return;
  }
  const args = process.argv.slice(2);
  const opt = (name: string, d: number): number => numberFlag(args, name, d) || d;
  const duration = opt('--duration', 5);
  const rounds = opt('--rounds', 3);
  const latencyRequests = opt('--latency-requests', 4000);
  const dir = mkdtempSync(join(tmpdir(), 'modelpin-bench-'));
  const sim = await startFastSimulator();
  const config = writeBenchConfig(dir, sim.url);
  writeFileSync(join(dir, 'before.yml'), readFileSync(config, 'utf8').replace('usage.db', 'usage-before.db'));
  const bare = await start([join(ROOT, 'bench/bare-proxy.mjs'), sim.url]);
  // BENCH_GATEWAY_NODE_FLAGS: extra node flags for the gateway process only (e.g. heap sizing), to compare settings.
  const gwFlags = (process.env.BENCH_GATEWAY_NODE_FLAGS ?? '').split(' ').filter((f) => f !== '');
  const gw = await start([...gwFlags, CLI, 'serve', '--config', config, '--port', '0', '--no-watch', '--log-level', 'warn', ...(process.env.BENCH_NO_EXT ? ['--no-extensions'] : [])]);
  const gwPid = gw.proc.pid ?? 0;
  const beforeCli = process.env.BENCH_BEFORE_CLI;
  const before = beforeCli
    ? await start([...gwFlags, beforeCli, 'serve', '--config', config.replace('models.yml', 'before.yml'), '--port', '0', '--no-watch', '--log-level', 'warn', ...(process.env.BENCH_NO_EXT ? ['--no-extensions'] : [])])
    : null;
  const targets: Partial<Record<Name, { url: string; model: string; pid?: number }>> = {
    direct: { url: sim.url, model: 'sim-chat-2026-01-15' },
    'bare proxy': { url: bare.url, model: 'sim-chat-2026-01-15', ...(bare.proc.pid ? { pid: bare.proc.pid } : {}) },
    gateway: { url: gw.url, model: 'bench', pid: gwPid },
    ...(before ? { 'gateway before': { url: before.url, model: 'bench', ...(before.proc.pid ? { pid: before.proc.pid } : {}) } } : {}),
  };
  const names = Object.keys(targets) as Name[];
  const runs = new Map<string, Run[]>();
  const ratios: number[] = [];
  let rssPeak = 0;
  let rssPeakBefore = 0;
  let overheadMean = NaN;
  const latency: Partial<Record<Name, number[]>> = {};
  try {
    // Warm up JITs and connection pools.
    for (const t of Object.values(targets)) if (t) await load(t.url, t.model, 10, 1);
    const sampler = setInterval(() => {
      rssPeak = Math.max(rssPeak, procStats(gwPid).rss);
      if (before?.proc.pid) rssPeakBefore = Math.max(rssPeakBefore, procStats(before.proc.pid).rss);
    }, 200);
    for (let round = 0; round < rounds; round++) {
      for (const connections of [1, 50]) {
        for (const name of names) {
          const t = targets[name];
          if (!t) continue;
          const run = await load(t.url, t.model, connections, duration, t.pid);
          const key = `${name} ${connections}`;
          runs.set(key, [...(runs.get(key) ?? []), run]);
        }
      }
      const b = runs.get('bare proxy 50')?.at(-1);
      const g = runs.get('gateway 50')?.at(-1);
      if (b && g) ratios.push(g.rps / b.rps);
      console.error(`round ${round + 1}/${rounds}: gateway / bare proxy at 50 connections ${(ratios.at(-1) ?? NaN).toFixed(2)}x`);
    }
    // Sequential latency, interleaved in slices so both see the same machine.
    const slices = 4;
    const latencyNames = names.filter((n) => n !== 'direct');
    for (const name of latencyNames) {
      const t = targets[name];
      if (t) await sequentialLatency(t.url, t.model, 500);
    }
    for (let i = 0; i < slices; i++) {
      for (const name of latencyNames) {
        const t = targets[name];
        if (t) (latency[name] ??= []).push(...(await sequentialLatency(t.url, t.model, Math.ceil(latencyRequests / slices))));
      }
    }
    clearInterval(sampler);
    const text = await (await fetch(`${gw.url}/metrics`)).text();
    const sum = Number(/modelpin_gateway_overhead_seconds_sum (\S+)/.exec(text)?.[1] ?? NaN);
    const count = Number(/modelpin_gateway_overhead_seconds_count (\S+)/.exec(text)?.[1] ?? NaN);
    overheadMean = (sum / count) * 1000;
  } finally {
    for (const c of [gw, before, bare, sim]) c?.proc.kill('SIGTERM');
    setTimeout(() => rmSync(dir, { recursive: true, force: true }), 500);
  }

  console.log(`\nmodelpin gateway benchmark (${rounds} rounds x ${duration}s per run, simulator fast mode upstream${process.env.BENCH_NO_EXT ? ', gateway without extensions' : ''}${gwFlags.length ? `, gateway node flags ${gwFlags.join(' ')}` : ''})\n`);
  console.log('target        conns   req/s (median of rounds)   p50 ms   p99 ms   CPU ms/req');
  for (const connections of [1, 50]) {
    for (const name of names) {
      const rs = runs.get(`${name} ${connections}`) ?? [];
      const cpu = rs.map((r) => r.cpuMsPerRequest).filter((c): c is number => c !== null);
      console.log(
        `${name.padEnd(13)} ${String(connections).padStart(5)} ${median(rs.map((r) => r.rps)).toFixed(0).padStart(8)} (${rs.map((r) => r.rps.toFixed(0)).join(', ')})`.padEnd(48) +
          `${median(rs.map((r) => r.p50)).toFixed(0).padStart(6)} ${median(rs.map((r) => r.p99)).toFixed(0).padStart(8)} ${cpu.length ? median(cpu).toFixed(3).padStart(12) : ''}`,
      );
    }
  }
  const sortedOf = (n: Name): number[] => [...(latency[n] ?? [])].sort((a, b) => a - b);
  const sorted = { bare: sortedOf('bare proxy'), gw: sortedOf('gateway') };
  console.log(`\nsequential latency, one connection, ${sorted.gw.length} requests each (ms):`);
  for (const n of names.filter((x) => x !== 'direct')) {
    const s = sortedOf(n);
    console.log(`  ${n.padEnd(15)} p50 ${pct(s, 50).toFixed(3)}  p90 ${pct(s, 90).toFixed(3)}  p99 ${pct(s, 99).toFixed(3)}`);
  }
  if (before) {
    const bs = sortedOf('gateway before');
    const bRatios = (runs.get('gateway before 50') ?? []).map((r, i) => r.rps / (runs.get('bare proxy 50')?.[i]?.rps ?? NaN));
    console.log(`\ngateway before / bare proxy at 50 connections: ${median(bRatios).toFixed(2)}x (${bRatios.map((r) => r.toFixed(2)).join(', ')}); added p99 ${(pct(bs, 99) - pct(sorted.bare, 99)).toFixed(3)} ms; added p50 ${(pct(bs, 50) - pct(sorted.bare, 50)).toFixed(3)} ms; peak RSS ${(rssPeakBefore / 1024 / 1024).toFixed(0)} MB`);
  }
  console.log(`\ngateway / bare proxy at 50 connections: ${median(ratios).toFixed(2)}x median of rounds (${ratios.map((r) => r.toFixed(2)).join(', ')}) (target >= 0.7x)`);
  console.log(`added p99 at 1 connection (gateway - bare, sequential client): ${(pct(sorted.gw, 99) - pct(sorted.bare, 99)).toFixed(3)} ms (target <= 1 ms)`);
  console.log(`added p50 at 1 connection: ${(pct(sorted.gw, 50) - pct(sorted.bare, 50)).toFixed(3)} ms`);
  console.log(`gateway's own time per request (x-modelpin-overhead-ms, mean over all runs): ${overheadMean.toFixed(3)} ms`);
  console.log(`gateway peak RSS under load: ${(rssPeak / 1024 / 1024).toFixed(0)} MB (target <= 150 MB)`);
}

void main();
