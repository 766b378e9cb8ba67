/** What every gateway benchmark does the same way: start built CLI processes, a fast simulator, a bench config. */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..');
export const CLI = join(ROOT, 'dist/cli/main.js');

export interface Child {
  url: string;
  proc: ChildProcess;
}

/** Spawn `node <args>` and resolve with the first loopback URL it prints. */
export function start(args: string[]): Promise<Child> {
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

/** The simulator in fast mode: the upstream every gateway benchmark measures against. */
export function startFastSimulator(): Promise<Child> {
  return start([CLI, 'simulate', '--port', '0', '--fast', '--seed', '1']);
}

/** models.yml in `dir` with one route `bench` to the simulator over the OpenAI wire format; returns its path. */
export function writeBenchConfig(dir: string, simUrl: string): string {
  const config = join(dir, 'models.yml');
  writeFileSync(
    config,
    `providers:
  up: { type: openai, base_url: "${simUrl}/v1", api_key: bench }
routes:
  bench: { targets: { production: up/sim-chat-2026-01-15 } }
store: { type: sqlite, path: ${join(dir, 'usage.db')} }
`,
  );
  return config;
}

/** `--name value` as a number, or the default when absent. */
export function numberFlag(args: readonly string[], name: string, fallback: number): number {
  return args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback;
}
