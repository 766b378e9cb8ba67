/**
 * The store supervisor: one log line when the store becomes unreachable, one when it answers again,
 * a call that started before the outage cannot end it, and a store unreachable at start is migrated
 * before any other statement once it appears. The "store" here is the network edge: a small object
 * whose calls succeed or fail as the test says.
 */
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { StoreError } from '../../src/core/errors.js';
import type { Logger, LogLevel } from '../../src/core/logger.js';
import { isStoreUnavailable, superviseStore } from '../../src/store/store-health.js';
import { readiness } from '../../src/gateway/readiness.js';

const unreachable = () =>
  new StoreError('cannot reach PostgreSQL at localhost:5432/test while reading overrides: ECONNREFUSED', {
    status: 503,
    retryable: true,
  });

function edge() {
  const calls: string[] = [];
  const state = { down: false };
  const pendingResolves: Array<() => void> = [];
  const store = {
    kind: 'postgres' as const,
    async migrate() {
      calls.push('migrate');
      if (state.down) throw unreachable();
    },
    async listOverrides() {
      calls.push('listOverrides');
      if (state.down) throw unreachable();
      return [];
    },
    /** Resolves only when the test says so (a slow call that started before an outage). */
    slow() {
      calls.push('slow');
      return new Promise<void>((r) => pendingResolves.push(r));
    },
    async insertUsage() {
      calls.push('insertUsage');
      throw new StoreError('usage_records: constraint failed', { status: 500 });
    },
  };
  return { store, calls, state, pendingResolves };
}

function capture(): { logger: Logger; lines: Array<{ level: LogLevel; msg: string }> } {
  const lines: Array<{ level: LogLevel; msg: string }> = [];
  return { logger: { log: (level, msg) => void lines.push({ level, msg }) }, lines };
}

describe('superviseStore', () => {
  it('logs one line when the store goes away and one when it returns, however many calls fail meanwhile', async () => {
    const e = edge();
    const log = capture();
    const clock = new ManualClock(0);
    let recovered = 0;
    const s = superviseStore(e.store, {
      logger: log.logger,
      clock,
      where: 'PostgreSQL at localhost:5432/test',
      migrated: true,
      onRecovered: () => recovered++,
    });
    await s.store.listOverrides();
    // A blip (failures for less than confirmMs, 1 s by default) is not an outage.
    e.state.down = true;
    await expect(s.store.listOverrides()).rejects.toSatisfy(isStoreUnavailable);
    clock.advance(500);
    await expect(s.store.listOverrides()).rejects.toSatisfy(isStoreUnavailable);
    expect(s.health.up()).toBe(true);
    e.state.down = false;
    await s.store.listOverrides();
    // An outage: failures that last.
    e.state.down = true;
    for (let i = 0; i < 50; i++) {
      await expect(s.store.listOverrides()).rejects.toSatisfy(isStoreUnavailable);
      clock.advance(100);
    }
    expect(s.health.up()).toBe(false);
    expect(s.health.downSince()).toBe(500);
    clock.advance(4000);
    e.state.down = false;
    await s.store.listOverrides();
    await s.store.listOverrides();
    expect(s.health.up()).toBe(true);
    expect(log.lines).toEqual([
      { level: 'warn', msg: expect.stringMatching(/^store unreachable/) },
      { level: 'warn', msg: 'store reachable again' },
    ]);
    expect(recovered).toBe(1);
  });

  it('a call that started before the outage and succeeds late does not end it', async () => {
    const e = edge();
    const log = capture();
    const s = superviseStore(e.store, {
      logger: log.logger,
      clock: new ManualClock(0),
      where: 'x',
      migrated: true,
      confirmMs: 0,
    });
    const slow = s.store.slow();
    e.state.down = true;
    await expect(s.store.listOverrides()).rejects.toThrow();
    e.pendingResolves.forEach((r) => r());
    await slow;
    expect(s.health.up()).toBe(false);
  });

  it('other store errors (a refused write) are not an outage', async () => {
    const e = edge();
    const s = superviseStore(e.store, {
      logger: capture().logger,
      clock: new ManualClock(0),
      where: 'x',
      migrated: true,
    });
    await expect(s.store.insertUsage()).rejects.toThrow(/constraint/);
    expect(s.health.up()).toBe(true);
  });

  it('a store not yet migrated is migrated once, before the first other statement, when it appears', async () => {
    const e = edge();
    e.state.down = true;
    const s = superviseStore(e.store, {
      logger: capture().logger,
      clock: new ManualClock(0),
      where: 'x',
      migrated: false,
    });
    await expect(s.ready()).rejects.toSatisfy(isStoreUnavailable);
    await expect(s.store.listOverrides()).rejects.toSatisfy(isStoreUnavailable);
    expect(e.calls).toEqual(['migrate', 'migrate']);
    e.state.down = false;
    await Promise.all([s.store.listOverrides(), s.store.listOverrides()]);
    expect(e.calls).toEqual(['migrate', 'migrate', 'migrate', 'listOverrides', 'listOverrides']);
    expect(s.health.migrated()).toBe(true);
    expect(s.health.up()).toBe(true);
  });
});

describe('readiness', () => {
  const base = {
    now: 100_000,
    startedAt: 0,
    storeUp: true,
    lastReadAt: 99_500,
    maxStalenessMs: 30_000,
    unreadyWhenStale: false,
  };
  it('is ready with a fresh routing state', () => {
    expect(readiness(base)).toMatchObject({
      ready: true,
      stale: false,
      body: { status: 'ready', store: 'reachable', routing_state: { source: 'store', age_ms: 500 } },
    });
  });
  it('stays ready when the store is down and the state stale, unless told otherwise', () => {
    const down = { ...base, storeUp: false, lastReadAt: 10_000 };
    expect(readiness(down)).toMatchObject({
      ready: true,
      stale: true,
      body: { status: 'ready', store: 'unreachable', routing_state: { age_ms: 90_000, stale: true } },
    });
    expect(readiness({ ...down, unreadyWhenStale: true })).toMatchObject({
      ready: false,
      body: { status: 'not_ready', reason: expect.stringMatching(/90 s ago/) },
    });
  });
  it('ages a routing state never read from the store since start', () => {
    expect(readiness({ ...base, lastReadAt: null })).toMatchObject({
      ageMs: 100_000,
      stale: true,
      body: { routing_state: { source: 'config_file' } },
    });
  });
});
