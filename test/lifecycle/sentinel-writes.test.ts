/**
 * The sentinel's store writes do not grow with traffic: thousands of answers from an unchanged served
 * model cost O(1) writes (one per change, plus a heartbeat per refresh interval), counted on a real
 * store through a wrapper that counts calls.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/logger.js';
import { seededRandom } from '../../src/core/random.js';
import { StoreError } from '../../src/core/errors.js';
import { createGatewayMetrics } from '../../src/gateway/metrics.js';
import type { GatewayContext, ServedEvent } from '../../src/gateway/extension.js';
import { sentinel } from '../../src/lifecycle/sentinel/sentinel.js';
import { modelsFileSchema } from '../../src/config/schema.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../src/store/types.js';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { PG_URL, dropPgSchema, pgSchemaName, usage } from '../store/fixtures.js';
import { SIM_PROVIDERS, startHarness, type Harness } from '../support/gateway-harness.js';

/** A real store whose calls are counted per method; `fail` makes the next calls reject as an unreachable store would. */
function counted(store: Store): { store: Store; calls: Map<string, number>; fail: { on: boolean } } {
  const calls = new Map<string, number>();
  const fail = { on: false };
  const proxy = new Proxy(store, {
    get(target, prop) {
      const v: unknown = Reflect.get(target, prop, target);
      if (typeof v !== 'function' || typeof prop !== 'string') return v;
      const fn = v as (...a: unknown[]) => unknown;
      return (...args: unknown[]) => {
        calls.set(prop, (calls.get(prop) ?? 0) + 1);
        if (fail.on && prop !== 'close')
          return Promise.reject(
            new StoreError(
              'cannot reach PostgreSQL at localhost:5432/test while recording served model: ECONNREFUSED',
              { status: 503, retryable: true },
            ),
          );
        return fn.apply(target, args);
      };
    },
  });
  return { store: proxy, calls, fail };
}

function answer(model: string, fingerprint?: string): ServedEvent {
  const u = usage({ servedModel: model });
  return {
    route: 'summarize',
    env: 'production',
    arm: 'stable',
    target: { provider: 'sim', model: 'sim-chat-2026-01-15', params: {} },
    request: {
      model: 'summarize',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }],
      stream: false,
    },
    response: {
      id: 'r',
      model,
      content: [{ type: 'text', text: 'ok' }],
      stopReason: 'end_turn',
      usage: { inputTokens: 1, outputTokens: 1 },
      created: 0,
      ...(fingerprint ? { systemFingerprint: fingerprint } : {}),
    },
    error: null,
    usage: u,
  };
}

const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const o of open.splice(0)) await o.close();
});

async function startSentinel(refreshMs = 60_000) {
  const real = new SqliteStore(':memory:');
  await real.migrate();
  open.push(real);
  const c = counted(real);
  const clock = new ManualClock(Date.UTC(2026, 10, 24, 12));
  const s = sentinel({ refreshMs, retryMs: 10 });
  const file = modelsFileSchema.parse({});
  const ctx: GatewayContext = {
    config: () => file,
    configPath: 'models.yml',
    env: 'production',
    store: c.store,
    clock,
    random: seededRandom(1),
    logger: silentLogger,
    metrics: createGatewayMetrics({ defaultMetrics: false }).registry,
    provider: () => {
      throw new Error('no provider calls in this test');
    },
    gatewayId: 'test',
    breakerState: () => 'closed',
    refreshRouting: async () => {},
  };
  await s.start?.(ctx);
  open.push({ close: async () => void (await s.stop?.()) });
  return { s, c, clock, real };
}

describe('sentinel store writes', () => {
  it('5,000 answers from an unchanged model, arriving while the first write is in flight, cost one write', async () => {
    const { s, c } = await startSentinel();
    for (let i = 0; i < 5000; i++) s.onServed?.(answer('sim-chat-2026-01-15'));
    await s.idle();
    // More answers in later turns, with nothing in flight: no write at all.
    for (let burst = 0; burst < 5; burst++) {
      for (let i = 0; i < 1000; i++) s.onServed?.(answer('sim-chat-2026-01-15'));
      await s.idle();
    }
    expect(c.calls.get('observeServed')).toBe(1);
    expect(c.calls.get('insertSentinelEvent') ?? 0).toBe(0);
  });

  it('a change in the middle of a burst is written once, alerts once, and is never lost to the repeats around it', async () => {
    const { s, c, real } = await startSentinel();
    for (let i = 0; i < 2000; i++) s.onServed?.(answer('sim-chat-2026-01-15'));
    s.onServed?.(answer('sim-chat-2026-05-01'));
    for (let i = 0; i < 2000; i++) s.onServed?.(answer('sim-chat-2026-05-01'));
    await s.idle();
    expect(c.calls.get('observeServed')).toBe(2);
    const events = await real.listSentinelEvents();
    expect(events).toMatchObject([
      { kind: 'served_model_changed', previous: 'sim-chat-2026-01-15', current: 'sim-chat-2026-05-01' },
    ]);
  });

  it('writes a heartbeat once per refresh interval under steady traffic, not per answer', async () => {
    const { s, c, clock } = await startSentinel(60_000);
    for (let minute = 0; minute < 10; minute++) {
      for (let i = 0; i < 500; i++) {
        s.onServed?.(answer('sim-chat-2026-01-15'));
        if (i % 50 === 0) await s.idle();
        clock.advance(120); // 500 answers a minute
      }
    }
    await s.idle();
    // 10 minutes of 500 answers: the first write plus about one heartbeat a minute.
    const writes = c.calls.get('observeServed') ?? 0;
    expect(writes).toBeGreaterThanOrEqual(9);
    expect(writes).toBeLessThanOrEqual(11);
  });

  it('a store that fails is retried with backoff, not once per answer, and the observation lands when it returns', async () => {
    const { s, c, real } = await startSentinel();
    c.fail.on = true;
    for (let i = 0; i < 3000; i++) s.onServed?.(answer('sim-chat-2026-01-15'));
    await s.idle();
    expect(c.calls.get('observeServed')).toBe(1);
    for (let i = 0; i < 3000; i++) s.onServed?.(answer('sim-chat-2026-01-15'));
    c.fail.on = false;
    await expect.poll(() => c.calls.get('observeServed') ?? 0, { timeout: 5000 }).toBeGreaterThanOrEqual(2);
    await s.idle();
    expect(c.calls.get('observeServed')).toBeLessThanOrEqual(3);
    // The observation landed once the store was back.
    expect(
      await real.observeServed({
        target: 'sim/sim-chat-2026-01-15',
        servedModel: 'sim-chat-2026-01-15',
        fingerprint: null,
        lastSeen: 0,
      }),
    ).toMatchObject({ servedModel: 'sim-chat-2026-01-15' });
    for (let i = 0; i < 3000; i++) s.onServed?.(answer('sim-chat-2026-01-15'));
    await s.idle();
    expect(c.calls.get('observeServed')).toBeLessThanOrEqual(3);
  });
});

describe('sentinel store writes through a gateway', () => {
  let h: Harness | null = null;
  afterEach(async () => {
    await h?.close();
    h = null;
  });

  it('600 requests through a gateway on PostgreSQL with an unchanged served model cost at most a couple of writes', async () => {
    const schema = pgSchemaName('sentinel');
    const real = new PostgresStore(PG_URL, { schema });
    await real.migrate();
    open.push({
      close: async () => {
        await real.close();
        await dropPgSchema(schema);
      },
    });
    const c = counted(real);
    const s = sentinel();
    h = await startHarness(
      (sim) => `${SIM_PROVIDERS(sim)}routes:
  summarize: { targets: { production: sim/sim-chat-2026-01-15 } }
`,
      { store: c.store, extensions: [s] },
    );
    const url = `${h.gateway.url}/v1/chat/completions`;
    const one = async (i: number) => {
      const r = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'summarize', messages: [{ role: 'user', content: `q${i}` }] }),
      });
      expect(r.status).toBe(200);
      await r.arrayBuffer();
    };
    for (let batch = 0; batch < 12; batch++)
      await Promise.all(Array.from({ length: 50 }, (_, i) => one(batch * 50 + i)));
    await s.idle();
    // The usage writer flushes rollups and raw rows together through writeUsage.
    expect(c.calls.get('writeUsage') ?? 0).toBeGreaterThan(0);
    expect(c.calls.get('observeServed') ?? 0).toBeGreaterThanOrEqual(1);
    expect(c.calls.get('observeServed') ?? 0).toBeLessThanOrEqual(2);
  });
});
