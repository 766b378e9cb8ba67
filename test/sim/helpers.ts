import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { startSimulatorServer, type SimulatorServer } from '../../src/sim/server.js';
import type { CanonicalRequest } from '../../src/wire/canonical.js';

/** Write scenario YAML files into a fresh temp dir; returns paths and a cleanup. */
export function tempScenarios(files: Record<string, string>): {
  dir: string;
  path(name: string): string;
  cleanup(): void;
} {
  const dir = mkdtempSync(join(tmpdir(), 'modelpin-sim-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return { dir, path: (name) => join(dir, name), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function userRequest(model: string, text: string, extra: Partial<CanonicalRequest> = {}): CanonicalRequest {
  return { model, stream: false, messages: [{ role: 'user', content: [{ type: 'text', text }] }], ...extra };
}

export const PROMPTS = {
  contact: 'Extract the name and email as JSON from: Contact Jane Doe at jane@example.com',
  mixed: 'Classify the sentiment of this review as JSON: The product is great but shipping took forever.',
  positive: 'Classify the sentiment of this review as JSON: I love this blender, it is fantastic.',
  negative: 'Classify the sentiment of this review as JSON: Terrible, it arrived broken.',
  code: 'Write a JavaScript function add(a, b) that returns the sum of two numbers.',
  generic: 'Tell me something about the weather on Mars.',
};

/** A small scenario for fault and alias tests. */
export const FAULTY = (faults: string, extra = '') => `
name: faulty
hang_max_ms: 5000
snapshots:
  m-2026-01-01:
    faults: ${faults}
${extra}
rules:
  - id: hello
    reply: { text: "Hello from the simulator, this answer has several words in it." }
`;

/** The default scenario plus snapshots that always fail one way: for SDK error tests. */
export const ERRORS_SCENARIO = `
extends: default
snapshots:
  err-ratelimit-2026-01-01:
    faults: { rate_limit: 1, retry_after_s: 2 }
  err-overloaded-2026-01-01:
    faults: { overloaded: 1 }
  err-reset-2026-01-01:
    faults: { reset: 1 }
  err-cut-2026-01-01:
    faults: { stream_cut: 1 }
  err-hang-2026-01-01:
    faults: { hang: 1 }
`;

export const WEATHER_SCHEMA = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] };

export interface ErrorsSimulator {
  server(): SimulatorServer;
  /** An openai SDK client on the simulator, without SDK retries. */
  client(): OpenAI;
}

/** The simulator on the errors scenario (real latency, seed 1, clock at 2026-11-23T09:00Z), started before a file's tests and closed after them. */
export function useErrorsSimulator(): ErrorsSimulator {
  let server: SimulatorServer | undefined;
  let client: OpenAI | undefined;
  const files = tempScenarios({ 'errors.yml': ERRORS_SCENARIO });
  beforeAll(async () => {
    const clock = new ManualClock(Date.parse('2026-11-23T09:00:00Z'));
    server = await startSimulatorServer({ port: 0, scenario: files.path('errors.yml'), fast: false, clock, seed: 1 });
    client = new OpenAI({ apiKey: 'sim-key', baseURL: `${server.url}/v1`, maxRetries: 0 });
  });
  afterAll(async () => {
    await server?.close();
    files.cleanup();
  });
  const started = <T>(v: T | undefined): T => {
    if (v === undefined) throw new Error('the simulator is not started yet');
    return v;
  };
  return { server: () => started(server), client: () => started(client) };
}
