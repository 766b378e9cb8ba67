/**
 * `store.retention` in the gateway: prunes on a jittered schedule driven by manual timers and the
 * gateway's manual clock, keeps recent rows, survives a failing store, follows config reloads.
 */
import Database from 'better-sqlite3';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { ShadowPairRecord, Store } from '../../src/store/types.js';
import { ManualTimers } from '../store/manual-timers.js';
import { run, usage } from '../store/fixtures.js';
import { startHarness, tempDir, type Harness } from '../support/gateway-harness.js';

const MIN = 60_000;
const H = 60 * MIN;
const D = 24 * H;

const yaml = (store: string) => `providers:
  sim: { type: simulator, fast: true }
routes:
  summarize: { targets: { production: sim/sim-chat-2026-01-15 } }
store:
${store}`;

const pair = (ts: number): ShadowPairRecord => ({
  ts,
  route: 'summarize',
  primaryTarget: 'sim/a',
  candidateTarget: 'sim/b',
  primaryServedModel: null,
  candidateServedModel: null,
  primaryText: 'p',
  candidateText: 'c',
  primaryTokens: 1,
  candidateTokens: 1,
  primaryLatencyMs: 1,
  candidateLatencyMs: 1,
  assertions: {},
  candidateError: null,
});

async function seed(store: Store, now: number): Promise<void> {
  // Raw rows only: pruning by age is what is under test here.
  await store.writeUsage({
    rollups: [],
    records: [usage({ ts: now - 8 * D }), usage({ ts: now - 7 * D }), usage({ ts: now - H })],
  });
  await store.insertShadowPair(pair(now - 2 * D));
  await store.insertShadowPair(pair(now - H));
  await store.insertSentinelEvent({
    ts: now - 400 * D,
    route: 'summarize',
    target: 'sim/x',
    kind: 'alias_moved',
    previous: null,
    current: 'a',
  });
  await store.insertSentinelEvent({
    ts: now - 10 * D,
    route: 'summarize',
    target: 'sim/x',
    kind: 'alias_moved',
    previous: 'a',
    current: 'b',
  });
  await store.insertEvalRun(run({ id: 'evidence', startedAt: now - 1000 * D }));
}

const chat = (h: Harness): Promise<Response> =>
  fetch(`${h.gateway.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'summarize', messages: [{ role: 'user', content: 'hi' }] }),
  });

const logged = (h: Harness, msg: string) => h.logs.filter((l) => l.msg === msg);

let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const f of cleanup.reverse()) await f();
  cleanup = [];
});

describe('gateway store retention', () => {
  it('prunes old rows a minute or two after start and then about hourly, keeping recent ones', async () => {
    const timers = new ManualTimers();
    const h = await startHarness(
      () => yaml('  type: sqlite\n  path: mp.db\n  retention: { usage: 7d, shadow_pairs: 1d }\n'),
      { retentionTimers: timers },
    );
    cleanup.push(() => h.close());
    const now = h.clock.now();
    await seed(h.gateway.store, now);
    expect(timers.size).toBe(1);

    await timers.advance(MIN - 1);
    expect(logged(h, 'store pruned')).toEqual([]);
    expect(await h.gateway.store.countUsage({})).toBe(3);

    await timers.advance(MIN + 1);
    await vi.waitFor(() => expect(logged(h, 'store pruned')).toHaveLength(1));
    expect(logged(h, 'store pruned')[0]).toEqual({
      level: 'info',
      msg: 'store pruned',
      fields: {
        deleted: { usage: 1, usage_minutes: 0, usage_hours: 0, usage_days: 0, shadow_pairs: 1, sentinel_events: 1 },
        retention: {
          usage: '7d',
          usage_minutes: '14d',
          usage_hours: '90d',
          usage_days: '400d',
          shadow_pairs: '1d',
          sentinel_events: '365d',
          eval_runs: 'never',
        },
      },
    });
    // The row exactly 7 days old is at the cutoff and stays; eval runs are kept by default.
    expect((await h.gateway.store.queryUsage({})).map((r) => now - r.ts)).toEqual([7 * D, H]);
    expect((await h.gateway.store.listShadowPairs()).map((p) => now - p.ts)).toEqual([H]);
    expect((await h.gateway.store.listSentinelEvents()).map((e) => now - e.ts)).toEqual([10 * D]);
    expect((await h.gateway.store.listEvalRuns({})).map((r) => r.id)).toEqual(['evidence']);
    expect(await h.gateway.store.listAudit()).toEqual([]);

    // Served traffic is untouched by the schedule; the next run comes 54-66 minutes later.
    expect((await chat(h)).status).toBe(200);
    await h.gateway.writer.flush();
    h.clock.advance(2 * D);
    expect(timers.size).toBe(1);
    await timers.advance(54 * MIN - 1);
    expect(logged(h, 'store pruned')).toHaveLength(1);
    await timers.advance(12 * MIN);
    await vi.waitFor(() => expect(logged(h, 'store pruned')).toHaveLength(2));
    // Two days on, the row that sat at the cutoff and the hour-old shadow pair have aged out; the served request has not.
    expect(logged(h, 'store pruned')[1]?.fields?.deleted).toEqual({
      usage: 1,
      usage_minutes: 0,
      usage_hours: 0,
      usage_days: 0,
      shadow_pairs: 1,
      sentinel_events: 0,
    });
    const left = await h.gateway.store.queryUsage({});
    expect(left.map((r) => h.clock.now() - r.ts)).toEqual([2 * D + H, 2 * D]);
    expect(left[1]?.gatewayId).toBe(h.gateway.gatewayId);

    await h.close();
    cleanup = [];
    expect(timers.size).toBe(0);
  });

  it('a failing prune logs a warning, the gateway keeps serving, and the next run succeeds', async () => {
    const dir = tempDir();
    cleanup.push(async () => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'locked.db');
    // No busy wait: a prune that meets another connection's write lock fails at once.
    const store = new SqliteStore(file, { busyTimeoutMs: 0 });
    await store.migrate();
    cleanup.push(() => store.close());
    const timers = new ManualTimers();
    const h = await startHarness(() => yaml(`  type: sqlite\n  path: ${file}\n  retention: { usage: 7d }\n`), {
      retentionTimers: timers,
      store,
    });
    cleanup.push(() => h.close());
    await seed(store, h.clock.now());

    const locker = new Database(file);
    locker.exec('BEGIN IMMEDIATE');
    try {
      await timers.advance(2 * MIN);
      await vi.waitFor(() => expect(logged(h, 'store prune failed; retrying at the next run')).toHaveLength(1));
      const warn = logged(h, 'store prune failed; retrying at the next run')[0];
      expect(warn?.level).toBe('warn');
      expect(String(warn?.fields?.error)).toMatch(/locked by another process \(pruning\)/);
      expect((await chat(h)).status).toBe(200);
      expect(timers.size).toBe(1);
    } finally {
      locker.exec('COMMIT');
      locker.close();
    }
    expect(await store.countUsage({ untilMs: h.clock.now() - 7 * D })).toBe(1);

    await timers.advance(66 * MIN);
    await vi.waitFor(() => expect(logged(h, 'store pruned')).toHaveLength(1));
    expect(logged(h, 'store pruned')[0]?.fields?.deleted).toEqual({
      usage: 1,
      usage_minutes: 0,
      usage_hours: 0,
      usage_days: 0,
      shadow_pairs: 0,
      sentinel_events: 1,
    });
    expect(await store.countUsage({ untilMs: h.clock.now() - 7 * D })).toBe(0);
  });

  it('follows config reloads: no schedule without retention, one when it is added, none once removed', async () => {
    const timers = new ManualTimers();
    const h = await startHarness(() => yaml('  type: sqlite\n  path: mp.db\n'), { retentionTimers: timers });
    cleanup.push(() => h.close());
    await seed(h.gateway.store, h.clock.now());
    expect(timers.size).toBe(0);
    await timers.advance(3 * H);
    expect(await h.gateway.store.countUsage({})).toBe(3);

    writeFileSync(h.configPath, yaml('  type: sqlite\n  path: mp.db\n  retention: {}\n'));
    expect(await h.gateway.reload()).toBe(true);
    expect(timers.size).toBe(1);
    await timers.advance(2 * MIN);
    // Defaults: usage 90d, shadow pairs 14d, sentinel events 365d.
    await vi.waitFor(() => expect(logged(h, 'store pruned')).toHaveLength(1));
    expect(logged(h, 'store pruned')[0]?.fields?.deleted).toEqual({
      usage: 0,
      usage_minutes: 0,
      usage_hours: 0,
      usage_days: 0,
      shadow_pairs: 0,
      sentinel_events: 1,
    });

    writeFileSync(h.configPath, yaml('  type: sqlite\n  path: mp.db\n'));
    expect(await h.gateway.reload()).toBe(true);
    expect(timers.size).toBe(0);
    await timers.advance(3 * H);
    expect(logged(h, 'store pruned')).toHaveLength(1);
  });
});
