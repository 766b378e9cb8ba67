import pg from 'pg';
import type { EvalRunRecord, UsageRecord } from '../../src/store/types.js';

/** The test PostgreSQL (trust auth); MODELPIN_TEST_PG_URL points the tests elsewhere. */
export const PG_URL = process.env.MODELPIN_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

let schemas = 0;
/** A schema of its own for one test, so tests and files running at once never share tables. */
export function pgSchemaName(prefix: string): string {
  return `${prefix}_${process.pid}_${Date.now().toString(36)}_${schemas++}`;
}

/** Run SQL on the test PostgreSQL outside any store (to set up states a store would not write). */
export async function pgExec(sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

export const dropPgSchema = (schema: string): Promise<void> => pgExec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);

export const T0 = Date.UTC(2026, 10, 23, 12, 0, 0); // Monday 2026-11-23 12:00Z

export function usage(over: Partial<UsageRecord> = {}): UsageRecord {
  return {
    ts: T0,
    route: 'summarize',
    env: 'production',
    target: 'sim/sim-chat-2026-01-15',
    provider: 'sim',
    requestedModel: 'summarize',
    servedModel: 'sim-chat-2026-01-15',
    fingerprint: null,
    status: 200,
    errorCode: null,
    attempts: 1,
    latencyMs: 120.5,
    ttftMs: null,
    inputTokens: 100,
    outputTokens: 50,
    cachedTokens: 0,
    cacheWriteTokens: 0,
    reasoningTokens: 0,
    costUsd: 0.0015,
    clientKeyId: null,
    arm: null,
    wire: 'openai',
    stream: false,
    formatValid: null,
    gatewayId: null,
    ...over,
  };
}

export function run(over: Partial<EvalRunRecord> = {}): EvalRunRecord {
  const startedAt = over.startedAt ?? T0;
  return {
    id: `run-${startedAt}-${over.route ?? 'summarize'}-${over.env ?? 'staging'}-${Math.round(startedAt % 997)}`,
    startedAt,
    finishedAt: startedAt + 60_000,
    suite: 'summarize-suite',
    suiteHash: 'abc123',
    env: 'staging',
    route: 'summarize',
    target: 'sim/sim-chat-latest',
    servedModels: ['sim-chat-2026-01-15'],
    fingerprints: [],
    passed: true,
    totalCases: 10,
    passedCases: 10,
    failedCases: 0,
    erroredCases: 0,
    inputTokens: 1000,
    outputTokens: 500,
    costUsd: 0.02,
    p50LatencyMs: 100,
    p95LatencyMs: 200,
    cases: [],
    ...over,
  };
}

/** A UTC day at hour h as Unix ms. */
export function at(day: string, hour = 3): number {
  return Date.parse(`${day}T${String(hour).padStart(2, '0')}:00:00Z`);
}
