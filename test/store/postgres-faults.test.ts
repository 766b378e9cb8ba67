/**
 * The PostgreSQL store against the real server through a relay the test controls: resets and hangs
 * become StoreErrors within the configured timeouts (never a crash, never a wait without end), and
 * the same store object works again once the network is back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { StoreError } from '../../src/core/errors.js';
import { UsageWriter } from '../../src/store/usage-writer.js';
import { PG_URL, T0, dropPgSchema, pgSchemaName, usage } from './fixtures.js';
import { ManualTimers } from './manual-timers.js';
import { startTcpRelay, type TcpRelay } from './tcp-relay.js';

const pgTarget = { host: '127.0.0.1', port: Number(new URL(PG_URL).port || 5432) };
const TIMEOUTS = { connectTimeoutMs: 500, queryTimeoutMs: 600, keepAliveMs: 1000 };

let relay: TcpRelay;
const schemas: string[] = [];
const stores: PostgresStore[] = [];

async function freshStore(): Promise<PostgresStore> {
  const schema = pgSchemaName('faults');
  schemas.push(schema);
  const s = new PostgresStore(relay.urlFor(PG_URL), { schema, ...TIMEOUTS, poolSize: 4 });
  stores.push(s);
  await s.migrate();
  return s;
}

/** Resolves with how long the promise took to settle and how it settled. */
async function settle(p: Promise<unknown>): Promise<{ ms: number; error: unknown }> {
  const t0 = performance.now();
  try {
    await p;
    return { ms: performance.now() - t0, error: null };
  } catch (e) {
    return { ms: performance.now() - t0, error: e };
  }
}

beforeAll(async () => {
  relay = await startTcpRelay(pgTarget);
});

afterAll(async () => {
  for (const s of stores) await s.close();
  await relay.close();
  for (const s of schemas) await dropPgSchema(s);
});

describe('PostgreSQL store through a faulty network', () => {
  it('a reset while a transaction holds a connection rejects that write (no uncaught error event) and the next write succeeds', async () => {
    relay.restore();
    const store = await freshStore();
    await store.insertUsage([usage()]);
    // Hold a transaction on a checked-out connection, then reset every connection under it.
    relay.blackhole();
    const write = settle(store.insertUsage([usage({ route: 'held' })]));
    await new Promise((r) => setTimeout(r, 100));
    relay.cut();
    relay.restore();
    const r = await write;
    expect(r.error).toBeInstanceOf(StoreError);
    expect(r.error).toMatchObject({ status: 503, retryable: true });
    // Idle pooled connections were cut too: the store reconnects on its own.
    await store.insertUsage([usage({ route: 'after' })]);
    expect(await store.countUsage({})).toBe(2);
  });

  it('a black-holed connection turns into a 503 StoreError within the timeouts, for queries and transactions, then recovers', async () => {
    relay.restore();
    const store = await freshStore();
    await store.listOverrides();
    relay.blackhole();
    const read = await settle(store.listOverrides());
    const write = await settle(store.insertUsage([usage()]));
    const served = await settle(
      store.observeServed({ target: 'sim/x', servedModel: 'x', fingerprint: null, lastSeen: 1 }),
    );
    for (const r of [read, write, served]) {
      expect(r.error).toBeInstanceOf(StoreError);
      expect(r.error).toMatchObject({ status: 503, retryable: true });
      expect((r.error as Error).message).toMatch(/cannot reach PostgreSQL at 127\.0\.0\.1:\d+\/test/);
    }
    // A new connection into the black hole: the connect timeout ends it.
    const fresh = new PostgresStore(relay.urlFor(PG_URL), { schema: schemas[schemas.length - 1], ...TIMEOUTS });
    stores.push(fresh);
    const connect = await settle(fresh.listOverrides());
    expect(connect.error).toMatchObject({ status: 503 });
    relay.restore();
    await store.insertUsage([usage({ route: 'after' })]);
    expect(await store.countUsage({ route: 'after' })).toBe(1);
    expect(await fresh.listOverrides()).toEqual([]);
  });

  it('a batch committed whose acknowledgement was lost is retried and counted once: 0 lost, 0 double, end to end', async () => {
    relay.restore();
    const store = await freshStore();
    const writer = new UsageWriter({ store, timers: new ManualTimers(), batchSize: 1000 });
    for (let i = 0; i < 40; i++) expect(writer.write(usage({ ts: T0 + i * 1000, route: 'acked' }))).toBe(true);
    const lost = relay.loseNextCommitAck();
    const first = await settle(writer.flush());
    await lost;
    expect(first.error).toBeInstanceOf(StoreError);
    expect(writer.pending).toBe(40);
    // More traffic while the batch waits for its retry.
    for (let i = 40; i < 50; i++) writer.write(usage({ ts: T0 + i * 1000, route: 'acked' }));
    await writer.flush();
    expect(writer.pending).toBe(0);
    expect(writer.written).toBe(50);
    const [sum] = await store.queryRollups({ sinceMs: T0 - 60_000, untilMs: T0 + 3_600_000, route: 'acked', by: [] });
    expect(sum?.requests).toBe(50);
    expect(await store.countUsage({ route: 'acked' })).toBe(50);
  });

  it('close() returns while connections hang in a black hole, leaving no socket open', async () => {
    relay.restore();
    const store = await freshStore();
    await Promise.all([store.listOverrides(), store.listCanaries(), store.listAudit()]);
    relay.blackhole();
    const pending = settle(store.insertUsage([usage()]));
    const closed = await settle(store.close());
    expect(closed.error).toBeNull();
    expect((await pending).error).toBeInstanceOf(StoreError);
    expect(store.openSockets).toBe(0);
    relay.restore();
  });
});
