/**
 * CPU profile of the gateway under load (not a test). Build first, then run:
 *   npm run build && npx tsx bench/profile-gateway.ts [--duration 5] [--connections 50] [--no-ext] [--bare] [--top 40] [--rate 0]
 * Starts the instant upstream (bench/instant-upstream.mjs) and `modelpin serve --cpu-prof` (or, with --bare, the bare proxy
 * bench/bare-proxy.mjs for comparison), drives it with autocannon,
 * stops it with SIGTERM (the profile is written on exit) and prints self time by function and by file.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import {
  CLI,
  ROOT,
  numberFlag,
  start,
  startInstantUpstream,
  writeBenchConfig,
  BENCH_MODEL,
  BENCH_ROUTE,
} from './harness.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function summarize(p: Profile, top: number, requests: number): void {
  const self = new Map<number, number>();
  for (let i = 0; i < p.samples.length; i++) {
    const id = p.samples[i] ?? 0;
    self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[i] ?? 0));
  }
  const byFn = new Map<string, number>();
  const byFile = new Map<string, number>();
  let total = 0;
  for (const n of p.nodes) {
    const t = self.get(n.id) ?? 0;
    total += t;
    const file = n.callFrame.url.replace(/^file:\/\//, '').replace(ROOT + '/', '') || '(native)';
    const fn = `${n.callFrame.functionName || '(anonymous)'} ${file}:${n.callFrame.lineNumber + 1}`;
    byFn.set(fn, (byFn.get(fn) ?? 0) + t);
    const group = file.includes('node_modules/')
      ? file.replace(/.*node_modules\/((?:@[^/]+\/)?[^/]+).*/, 'npm:$1')
      : file;
    byFile.set(group, (byFile.get(group) ?? 0) + t);
  }
  const idle = [...p.nodes]
    .filter((n) => n.callFrame.functionName === '(idle)')
    .reduce((s, n) => s + (self.get(n.id) ?? 0), 0);
  const busy = total - idle;
  byFile.delete('(native)');
  byFile.set(
    '(native, idle excluded)',
    [...p.nodes]
      .filter((n) => !n.callFrame.url && n.callFrame.functionName !== '(idle)')
      .reduce((s, n) => s + (self.get(n.id) ?? 0), 0),
  );
  // Inclusive time of the project's own functions: each sample counts once per function on its stack.
  const parent = new Map<number, ProfileNode>();
  const byId = new Map<number, ProfileNode>();
  for (const n of p.nodes) {
    byId.set(n.id, n);
    for (const c of n.children ?? []) parent.set(c, n);
  }
  const inclusive = new Map<string, number>();
  for (const [id, t] of self) {
    const seen = new Set<string>();
    for (let n = byId.get(id); n; n = parent.get(n.id)) {
      const url = n.callFrame.url;
      if (!url.includes('/dist/') && !url.includes('/bench/')) continue;
      const k = `${n.callFrame.functionName || '(anonymous)'} ${url.replace(/.*\/(dist|bench)\//, '$1/')}:${n.callFrame.lineNumber + 1}`;
      if (seen.has(k)) continue;
      seen.add(k);
      inclusive.set(k, (inclusive.get(k) ?? 0) + t);
    }
  }
  const print = (title: string, m: Map<string, number>): void => {
    console.log(`\n${title} (% of busy time ${(busy / 1000).toFixed(0)} ms; µs per request)`);
    for (const [k, v] of [...m.entries()]
      .filter(([k]) => !k.startsWith('(idle)'))
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)) {
      console.log(`${((v / busy) * 100).toFixed(1).padStart(6)}% ${(v / requests).toFixed(1).padStart(7)}  ${k}`);
    }
  };
  console.log(`\nbusy ${(busy / requests).toFixed(1)} µs per request (${requests} requests)`);
  print('self time by function', byFn);
  print('self time by file/package', byFile);
  print('inclusive time of project functions', inclusive);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const duration = numberFlag(args, '--duration', 5);
  const connections = numberFlag(args, '--connections', 50);
  const top = numberFlag(args, '--top', 40);
  const rate = numberFlag(args, '--rate', 0);
  const dir = mkdtempSync(join(tmpdir(), 'modelpin-prof-'));
  const up = await startInstantUpstream();
  const config = writeBenchConfig(dir, up.url);
  const bare = args.includes('--bare');
  const gw = await start(
    bare
      ? ['--cpu-prof', '--cpu-prof-dir', dir, join(ROOT, 'bench/bare-proxy.mjs'), up.url]
      : [
          '--cpu-prof',
          '--cpu-prof-dir',
          dir,
          CLI,
          'serve',
          '--config',
          config,
          '--port',
          '0',
          '--no-watch',
          '--log-level',
          'warn',
          ...(args.includes('--no-ext') ? ['--no-extensions'] : []),
        ],
  );
  const body = JSON.stringify({
    model: bare ? BENCH_MODEL : BENCH_ROUTE,
    messages: [{ role: 'user', content: 'Say hello' }],
    max_tokens: 32,
  });
  const r = await autocannon({
    url: `${gw.url}/v1/chat/completions`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
    connections,
    duration,
    ...(rate > 0 ? { overallRate: rate } : {}),
  });
  console.log(
    `${r.requests.average.toFixed(0)} req/s, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms, non-2xx ${r.non2xx}`,
  );
  await new Promise<void>((res) => {
    gw.proc.once('exit', () => res());
    gw.proc.kill('SIGTERM');
  });
  up.proc.kill('SIGTERM');
  // One profile per thread, named CPU.<date>.<time>.<pid>.<thread>.<seq>: thread 0 is the event loop; the
  // others (the SQLite usage writer thread) run in parallel and are reported as their busy time only.
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  const thread = (f: string): number => Number(f.split('.').at(-3));
  const file = files.find((f) => thread(f) === 0) ?? files[0];
  if (!file) throw new Error(`no .cpuprofile written in ${dir}`);
  console.log(`profile: ${join(dir, file)}`);
  summarize(JSON.parse(readFileSync(join(dir, file), 'utf8')) as Profile, top, r.requests.total);
  for (const f of files.filter((x) => x !== file)) {
    const p = JSON.parse(readFileSync(join(dir, f), 'utf8')) as Profile;
    const idle = new Set(p.nodes.filter((n) => n.callFrame.functionName === '(idle)').map((n) => n.id));
    let busy = 0;
    for (let i = 0; i < p.samples.length; i++) if (!idle.has(p.samples[i] ?? -1)) busy += p.timeDeltas[i] ?? 0;
    console.log(`other thread ${join(dir, f)}: busy ${(busy / r.requests.total).toFixed(1)} µs per request`);
  }
}

void main();
