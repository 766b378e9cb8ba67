import { Command } from 'commander';
import { afterEach, vi } from 'vitest';
import type { CommandModule } from '../../src/cli/registry.js';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Logger, LogLevel } from '../../src/core/logger.js';

/** A scenario for lifecycle tests: the default models with no latency, plus a snapshot that fails half its calls. */
export const TEST_SCENARIO = `
name: lifecycle-test
extends: default
defaults:
  latency: { fixed_ms: 0 }
  stream:
    ttft: { fixed_ms: 0 }
    chunk_delay: { fixed_ms: 0 }
snapshots:
  sim-chat-2026-11-25:
    latency: { fixed_ms: 0 }
  sim-chat-2026-12-10:
    latency: { fixed_ms: 0 }
  sim-mini-2026-03-01:
    latency: { fixed_ms: 0 }
  sim-chat-2026-12-20:
    display_name: Sim Chat (2026-12-20, simulated, faulty)
    created: 2026-12-20
    system_fingerprint: fp_sim_chat_20261220
    faults: { server_error: 0.6 }
`;

export interface Workspace {
  dir: string;
  configPath: string;
  scenarioPath: string;
  write(rel: string, text: string): string;
  cleanup(): void;
}

/** A temp project: models.yml (with `${SCENARIO}` replaced by the test scenario's absolute path). */
export function workspace(modelsYml: string): Workspace {
  const dir = mkdtempSync(join(tmpdir(), 'modelpin-lifecycle-'));
  const scenarioPath = join(dir, 'scenario.yml');
  writeFileSync(scenarioPath, TEST_SCENARIO);
  const configPath = join(dir, 'models.yml');
  writeFileSync(configPath, modelsYml.replaceAll('${SCENARIO}', scenarioPath));
  return {
    dir,
    configPath,
    scenarioPath,
    write(rel, text) {
      const p = join(dir, rel);
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, text);
      return p;
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** What teardown needs of a started gateway (gateway-helpers' TestGateway has both). */
export interface ClosableGateway {
  gw: { close(): Promise<void> };
  store: { close(): Promise<void> };
}

export interface E2eScene {
  /** A temp project (see `workspace`), deleted after the test. */
  workspace(modelsYml: string): Workspace;
  /** A started gateway, closed after the test; then its store (closing either twice is harmless). */
  gateway<G extends ClosableGateway>(g: G): G;
  /** Anything else a test started (a webhook server), released after the gateways. */
  defer(release: () => Promise<void> | void): void;
}

/**
 * The teardown every lifecycle end-to-end file needs, registered once per file. After each test:
 * every gateway is closed before any store (two may share one, and closing flushes usage into it),
 * then whatever else was deferred, then the workspaces are deleted even when a close failed.
 */
export function e2eScene(): E2eScene {
  const gateways: ClosableGateway[] = [];
  const releases: Array<() => Promise<void> | void> = [];
  const spaces: Workspace[] = [];
  afterEach(async () => {
    try {
      const started = gateways.splice(0).reverse();
      for (const g of started) await g.gw.close();
      for (const g of started) await g.store.close();
      for (const release of releases.splice(0).reverse()) await release();
    } finally {
      for (const w of spaces.splice(0)) w.cleanup();
    }
  });
  return {
    workspace(modelsYml) {
      const w = workspace(modelsYml);
      spaces.push(w);
      return w;
    },
    gateway(g) {
      gateways.push(g);
      return g;
    },
    defer(release) {
      releases.push(release);
    },
  };
}

/** Call `fn` until `ok` holds or `deadlineMs` passed (for changes other gateways pick up on their poll); returns the last value. */
export async function pollUntil<T>(fn: () => Promise<T>, ok: (v: T) => boolean, deadlineMs: number): Promise<T> {
  const end = performance.now() + deadlineMs;
  for (;;) {
    const v = await fn();
    if (ok(v) || performance.now() > end) return v;
    await new Promise((r) => setTimeout(r, 20));
  }
}

export interface CapturedLog {
  logger: Logger;
  lines: Array<{ level: LogLevel; msg: string; fields?: Record<string, unknown> }>;
}

export function captureLogger(): CapturedLog {
  const lines: CapturedLog['lines'] = [];
  return { lines, logger: { log: (level, msg, fields) => lines.push({ level, msg, ...(fields ? { fields } : {}) }) } };
}


export interface CliResult {
  code: number;
  out: string;
  err: string;
}

/** Run lifecycle commands in-process with captured output. */
export async function runCli(modules: CommandModule[], args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  const out: string[] = [];
  const err: string[] = [];
  const program = new Command().exitOverride().configureOutput({ writeOut: (s) => out.push(s), writeErr: (s) => err.push(s) });
  for (const m of modules) m.register(program);
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.map(String).join(' ')));
  const error = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.map(String).join(' ')));
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => {
    out.push(String(s));
    return true;
  });
  const saved: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries({ NO_COLOR: '1', ...env })) {
    saved[k] = process.env[k];
    process.env[k] = v;
  }
  let code: number;
  try {
    process.exitCode = undefined;
    await program.parseAsync(['node', 'modelpin', ...args]);
    code = typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    const c = (e as { code?: string }).code;
    code = c === 'commander.helpDisplayed' ? 0 : 2;
  } finally {
    log.mockRestore();
    error.mockRestore();
    write.mockRestore();
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    process.exitCode = undefined;
  }
  return { code, out: out.join('\n'), err: err.join('\n') };
}
