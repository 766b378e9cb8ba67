/**
 * `modelpin serve` as a child process, run from source through tsx: started on a free loopback port,
 * resolved once it prints where it listens, with its output collected. Every process a test file
 * starts here is stopped after that file's tests (SIGTERM, then SIGKILL after a grace period), so a
 * failed assertion cannot leave a gateway running.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { afterAll } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const START_TIMEOUT_MS = 20_000;

export interface ServeProcess {
  child: ChildProcess;
  url: string;
  port: number;
  /** What the process wrote to stderr so far (warnings and errors at the default test log level). */
  stderr(): string;
  /** stdout and stderr together, as they came. */
  output(): string;
  /** SIGTERM, then the exit code once it has drained and flushed. */
  stop(): Promise<number | null>;
}

export interface ServeOptions {
  /** Extra `modelpin serve` flags, e.g. `--no-extensions`. */
  args?: string[];
  /** The child's whole environment (default: this process's). */
  env?: NodeJS.ProcessEnv;
}

const running = new Set<ChildProcess>();
afterAll(async () => {
  await Promise.all([...running].map((c) => stopChild(c)));
});

export async function startServe(configPath: string, opts: ServeOptions = {}): Promise<ServeProcess> {
  const args = [
    '--import',
    'tsx',
    join(ROOT, 'src/cli/main.ts'),
    'serve',
    '--config',
    configPath,
    '--host',
    '127.0.0.1',
    '--port',
    '0',
    '--no-watch',
    '--log-level',
    'warn',
    ...(opts.args ?? []),
  ];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: opts.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  const exited = new Promise<number | null>((res) =>
    child.once('exit', (code) => {
      running.delete(child);
      res(code);
    }),
  );
  let stderr = '';
  let output = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
    output += d.toString();
  });
  const url = await new Promise<string>((res, rej) => {
    const timer = setTimeout(
      () => rej(new Error(`serve did not start within ${START_TIMEOUT_MS / 1000} s: ${output}`)),
      START_TIMEOUT_MS,
    );
    let stdout = '';
    child.stdout?.on('data', (d: Buffer) => {
      stdout += d.toString();
      output += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(stdout);
      if (m?.[1]) {
        clearTimeout(timer);
        res(m[1]);
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      rej(new Error(`serve exited early with ${code}: ${stderr}`));
    });
  });
  return {
    child,
    url,
    port: Number(new URL(url).port),
    stderr: () => stderr,
    output: () => output,
    stop: () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

/** Stop a child we started: SIGTERM, then SIGKILL if it has not exited within `graceMs`. */
export async function stopChild(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}
