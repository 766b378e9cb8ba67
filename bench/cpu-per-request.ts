/**
 * CPU time per request of the gateway and of the bare proxy at the same fixed request rate
 * (less noisy than saturating throughput on a shared machine). Build first, then run:
 *   npm run build && npx tsx bench/cpu-per-request.ts [--rate 2000] [--duration 2] [--rounds 5] [--no-ext] [--stream]
 *   (--rate 0 saturates instead: the figures are then those of the throughput comparison's 50-connection runs)
 *   BENCH_BEFORE_CLI=/path/to/other/build/dist/cli/main.js npx tsx bench/cpu-per-request.ts   # also another build, interleaved
 * Runs are interleaved (bare, gateway, bare, gateway...) and the ratio is taken per round, so a
 * machine whose speed drifts affects both sides alike.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import {
  BENCH_MODEL,
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

/** The process's CPU, or with `thread` one thread's (the main thread's id is the pid: the event loop). */
function cpuMs(pid: number, thread?: number): { user: number; sys: number } {
  const path = thread === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${thread}/stat`;
  const stat = readFileSync(path, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return { user: Number(stat[11] ?? 0) * 10, sys: Number(stat[12] ?? 0) * 10 };
}
function rssMb(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
}

let stream = false;

async function measure(
  url: string,
  model: string,
  pid: number,
  rate: number,
  duration: number,
): Promise<{ cpu: number; loop: number; rss: number; requests: number }> {
  const body = JSON.stringify({
    model,
    messages: [{ role: 'user', content: 'Say hello' }],
    max_tokens: 32,
    ...(stream ? { stream: true } : {}),
  });
  const c0 = cpuMs(pid);
  const l0 = cpuMs(pid, pid);
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, rssMb(pid))), 200);
  const r = await autocannon({
    url: `${url}/v1/chat/completions`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
    connections: 50,
    // 0: as fast as it answers (saturated), where the main thread's share is what bounds throughput.
    ...(rate > 0 ? { overallRate: rate } : {}),
    duration,
  });
  clearInterval(sampler);
  const c1 = cpuMs(pid);
  const l1 = cpuMs(pid, pid);
  if (r.non2xx) console.error(`${url}: ${r.non2xx} non-2xx`);
  return {
    cpu: (c1.user + c1.sys - c0.user - c0.sys) / Math.max(1, r.requests.total),
    loop: (l1.user + l1.sys - l0.user - l0.sys) / Math.max(1, r.requests.total),
    rss: peak,
    requests: r.requests.total,
  };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const rate = numberFlag(args, '--rate', 2000);
  const duration = numberFlag(args, '--duration', 2);
  const rounds = numberFlag(args, '--rounds', 5);
  const dir = mkdtempSync(join(tmpdir(), 'modelpin-cpu-'));
  const up = await startInstantUpstream();
  const config = writeBenchConfig(dir, up.url);
  const bare = await start([join(ROOT, 'bench/bare-proxy.mjs'), up.url]);
  stream = args.includes('--stream');
  const serve = (cli: string, cfg: string): Promise<Child> =>
    start([
      cli,
      'serve',
      '--config',
      cfg,
      '--port',
      '0',
      '--no-watch',
      '--log-level',
      'warn',
      ...(args.includes('--no-ext') ? ['--no-extensions'] : []),
    ]);
  const gw = await serve(CLI, config);
  const beforeCli = process.env.BENCH_BEFORE_CLI;
  const before = beforeCli ? await serve(beforeCli, writeBenchConfig(dir, up.url, 'before.yml')) : null;
  try {
    const targets = [
      { name: 'bare proxy', url: bare.url, model: BENCH_MODEL, pid: bare.proc.pid ?? 0 },
      { name: 'gateway', url: gw.url, model: BENCH_ROUTE, pid: gw.proc.pid ?? 0 },
      ...(before ? [{ name: 'gateway before', url: before.url, model: BENCH_ROUTE, pid: before.proc.pid ?? 0 }] : []),
    ];
    for (const t of targets) await measure(t.url, t.model, t.pid, rate, 2);
    const cpu = new Map<string, number[]>();
    const loop = new Map<string, number[]>();
    const ratios = new Map<string, number[]>();
    const rss = new Map<string, number>();
    for (let i = 0; i < rounds; i++) {
      let bareCpu = NaN;
      for (const t of targets) {
        const m = await measure(t.url, t.model, t.pid, rate, duration);
        cpu.set(t.name, [...(cpu.get(t.name) ?? []), m.cpu]);
        loop.set(t.name, [...(loop.get(t.name) ?? []), m.loop]);
        rss.set(t.name, Math.max(rss.get(t.name) ?? 0, m.rss));
        if (t.name === 'bare proxy') bareCpu = m.cpu;
        else ratios.set(t.name, [...(ratios.get(t.name) ?? []), m.cpu / bareCpu]);
      }
    }
    console.log(
      `${rate > 0 ? `fixed rate ${rate} req/s` : 'saturated'}, 50 connections, ${rounds} x ${duration}s interleaved${stream ? ', streamed answers' : ''}`,
    );
    for (const t of targets) {
      const xs = cpu.get(t.name) ?? [];
      console.log(
        `${t.name.padEnd(15)} CPU ms/req median ${median(xs).toFixed(3)}  (${xs.map((v) => v.toFixed(3)).join(' ')})  peak RSS ${(rss.get(t.name) ?? 0).toFixed(0)} MB`,
      );
      // The event loop's thread alone: what bounds throughput (other threads run on the other core).
      const ls = loop.get(t.name) ?? [];
      console.log(
        `${''.padEnd(15)} main thread ms/req median ${median(ls).toFixed(3)}  (${ls.map((v) => v.toFixed(3)).join(' ')})`,
      );
    }
    for (const [name, rs] of ratios)
      console.log(
        `${name} / bare proxy CPU per request: median ${median(rs).toFixed(2)}x (${rs.map((v) => v.toFixed(2)).join(' ')})`,
      );
  } finally {
    for (const c of [gw, before, bare, up]) c?.proc.kill('SIGTERM');
    setTimeout(() => rmSync(dir, { recursive: true, force: true }), 500);
  }
}

void main();
