/**
 * CPU of request-path pieces in process (not a test): adding a usage record to the rollup accumulator,
 * one `dispatcher.run` through the fallback/retry/breaker/timing chain with an attempt that answers at
 * once (these two without network), and one same-format forwarded call (`forward.complete` of an OpenAI
 * provider client: deadline, undici, reading the answer) and one translated call (`complete`: encoding and
 * decoding too) against the instant upstream, 50 in flight.
 * With BENCH_BEFORE_DIST=<other build>/dist the same pieces of that build run in the same rounds, interleaved.
 *   npx tsx bench/hot-path-pieces.ts [--rounds 7]
 * Prints the median round in ns per record and per call (CPU time of this process; the upstream runs
 * in its own; on a loaded machine all grow, their difference less so).
 */
import { join } from 'node:path';
import { systemClock } from '../src/core/clock.js';
import { systemRandom } from '../src/core/random.js';
import { retrySchema } from '../src/config/schema.js';
import type { Target } from '../src/config/target.js';
import type { ProviderClient } from '../src/providers/types.js';
import { createDispatcher } from '../src/routing/execute.js';
import { newTrace } from '../src/routing/dispatch.js';
import { RollupAccumulator } from '../src/store/rollup.js';
import type { UsageRecord } from '../src/store/types.js';
import { createProviderClient } from '../src/providers/registry.js';
import { openaiCodec } from '../src/wire/openai/index.js';
import { benchUsageRecord, median, numberFlag, startInstantUpstream } from './harness.js';

type Pieces = {
  Acc: typeof RollupAccumulator;
  dispatcher: typeof createDispatcher;
  httpClient: typeof createProviderClient;
};

const record = (i: number): UsageRecord => benchUsageRecord(1_764_000_000_000 + i * 10, i);

const cpuNs = (from: NodeJS.CpuUsage): number => {
  const c = process.cpuUsage(from);
  return (c.user + c.system) * 1000;
};

/** 200 records per flush interval (2,000 req/s), drained as the writer does. */
function accumulate(p: Pieces, flushes: number): number {
  const recs = Array.from({ length: 200 }, (_, i) => record(i));
  const t0 = process.cpuUsage();
  for (let k = 0; k < flushes; k++) {
    const a = new p.Acc();
    for (const r of recs) a.add(r);
    a.drain();
  }
  return cpuNs(t0) / (flushes * recs.length);
}

async function dispatch(p: Pieces, calls: number): Promise<number> {
  const d = p.dispatcher(retrySchema.parse({}), {
    clock: systemClock,
    random: systemRandom,
    provider: () => ({}) as ProviderClient,
  });
  const target: Target = { provider: 'up', model: 'gpt-4o-2024-11-20' } as Target;
  const signal = new AbortController().signal;
  const attempt = async (): Promise<number> => 1;
  const t0 = process.cpuUsage();
  // A fresh trace per call, as each gateway request has (builds before it was required read it as optional).
  for (let k = 0; k < calls; k++) await d.run([target], attempt, { signal, trace: newTrace() });
  return cpuNs(t0) / calls;
}

const BENCH_BODY = { model: 'gpt-4o-2024-11-20', messages: [{ role: 'user', content: 'Say hello' }] };

/**
 * `calls` upstream completions, `inFlight` at a time: forwarded as the gateway's same-format path makes
 * them, or translated (encoded, sent, decoded) as a cross-format call makes them.
 */
async function upstreamCalls(
  p: Pieces,
  baseUrl: string,
  how: 'forwarded' | 'translated',
  calls: number,
  inFlight = 50,
): Promise<number> {
  const client = p.httpClient({ id: 'up', type: 'openai', baseUrl: `${baseUrl}/v1`, apiKey: 'sk-bench' });
  const fw = client.forward;
  if (!fw) throw new Error('the OpenAI client has no forwarder');
  const body = JSON.stringify(BENCH_BODY);
  const request = openaiCodec.decodeRequest(BENCH_BODY);
  const signal = new AbortController().signal;
  const opts = { signal, timeoutMs: 30_000, firstByteTimeoutMs: 10_000 };
  const one = (): Promise<unknown> =>
    how === 'forwarded'
      ? fw.complete({ path: '/chat/completions', body }, 'gpt-4o-2024-11-20', (text) => text.length, opts)
      : client.complete(request, 'gpt-4o-2024-11-20', opts);
  const worker = async (n: number): Promise<void> => {
    for (let i = 0; i < n; i++) await one();
  };
  await Promise.all(Array.from({ length: inFlight }, () => worker(20))); // warm up the pool's connections
  const t0 = process.cpuUsage();
  await Promise.all(Array.from({ length: inFlight }, () => worker(Math.ceil(calls / inFlight))));
  const ns = cpuNs(t0) / (inFlight * Math.ceil(calls / inFlight));
  await client.close?.();
  return ns;
}

async function main(): Promise<void> {
  const rounds = numberFlag(process.argv.slice(2), '--rounds', 7);
  const builds: Array<{ name: string; p: Pieces }> = [
    {
      name: 'this source',
      p: { Acc: RollupAccumulator, dispatcher: createDispatcher, httpClient: createProviderClient },
    },
  ];
  const before = process.env.BENCH_BEFORE_DIST;
  if (before) {
    const Acc = ((await import(join(before, 'store/rollup.js'))) as { RollupAccumulator: typeof RollupAccumulator })
      .RollupAccumulator;
    const dispatcher = (
      (await import(join(before, 'routing/execute.js'))) as { createDispatcher: typeof createDispatcher }
    ).createDispatcher;
    const httpClient = (
      (await import(join(before, 'providers/registry.js'))) as {
        createProviderClient: typeof createProviderClient;
      }
    ).createProviderClient;
    builds.push({ name: 'before', p: { Acc, dispatcher, httpClient } });
  }
  const acc = builds.map((): number[] => []);
  const run = builds.map((): number[] => []);
  const fwd = builds.map((): number[] => []);
  const tr = builds.map((): number[] => []);
  const up = await startInstantUpstream();
  for (const b of builds) accumulate(b.p, 200); // warm up
  for (let r = 0; r < rounds; r++) {
    for (const [i, b] of builds.entries()) {
      acc[i]?.push(accumulate(b.p, 1000));
      run[i]?.push(await dispatch(b.p, 50_000));
      fwd[i]?.push(await upstreamCalls(b.p, up.url, 'forwarded', 10_000));
      tr[i]?.push(await upstreamCalls(b.p, up.url, 'translated', 10_000));
    }
  }
  console.log(`median of ${rounds} rounds (CPU ns):`);
  builds.forEach((b, i) =>
    console.log(
      `  ${b.name.padEnd(12)} rollup accumulator add ${median(acc[i] ?? [])
        .toFixed(0)
        .padStart(5)} ns/record   dispatcher.run ${median(run[i] ?? [])
        .toFixed(0)
        .padStart(5)} ns/call   forwarded call ${median(fwd[i] ?? [])
        .toFixed(0)
        .padStart(6)} ns/call   translated call ${median(tr[i] ?? [])
        .toFixed(0)
        .padStart(6)} ns/call`,
    ),
  );
  up.proc.kill('SIGTERM');
}

void main();
