/**
 * Real Prometheus for the observability tests: find the Debian package's binaries, run promtool,
 * start a `prometheus` server on loopback (the `modelpin serve` it scrapes comes from test/support).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { stopChild } from '../support/serve-process.js';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');
export const EXAMPLES = join(ROOT, 'examples/observability');

function onPath(name: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const file = join(dir, name);
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not in this directory
    }
  }
  return null;
}

export interface PrometheusBinaries {
  promtool: string;
  prometheus: string;
}

/**
 * The binaries, or null with the reason when they are missing outside CI. In CI (`CI` set) a
 * missing binary is an error: .ci/run installs the Debian `prometheus` package.
 */
export function prometheusBinaries(): { bins: PrometheusBinaries; missing: null } | { bins: null; missing: string } {
  const promtool = onPath('promtool');
  const prometheus = onPath('prometheus');
  if (promtool && prometheus) return { bins: { promtool, prometheus }, missing: null };
  const missing = `promtool/prometheus not found on PATH (install the Debian package: apt-get install -y --no-install-recommends prometheus)`;
  if (process.env.CI) throw new Error(`${missing}; CI must run these tests`);
  return { bins: null, missing };
}

export function run(cmd: string, args: string[], cwd: string): { code: number | null; out: string } {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: 30_000 });
  return { code: r.status, out: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}

export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const { port } = srv.address() as AddressInfo;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

export function tempDir(prefix: string): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface RunningPrometheus {
  child: ChildProcess;
  url: string;
  output(): string;
}

/** A real Prometheus server on a free loopback port, its TSDB in `dir`. Resolves once /-/ready answers. */
export async function startPrometheus(binary: string, configFile: string, dir: string): Promise<RunningPrometheus> {
  const port = await freePort();
  const child = spawn(
    binary,
    [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${join(dir, 'tsdb')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`prometheus exited with ${child.exitCode}: ${out}`);
    try {
      const res = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1000) });
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stopChild(child);
      throw new Error(`prometheus not ready within 20 s: ${out}`);
    }
    await sleep(100);
  }
  return { child, url, output: () => out };
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Poll `read` until it returns a value (not undefined) or `timeoutMs` passes. */
export async function waitFor<T>(
  what: string,
  read: () => Promise<T | undefined>,
  timeoutMs: number,
  everyMs = 200,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}
