/** A SQLite store seeded with a little of everything the dashboard shows. Numbers are chosen so aggregates are easy to check. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../src/store/open.js';
import type { CanaryRecord, Store } from '../../src/store/types.js';
import { at, run, T0, usage } from '../store/fixtures.js';

/** Monday 2026-11-23 13:00Z. */
export const NOW = T0 + 3_600_000;
const DAY = 86_400_000;

export const STABLE = 'sim/sim-chat-2026-01-15';
export const CANDIDATE = 'sim/sim-chat-2026-12-10';

function canary(over: Partial<CanaryRecord>): CanaryRecord {
  return {
    route: 'summarize',
    env: 'production',
    stable: STABLE,
    candidate: CANDIDATE,
    percent: 10,
    ramp: [10, 50, 100],
    stepIndex: 0,
    holdMs: 3_600_000,
    stickyBy: null,
    guards: {},
    status: 'running',
    reason: null,
    startedAt: T0 - 3_600_000,
    stepStartedAt: T0 - 3_600_000,
    updatedAt: T0,
    ...over,
  };
}

export async function seed(store: Store): Promise<void> {
  const stable = {
    route: 'summarize',
    target: STABLE,
    servedModel: 'sim-chat-2026-01-15',
    arm: 'stable' as const,
    inputTokens: 100,
    outputTokens: 50,
    costUsd: 0.001,
  };
  const cand = {
    route: 'summarize',
    target: CANDIDATE,
    servedModel: 'sim-chat-2026-12-10',
    arm: 'canary' as const,
    inputTokens: 90,
    outputTokens: 40,
    costUsd: 0.0008,
  };
  await store.insertUsage([
    usage({ ...stable, ts: T0, latencyMs: 100 }),
    usage({ ...stable, ts: T0 + 1, latencyMs: 200 }),
    usage({ ...stable, ts: T0 + 2, latencyMs: 300 }),
    usage({ ...stable, ts: T0 + 3, latencyMs: 400 }),
    usage({ ...cand, ts: T0 + 4, latencyMs: 150 }),
    usage({ ...cand, ts: T0 + 5, latencyMs: 250, status: 502, errorCode: 'upstream_error' }),
    // No price in the catalog: cost must read "unknown", never $0.
    usage({
      ts: T0 + 6,
      route: 'classify',
      target: 'sim/sim-mini-2026-03-01',
      servedModel: 'sim-mini-2026-03-01',
      latencyMs: 80,
      inputTokens: 20,
      outputTokens: 5,
      costUsd: null,
    }),
    usage({ ts: T0 - 3 * DAY, route: 'old', servedModel: 'sim-chat-2025-06-01' }),
    usage({ ts: NOW + 3_600_000, route: 'future' }),
  ]);

  await store.setOverride({
    route: 'summarize',
    env: 'production',
    target: 'sim/sim-mini-2026-03-01',
    reason: 'drift on Wednesday',
    actor: 'oncall',
    createdAt: T0,
    expiresAt: null,
  });
  await store.setOverride({
    route: 'classify',
    env: 'production',
    target: STABLE,
    reason: 'old incident',
    actor: 'oncall',
    createdAt: T0 - DAY,
    expiresAt: NOW - 1000,
  });

  await store.putCanary(canary({}));
  await store.putCanary(
    canary({
      route: 'classify',
      status: 'rolled_back',
      percent: 0,
      reason: 'error rate 40.0% vs stable 0.0%',
      updatedAt: T0 - 1000,
    }),
  );

  await store.insertSentinelEvent({
    ts: T0 - 3 * DAY,
    route: 'summarize',
    target: 'sim/sim-chat-latest',
    kind: 'alias_moved',
    previous: null,
    current: 'sim-chat-2026-01-15',
  });
  await store.insertSentinelEvent({
    ts: T0,
    route: 'summarize',
    target: 'sim/sim-chat-latest',
    kind: 'served_model_changed',
    previous: 'sim-chat-2026-01-15',
    current: 'sim-chat-2026-11-25',
  });

  await store.appendAudit({
    ts: T0 - 10,
    actor: 'oncall',
    action: 'override.set',
    route: 'summarize',
    detail: { target: 'sim/sim-mini-2026-03-01', token: 'audit-secret-value' },
  });
  await store.appendAudit({
    ts: T0 - 5,
    actor: 'ci',
    action: 'canary.start',
    route: 'summarize',
    detail: { percent: 10 },
  });

  // summarize/staging on sim-chat-2026-12-10: green Fri..Mon (4 days, today included).
  for (const day of ['2026-11-20', '2026-11-21', '2026-11-22', '2026-11-23']) {
    await store.insertEvalRun(
      run({ startedAt: at(day), route: 'summarize', env: 'staging', servedModels: ['sim-chat-2026-12-10'] }),
    );
  }
  // summarize/production: failed Sunday, passed Monday (streak 1).
  await store.insertEvalRun(
    run({
      startedAt: at('2026-11-22', 4),
      env: 'production',
      servedModels: ['sim-chat-2026-01-15'],
      passed: false,
      passedCases: 7,
      failedCases: 3,
    }),
  );
  await store.insertEvalRun(
    run({ startedAt: at('2026-11-23', 4), env: 'production', servedModels: ['sim-chat-2026-01-15'], costUsd: null }),
  );
}

/** A fresh seeded SQLite file; the caller closes the store. */
export async function seededStore(): Promise<{ store: Store; dir: string; path: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'modelpin-dashboard-'));
  const path = join(dir, 'mp.db');
  const store = await openStore({ type: 'sqlite', path }, {});
  await seed(store);
  return { store, dir, path };
}
