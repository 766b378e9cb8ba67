/**
 * CPU time per request of the gateway and of the bare proxy at the same fixed request rate
 * (less noisy than saturating throughput on a shared machine). Build first, then run:
 *   npm run build && npx tsx bench/cpu-per-request.ts [--rate 2000] [--duration 5] [--no-ext]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import autocannon from 'autocannon';

const ROOT = resolve(import.meta.dirname, '..');
const CLI = join(ROOT, 'dist/cli/main.js');

function start(args: string[]): Promise<{ url: string; proc: ChildProcess }> {
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

function cpuMs(pid: number): { user: number; sys: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return { user: Number(stat[11] ?? 0) * 10, sys: Number(stat[12] ?? 0) * 10 };
}
function rssMb(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
}

async function measure(name: string, url: string, model: string, pid: number, rate: number, duration: number): Promise<void> {
  const body = JSON.stringify({ model, messages: [{ role: 'user', content: 'Say hello' }], max_tokens: 32 });
  const c0 = cpuMs(pid);
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, rssMb(pid))), 200);
  const r = await autocannon({ url: `${url}/v1/chat/completions`, method: 'POST', headers: { 'content-type': 'application/json' }, body, connections: 50, overallRate: rate, duration });
  clearInterval(sampler);
  const c1 = cpuMs(pid);
  const n = r.requests.total;
  console.log(
    `${name.padEnd(12)} ${String(n).padStart(7)} req  user ${((c1.user - c0.user) / n).toFixed(3)}  sys ${((c1.sys - c0.sys) / n).toFixed(3)}  total ${((c1.user + c1.sys - c0.user - c0.sys) / n).toFixed(3)} ms/req  peak RSS ${peak.toFixed(0)} MB${r.non2xx ? `  non-2xx ${r.non2xx}` : ''}`,
  );
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const opt = (n: string, d: number): number => (args.includes(n) ? Number(args[args.indexOf(n) + 1]) : d);
  const rate = opt('--rate', 2000);
  const duration = opt('--duration', 5);
  const dir = mkdtempSync(join(tmpdir(), 'modelpin-cpu-'));
  const sim = await start([CLI, 'simulate', '--port', '0', '--fast', '--seed', '1']);
  const config = join(dir, 'models.yml');
  writeFileSync(config, `providers:\n  up: { type: openai, base_url: "${sim.url}/v1", api_key: bench }\nroutes:\n  bench: { targets: { production: up/sim-chat-2026-01-15 } }\nstore: { type: sqlite, path: ${join(dir, 'usage.db')} }\n`);
  const bare = await start([join(ROOT, 'bench/bare-proxy.mjs'), sim.url]);
  const gw = await start([CLI, 'serve', '--config', config, '--port', '0', '--no-watch', '--log-level', 'warn', ...(args.includes('--no-ext') ? ['--no-extensions'] : [])]);
  try {
    await measure('warm-up', gw.url, 'bench', gw.proc.pid ?? 0, rate, 2);
    await measure('warm-up', bare.url, 'sim-chat-2026-01-15', bare.proc.pid ?? 0, rate, 2);
    console.log(`fixed rate ${rate} req/s, 50 connections, ${duration}s`);
    await measure('bare proxy', bare.url, 'sim-chat-2026-01-15', bare.proc.pid ?? 0, rate, duration);
    await measure('gateway', gw.url, 'bench', gw.proc.pid ?? 0, rate, duration);
  } finally {
    for (const c of [gw, bare, sim]) c.proc.kill('SIGTERM');
    setTimeout(() => rmSync(dir, { recursive: true, force: true }), 500);
  }
}

void main();
