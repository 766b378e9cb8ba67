/**
 * Where the gateway allocates under load (not a test). Build first, then run:
 *   npm run build && npx tsx bench/alloc-profile.ts [--duration 6] [--connections 50] [--top 40]
 *   MODELPIN_BENCH_CLI=<other build>/dist/cli/main.js npx tsx bench/alloc-profile.ts   # another build
 * Starts the instant upstream and `modelpin serve` with V8's sampling heap profiler on from the start
 * (through the inspector, so objects the scavenger already collected count too: `--heap-prof` keeps only
 * survivors), drives it with autocannon, stops it with SIGTERM and prints sampled bytes per request by
 * allocating function, self and inclusive. The total is a property of the code, not of the machine's load:
 * it compares builds where CPU figures cannot.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { BENCH_ROUTE, CLI, numberFlag, start, startInstantUpstream, writeBenchConfig } from './harness.js';

interface HeapNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: HeapNode[];
}

// Loaded with --require: sampling starts before the CLI runs and the profile is written on SIGTERM.
const PRELOAD = `const inspector = require('node:inspector');
const fs = require('node:fs');
const s = new inspector.Session();
s.connect();
s.post('HeapProfiler.enable');
s.post('HeapProfiler.startSampling', { samplingInterval: 4096,
  includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
process.prependListener('SIGTERM', () => s.post('HeapProfiler.stopSampling', (err, r) => {
  if (!err) fs.writeFileSync(process.env.ALLOC_PROFILE_OUT, JSON.stringify(r.profile));
}));
`;

function summarize(head: HeapNode, requests: number, top: number): void {
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const walk = (n: HeapNode, stack: readonly string[]): number => {
    const url = n.callFrame.url.replace(/.*\/(dist|node_modules)\//, '$1/');
    const k = `${n.callFrame.functionName || '(anonymous)'} ${url}:${n.callFrame.lineNumber + 1}`;
    self.set(k, (self.get(k) ?? 0) + n.selfSize);
    let total = n.selfSize;
    for (const c of n.children) total += walk(c, [...stack, k]);
    if (!stack.includes(k)) inclusive.set(k, (inclusive.get(k) ?? 0) + total);
    return total;
  };
  const total = walk(head, []);
  const print = (title: string, m: Map<string, number>): void => {
    console.log(`\n${title} (sampled bytes per request)`);
    for (const [k, v] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top))
      console.log(`${(v / requests).toFixed(0).padStart(7)}  ${k}`);
  };
  console.log(`\nallocated ${(total / requests).toFixed(0)} bytes per request (sampled, ${requests} requests)`);
  print('self, by function', self);
  print('inclusive, project functions', new Map([...inclusive].filter(([k]) => k.includes('dist/'))));
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const duration = numberFlag(args, '--duration', 6);
  const connections = numberFlag(args, '--connections', 50);
  const top = numberFlag(args, '--top', 40);
  const dir = mkdtempSync(join(tmpdir(), 'modelpin-alloc-'));
  const preload = join(dir, 'sample-heap.cjs');
  writeFileSync(preload, PRELOAD);
  const out = join(dir, 'gateway.heapprofile');
  const up = await startInstantUpstream();
  const config = writeBenchConfig(dir, up.url);
  const gw = await start(
    ['--require', preload, CLI, 'serve', '--config', config, '--port', '0', '--no-watch', '--log-level', 'warn'],
    { ALLOC_PROFILE_OUT: out },
  );
  const r = await autocannon({
    url: `${gw.url}/v1/chat/completions`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: BENCH_ROUTE, messages: [{ role: 'user', content: 'Say hello' }], max_tokens: 32 }),
    connections,
    duration,
  });
  console.log(`${r.requests.average.toFixed(0)} req/s, non-2xx ${r.non2xx}`);
  await new Promise<void>((res) => {
    gw.proc.once('exit', () => res());
    gw.proc.kill('SIGTERM');
  });
  up.proc.kill('SIGTERM');
  summarize((JSON.parse(readFileSync(out, 'utf8')) as { head: HeapNode }).head, r.requests.total, top);
}

void main();
