/**
 * Two gateway builds and the bare proxy under load at the same time (not a test): on a machine shared with
 * other work, runs taken one after another see different machines, while processes loaded together share
 * whatever the machine gives. Build first, then run:
 *   npm run build && BENCH_BEFORE_CLI=/path/to/other/dist/cli/main.js npx tsx bench/side-by-side.ts [--rate 1000] [--duration 10] [--rounds 4]
 * Each process gets its own instant upstream and its own autocannon at the same offered rate (50 connections).
 * Per round it prints requests answered and CPU µs per request of each (from /proc, Linux); a gateway that
 * cannot keep up answers fewer. The median round is the figure.
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
  type Child,
  writeBenchConfig,
} from './harness.js';

const cpuMs = (pid: number): number => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(stat[11] ?? 0) + Number(stat[12] ?? 0)) * 10;
};
const peakRssMb = (pid: number): number =>
  Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const rate = numberFlag(args, '--rate', 1000);
  const duration = numberFlag(args, '--duration', 10);
  const rounds = numberFlag(args, '--rounds', 4);
  const beforeCli = process.env.BENCH_BEFORE_CLI;
  const dir = mkdtempSync(join(tmpdir(), 'modelpin-side-'));
  const children: Child[] = [];
  const spawn = async (args: string[]): Promise<Child> => {
    const c = await start(args);
    children.push(c);
    return c;
  };
  try {
    const targets: Array<{ name: string; url: string; model: string; pid: number }> = [];
    const add = async (name: string, model: string, args: (upstream: string) => string[]): Promise<void> => {
      const up = await spawn([join(ROOT, 'bench/instant-upstream.mjs')]);
      const c = await spawn(args(up.url));
      targets.push({ name, url: c.url, model, pid: c.proc.pid ?? 0 });
    };
    const serve = (cli: string, name: string) => (up: string) => [
      cli,
      'serve',
      '--config',
      writeBenchConfig(dir, up, `${name}.yml`),
      '--port',
      '0',
      '--no-watch',
      '--log-level',
      'warn',
    ];
    await add('bare proxy', BENCH_MODEL, (up) => [join(ROOT, 'bench/bare-proxy.mjs'), up]);
    await add('gateway', BENCH_ROUTE, serve(CLI, 'gateway'));
    if (beforeCli) await add('gateway before', BENCH_ROUTE, serve(beforeCli, 'before'));
    const body = JSON.stringify({ model: '', messages: [{ role: 'user', content: 'hi' }], max_tokens: 16 });
    const load = (t: (typeof targets)[number], seconds: number) =>
      autocannon({
        url: `${t.url}/v1/chat/completions`,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: body.replace('""', JSON.stringify(t.model)),
        connections: 50,
        duration: seconds,
        overallRate: rate,
      });
    await Promise.all(targets.map((t) => load(t, 2))); // warm up JITs and pools
    const answered = targets.map((): number[] => []);
    const cpu = targets.map((): number[] => []);
    for (let r = 0; r < rounds; r++) {
      const c0 = targets.map((t) => cpuMs(t.pid));
      const out = await Promise.all(targets.map((t) => load(t, duration)));
      targets.forEach((t, i) => {
        const n = out[i]?.requests.total ?? 0;
        answered[i]?.push(n);
        cpu[i]?.push(((cpuMs(t.pid) - (c0[i] ?? 0)) * 1000) / Math.max(1, n));
      });
      console.error(
        `round ${r + 1}: ${targets.map((t, i) => `${t.name} ${answered[i]?.at(-1)} answered, ${cpu[i]?.at(-1)?.toFixed(0)} µs CPU/req`).join('; ')}`,
      );
    }
    console.log(
      `\n${rounds} rounds x ${duration} s, all loaded at once, ${rate} req/s offered to each, 50 connections (median round):`,
    );
    const vsBare = (i: number): string =>
      i === 0
        ? ''
        : `  ${median((cpu[i] ?? []).map((c, k) => c / Math.max(1, cpu[0]?.[k] ?? 0))).toFixed(2)}x the bare proxy's CPU/req`;
    targets.forEach((t, i) =>
      console.log(
        `  ${t.name.padEnd(15)} answered ${median(answered[i] ?? [])
          .toFixed(0)
          .padStart(6)}  CPU ${median(cpu[i] ?? [])
          .toFixed(0)
          .padStart(6)} µs/req  peak RSS ${peakRssMb(t.pid).toFixed(0)} MB${vsBare(i)}`,
      ),
    );
    if (beforeCli) {
      const ratio = (answered[1] ?? []).map((n, k) => n / Math.max(1, answered[2]?.[k] ?? 0));
      console.log(
        `  gateway answered / gateway before, per round: ${ratio.map((x) => x.toFixed(2)).join(', ')} (median ${median(ratio).toFixed(2)})`,
      );
      // Both loaded in the same round see the same machine: their ratio moves far less than either figure.
      const cpuRatio = (cpu[1] ?? []).map((c, k) => c / Math.max(1, cpu[2]?.[k] ?? 0));
      console.log(
        `  gateway CPU/req / gateway before, per round: ${cpuRatio.map((x) => x.toFixed(2)).join(', ')} (median ${median(cpuRatio).toFixed(2)})`,
      );
    }
  } finally {
    for (const c of children.reverse()) c.proc.kill('SIGTERM');
    setTimeout(() => rmSync(dir, { recursive: true, force: true }), 500);
  }
}

void main();
