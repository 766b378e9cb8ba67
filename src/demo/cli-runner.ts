import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

/**
 * The built CLI entry the demo drives, so every step is a command a user can type. From src/
 * (tests) it is the compiled dist/ copy, which `npm test` builds first.
 */
const here = path.dirname(fileURLToPath(import.meta.url));
export const CLI_ENTRY = here.split(path.sep).includes('src')
  ? path.resolve(here, '../../dist/cli/main.js')
  : path.resolve(here, '../cli/main.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd: string;
  env: Record<string, string | undefined>;
  /** MODELPIN_NOW for this command: replays a given day on the simulator. */
  now?: string;
  timeoutMs?: number;
}

export function runCli(args: string[], opts: RunOptions): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const env = { ...opts.env, NO_COLOR: '1', ...(opts.now ? { MODELPIN_NOW: opts.now } : {}) };
    const child = spawn(process.execPath, [CLI_ENTRY, ...args], {
      cwd: opts.cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 120_000);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr });
    });
  });
}

/** A long-running CLI process (the gateway) that the demo starts, talks to, and stops with SIGTERM. */
export interface Background {
  url: string;
  output(): string;
  stop(): Promise<number>;
}

export function startCli(args: string[], opts: RunOptions & { readyPattern: RegExp }): Promise<Background> {
  return new Promise((resolve, reject) => {
    const env = { ...opts.env, NO_COLOR: '1', ...(opts.now ? { MODELPIN_NOW: opts.now } : {}) };
    const child = spawn(process.execPath, [CLI_ENTRY, ...args], {
      cwd: opts.cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let ready = false;
    const timer = setTimeout(() => {
      if (!ready) {
        child.kill('SIGKILL');
        reject(new Error(`timed out waiting for "modelpin ${args.join(' ')}" to start:\n${out}`));
      }
    }, opts.timeoutMs ?? 30_000);
    const onData = (d: Buffer): void => {
      out += d.toString();
      const m = opts.readyPattern.exec(out);
      if (m && !ready) {
        ready = true;
        clearTimeout(timer);
        const exited = new Promise<number>((res) => child.on('close', (code) => res(code ?? 1)));
        resolve({
          url: (m[1] ?? '').replace(/\/+$/, ''),
          output: () => out,
          stop: async () => {
            child.kill('SIGTERM');
            return exited;
          },
        });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('close', (code) => {
      if (!ready) {
        clearTimeout(timer);
        reject(new Error(`"modelpin ${args.join(' ')}" exited with ${code} before it was ready:\n${out}`));
      }
    });
  });
}
