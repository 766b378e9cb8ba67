/** What the benchmarks do the same way: start built CLI processes, the instant upstream, a bench config, a bench usage row. */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { UsageRecord } from '../src/store/types.js';
import { SERVE_HEAP_FLAG, sizesYoungGeneration } from '../src/cli/relaunch-plan.js';

export const ROOT = resolve(import.meta.dirname, '..');
/** MODELPIN_BENCH_CLI runs another build (a copy of dist/ from before a change) for before/after runs. */
export const CLI = process.env.MODELPIN_BENCH_CLI ?? join(ROOT, 'dist/cli/main.js');

export interface Child {
  url: string;
  proc: ChildProcess;
}

/**
 * Node arguments for a process: a `serve` gets the young generation `modelpin serve` gives its gateway
 * (src/cli/relaunch-plan.ts) unless the bench sets one, so the gateway runs as shipped but in the very
 * process the bench started: /proc/<pid> figures and profiles are then the gateway's, not its launcher's.
 */
export function nodeArgs(args: string[]): string[] {
  return args.includes('serve') && !sizesYoungGeneration(args) ? [SERVE_HEAP_FLAG, ...args] : args;
}

/** Spawn `node <args>` (with `env` added to this process's environment) and resolve with the first loopback URL it prints. */
export function start(args: string[], env: Record<string, string> = {}): Promise<Child> {
  const proc = spawn(process.execPath, nodeArgs(args), {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...env },
  });
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

/**
 * The upstream every gateway benchmark measures against: fixed answers, sent at once
 * (bench/instant-upstream.mjs). The simulator does more work per call, which would hide the gateway's cost.
 */
export function startInstantUpstream(): Promise<Child> {
  return start([join(ROOT, 'bench/instant-upstream.mjs')]);
}

/** The snapshot the bench route pins; the bare proxy is called with it directly. */
export const BENCH_MODEL = 'gpt-4o-2024-11-20';
/** The route the gateway is called with. */
export const BENCH_ROUTE = 'bench-route';

/**
 * models.yml in `dir` with one route to the upstream over the OpenAI wire format; returns its path.
 * Usage records (SQLite), metrics and routing stay on, as in a real deployment.
 */
export function writeBenchConfig(dir: string, upstreamUrl: string, name = 'models.yml'): string {
  const config = join(dir, name);
  writeFileSync(
    config,
    `providers:
  up: { type: openai, base_url: "${upstreamUrl}/v1", api_key: bench }
routes:
  ${BENCH_ROUTE}: { targets: { production: up/${BENCH_MODEL} } }
store: { type: sqlite, path: ${join(dir, name.replace(/\.yml$/, '.db'))} }
`,
  );
  return config;
}

/** `--name value` as a number, or the default when absent. */
export function numberFlag(args: readonly string[], name: string, fallback: number): number {
  return args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback;
}

/**
 * A successful forwarded request as the gateway records it: the usage row the store benches write.
 * `target` is `provider/model`.
 */
export function benchUsageRecord(ts: number, i: number, target = `up/${BENCH_MODEL}`): UsageRecord {
  const [provider = 'up', servedModel = BENCH_MODEL] = target.split('/');
  return {
    ts,
    route: BENCH_ROUTE,
    env: 'production',
    target,
    provider,
    requestedModel: BENCH_ROUTE,
    servedModel,
    fingerprint: 'fp_1',
    status: 200,
    errorCode: null,
    attempts: 1,
    latencyMs: 1.2 + (i % 50) / 10,
    ttftMs: null,
    inputTokens: 12,
    outputTokens: 6,
    cachedTokens: 0,
    cacheWriteTokens: 0,
    reasoningTokens: 0,
    costUsd: 0.00012,
    clientKeyId: null,
    arm: 'stable',
    wire: 'openai',
    stream: false,
    formatValid: null,
    gatewayId: 'bench:1:abcdef',
  };
}

/** The middle value (the upper of the two middles for an even count); NaN for none. */
export function median(xs: number[]): number {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
}
