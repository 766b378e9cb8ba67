/**
 * Gateway overhead benchmark (not a test). Build first, then run:
 *   npm run build && npx tsx bench/gateway.ts [--duration 5]
 * Upstream: the simulator in fast mode over HTTP (`modelpin simulate --fast`). Compares direct calls,
 * a bare pass-through proxy (bench/bare-proxy.mjs: node:http + undici, no routing, no logging) and
 * the shipped gateway (`modelpin serve`, SQLite usage logging, default extensions), each in its own
 * process, at 1 and 50 connections. RSS and CPU are read from /proc for the gateway process.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import autocannon from 'autocannon';

const ROOT = resolve(import.meta.dirname, '..');
const CLI = join(ROOT, 'dist/cli/main.js');

interface Child {
  url: string;
  proc: ChildProcess;
}

function start(args: string[]): Promise<Child> {
  const proc = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((res, rej) => {
    let out = '';
    proc.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /(http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m?.[1]) res({ url: m[1], proc });
    });
    proc.once('exit', (code) => rej(new Error(`${args.join(' ')} exited with ${code}`)));
  });
}

/** Resident set size and CPU ticks of a process, from /proc (Linux). */
function procStats(pid: number): { rss: number; cpuMs: number; userMs: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  const ticks = Number(stat[11] ?? 0) + Number(stat[12] ?? 0);
  return { rss: rssKb * 1024, cpuMs: ticks * 10, userMs: Number(stat[11] ?? 0) * 10 };
}

interface Row {
  name: string;
  connections: number;
  rps: number;
  p50: number;
  p99: number;
  requests: number;
}

async function load(name: string, url: string, model: string, connections: number, duration: number): Promise<Row> {
  const body = JSON.stringify({ model, messages: [{ role: 'user', content: 'Say hello' }], max_tokens: 32 });
  const r = await autocannon({ url: `${url}/v1/chat/completions`, method: 'POST', headers: { 'content-type': 'application/json' }, body, connections, duration });
  if (r.non2xx > 0 || r.errors > 0) console.error(`  ${name}: ${r.non2xx} non-2xx, ${r.errors} errors`);
  return { name, connections, rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, requests: r.requests.total };
}

async function main(): Promise<void> {
  if (!existsSync(CLI)) {
    console.error('dist/ is missing: run `npm run build` first');
    process.exitCode = 2;
    return;
  }
  const args = process.argv.slice(2);
  const duration = Number(args[args.indexOf('--duration') + 1] ?? 5) || 5;
  const dir = mkdtempSync(join(tmpdir(), 'modelpin-bench-'));
  const sim = await start([CLI, 'simulate', '--port', '0', '--fast', '--seed', '1']);
  const config = join(dir, 'models.yml');
  writeFileSync(
    config,
    `providers:
  up: { type: openai, base_url: "${sim.url}/v1", api_key: bench }
routes:
  bench: { targets: { production: up/sim-chat-2026-01-15 } }
store: { type: sqlite, path: ${join(dir, 'usage.db')} }
`,
  );
  const bare = await start([join(ROOT, 'bench/bare-proxy.mjs'), sim.url]);
  const gw = await start([CLI, 'serve', '--config', config, '--port', '0', '--no-watch', '--log-level', 'warn', ...(process.env.BENCH_NO_EXT ? ['--no-extensions'] : [])]);
  const gwPid = gw.proc.pid ?? 0;
  const rows: Row[] = [];
  let rssPeak = 0;
  let overheadMean = NaN;
  const cpuPerRequest: Record<string, number> = {};
  const userPerRequest: Record<string, number> = {};
  try {
    // Warm up JITs and connection pools.
    for (const [n, u, m] of [['direct', sim.url, 'sim-chat-2026-01-15'], ['bare proxy', bare.url, 'sim-chat-2026-01-15'], ['gateway', gw.url, 'bench']] as const) await load(n, u, m, 10, 1);
    for (const connections of [1, 50]) {
      rows.push(await load('direct', sim.url, 'sim-chat-2026-01-15', connections, duration));
      const b0 = procStats(bare.proc.pid ?? 0);
      const b = await load('bare proxy', bare.url, 'sim-chat-2026-01-15', connections, duration);
      const b1 = procStats(bare.proc.pid ?? 0);
      cpuPerRequest[`bare proxy ${connections}`] = (b1.cpuMs - b0.cpuMs) / b.requests;
      userPerRequest[`bare proxy ${connections}`] = (b1.userMs - b0.userMs) / b.requests;
      rows.push(b);
      const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, procStats(gwPid).rss)), 200);
      const g0 = procStats(gwPid);
      const g = await load('gateway', gw.url, 'bench', connections, duration);
      const g1 = procStats(gwPid);
      cpuPerRequest[`gateway ${connections}`] = (g1.cpuMs - g0.cpuMs) / g.requests;
      userPerRequest[`gateway ${connections}`] = (g1.userMs - g0.userMs) / g.requests;
      clearInterval(sampler);
      rows.push(g);
    }
    const text = await (await fetch(`${gw.url}/metrics`)).text();
    const sum = Number(/modelpin_gateway_overhead_seconds_sum (\S+)/.exec(text)?.[1] ?? NaN);
    const count = Number(/modelpin_gateway_overhead_seconds_count (\S+)/.exec(text)?.[1] ?? NaN);
    overheadMean = (sum / count) * 1000;
  } finally {
    for (const c of [gw, bare, sim]) c.proc.kill('SIGTERM');
    setTimeout(() => rmSync(dir, { recursive: true, force: true }), 500);
  }
  console.log(`\nmodelpin gateway benchmark (${duration}s per run, simulator fast mode upstream)\n`);
  console.log('target        conns    req/s   p50 ms   p99 ms   CPU ms/req (user)');
  for (const r of rows) {
    const cpu = cpuPerRequest[`${r.name} ${r.connections}`];
    console.log(
      `${r.name.padEnd(13)} ${String(r.connections).padStart(5)} ${r.rps.toFixed(0).padStart(8)} ${r.p50.toFixed(2).padStart(8)} ${r.p99.toFixed(2).padStart(8)} ${cpu === undefined ? '' : `${cpu.toFixed(3).padStart(12)} (${(userPerRequest[`${r.name} ${r.connections}`] ?? 0).toFixed(3)})`}`,
    );
  }
  const find = (n: string, c: number) => rows.find((r) => r.name === n && r.connections === c);
  const g50 = find('gateway', 50);
  const b50 = find('bare proxy', 50);
  const g1 = find('gateway', 1);
  const b1 = find('bare proxy', 1);
  if (g50 && b50 && g1 && b1) {
    console.log(`\ngateway / bare proxy at 50 connections: ${(g50.rps / b50.rps).toFixed(2)}x (target >= 0.7x)`);
    console.log(`added p99 at 1 connection (gateway - bare): ${(g1.p99 - b1.p99).toFixed(2)} ms (target <= 1 ms)`);
    console.log(`gateway's own time per request (x-modelpin-overhead-ms, mean over all runs): ${overheadMean.toFixed(3)} ms`);
    console.log(`gateway peak RSS under load: ${(rssPeak / 1024 / 1024).toFixed(0)} MB (target <= 150 MB)`);
  }
}

void main();
