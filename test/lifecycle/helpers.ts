import { afterEach } from 'vitest';
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
