/**
 * CPU time per request of the gateway and of the bare proxy at the same fixed request rate
 * (less noisy than saturating throughput on a shared machine). Build first, then run:
 *   npm run build && npx tsx bench/cpu-per-request.ts [--rate 2000] [--duration 2] [--rounds 5] [--no-ext]
 * Runs are interleaved (bare, gateway, bare, gateway...) and the ratio is taken per round, so a
 * machine whose speed drifts affects both sides alike.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { CLI, ROOT, numberFlag, start, startInstantUpstream, writeBenchConfig, BENCH_MODEL, BENCH_ROUTE } from './harness.js';



function cpuMs(pid: number): { user: number; sys: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return { user: Number(stat[11] ?? 0) * 10, sys: Number(stat[12] ?? 0) * 10 };
}
function rssMb(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
}

async function measure(url: string, model: string, pid: number, rate: number, duration: number): Promise<{ cpu: number; rss: number; requests: number }> {
  const body = JSON.stringify({ model, messages: [{ role: 'user', content: 'Say hello' }], max_tokens: 32 });
  const c0 = cpuMs(pid);
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, rssMb(pid))), 200);
  const r = await autocannon({ url: `${url}/v1/chat/completions`, method: 'POST', headers: { 'content-type': 'application/json' }, body, connections: 50, overallRate: rate, duration });
  clearInterval(sampler);
  const c1 = cpuMs(pid);
  if (r.non2xx) console.error(`${url}: ${r.non2xx} non-2xx`);
  return { cpu: (c1.user + c1.sys - c0.user - c0.sys) / Math.max(1, r.requests.total), rss: peak, requests: r.requests.total };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const rate = numberFlag(args, '--rate', 2000);
  const duration = numberFlag(args, '--duration', 2);
  const rounds = numberFlag(args, '--rounds', 5);
  const dir = mkdtempSync(join(tmpdir(), 'modelpin-cpu-'));
  const up = await startInstantUpstream();
  const config = writeBenchConfig(dir, up.url);
  const bare = await start([join(ROOT, 'bench/bare-proxy.mjs'), up.url]);
  const gw = await start([CLI, 'serve', '--config', config, '--port', '0', '--no-watch', '--log-level', 'warn', ...(args.includes('--no-ext') ? ['--no-extensions'] : [])]);
  try {
    const b = { url: bare.url, model: BENCH_MODEL, pid: bare.proc.pid ?? 0 };
    const g = { url: gw.url, model: BENCH_ROUTE, pid: gw.proc.pid ?? 0 };
    for (const t of [b, g]) await measure(t.url, t.model, t.pid, rate, 2);
    const bs: number[] = [];
    const gs: number[] = [];
    const ratios: number[] = [];
    let rss = 0;
    for (let i = 0; i < rounds; i++) {
      const x = await measure(b.url, b.model, b.pid, rate, duration);
      const y = await measure(g.url, g.model, g.pid, rate, duration);
      bs.push(x.cpu);
      gs.push(y.cpu);
      ratios.push(y.cpu / x.cpu);
      rss = Math.max(rss, y.rss);
    }
    console.log(`fixed rate ${rate} req/s, 50 connections, ${rounds} x ${duration}s interleaved`);
    console.log(`bare proxy  CPU ms/req median ${median(bs).toFixed(3)}  (${bs.map((v) => v.toFixed(3)).join(' ')})`);
    console.log(`gateway     CPU ms/req median ${median(gs).toFixed(3)}  (${gs.map((v) => v.toFixed(3)).join(' ')})  peak RSS ${rss.toFixed(0)} MB`);
    console.log(`gateway / bare CPU per request: median ${median(ratios).toFixed(2)}x`);
  } finally {
    for (const c of [gw, bare, up]) c.proc.kill('SIGTERM');
    setTimeout(() => rmSync(dir, { recursive: true, force: true }), 500);
  }
}

void main();
