/**
 * A gateway on PostgreSQL through a TCP relay the test controls (the server itself is never
 * stopped): a black-holed store turns into errors within the configured timeouts, the gateway keeps
 * answering from its config and last known state, /readyz stays correct, one log line marks the
 * outage and one the return, and every usage record is written once the store is back.
 * A gateway started while the store is down serves from the config file and catches up.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import type { Logger, LogLevel } from '../../src/core/logger.js';
import { createGateway, type Gateway } from '../../src/gateway/server.js';
import { defaultExtensions } from '../../src/lifecycle/extensions.js';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import type { SimulatorServer } from '../../src/sim/index.js';
import { PG_URL, dropPgSchema, pgSchemaName } from '../store/fixtures.js';
import { startTcpRelay, type TcpRelay } from '../store/tcp-relay.js';
import { startSim, tempDir } from '../support/gateway-harness.js';

const TOKEN = 'outage-admin-token';
const pgTarget = { host: '127.0.0.1', port: Number(new URL(PG_URL).port || 5432) };

interface Line {
  level: LogLevel;
  msg: string;
  fields?: Record<string, unknown>;
}

let sim: SimulatorServer;
let relay: TcpRelay;
const cleanup: Array<() => Promise<void>> = [];

beforeAll(async () => {
  sim = await startSim();
  relay = await startTcpRelay(pgTarget);
});
afterEach(async () => {
  relay.restore();
  for (const f of cleanup.splice(0).reverse()) await f();
});
afterAll(async () => {
  await relay.close();
  await sim.close();
});

function modelsYml(schema: string, extra = '', queryTimeoutMs = 500): string {
  return `providers:
  sim: { type: simulator, fast: true }
routes:
  summarize:
    targets: { production: sim/sim-chat-2026-01-15 }
gateway:
  admin_token: \${ADMIN_TOKEN}
store:
  type: postgres
  url: ${relay.urlFor(PG_URL)}?schema=${schema}
  connect_timeout_ms: 300
  query_timeout_ms: ${queryTimeoutMs}
  keepalive_ms: 1000
  max_staleness_ms: 1500
${extra}`;
}

async function start(
  schema: string,
  extra = '',
  queryTimeoutMs?: number,
): Promise<{ gw: Gateway; lines: Line[]; client: OpenAI; direct: PostgresStore }> {
  const dir = tempDir();
  const configPath = join(dir, 'models.yml');
  writeFileSync(configPath, modelsYml(schema, extra, queryTimeoutMs));
  const lines: Line[] = [];
  const logger: Logger = {
    log: (level, msg, fields) => void lines.push({ level, msg, ...(fields ? { fields } : {}) }),
  };
  const gw = await createGateway({
    configPath,
    env: 'production',
    port: 0,
    logger,
    watch: false,
    pollIntervalMs: 100,
    usageFlushMs: 50,
    envVars: { ADMIN_TOKEN: TOKEN },
    extensions: defaultExtensions({ canaryIntervalMs: 100, envVars: { ADMIN_TOKEN: TOKEN } }),
  });
  // The test's own view of the store goes straight to the server, not through the relay.
  const direct = new PostgresStore(PG_URL, { schema });
  cleanup.push(async () => {
    await gw.close().catch(() => {});
    await direct.close();
    await dropPgSchema(schema);
  });
  return {
    gw,
    lines,
    direct,
    client: new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: 'unused', maxRetries: 0, timeout: 10_000 }),
  };
}

async function chat(client: OpenAI, n: number): Promise<number> {
  let ok = 0;
  await Promise.all(
    Array.from({ length: n }, async (_, i) => {
      const r = await client.chat.completions.create({
        model: 'summarize',
        messages: [{ role: 'user', content: `question ${i}` }],
      });
      if (r.choices[0]?.message.content) ok++;
    }),
  );
  return ok;
}

/** The model that answered (the response body names the route; the gateway says who served it in a header). */
async function servedModel(client: OpenAI): Promise<string> {
  const { response } = await client.chat.completions
    .create({ model: 'summarize', messages: [{ role: 'user', content: 'which model?' }] })
    .withResponse();
  return response.headers.get('x-modelpin-served-model') ?? '';
}

async function getJson(
  url: string,
  init: RequestInit = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const r = await fetch(url, init);
  return { status: r.status, body: (await r.json()) as Record<string, unknown> };
}

const admin = (gw: Gateway, path: string, init: RequestInit = {}) =>
  getJson(`${gw.url}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', ...(init.headers ?? {}) },
  });

const outageLines = (lines: Line[]) => lines.filter((l) => l.msg.startsWith('store unreachable'));
const returnLines = (lines: Line[]) => lines.filter((l) => l.msg === 'store reachable again');
const atLeastWarn = (lines: Line[]) => lines.filter((l) => l.level === 'warn' || l.level === 'error');

describe('gateway on PostgreSQL through a black hole (a lost host)', () => {
  it('answers throughout, fails store calls within the timeouts, reports staleness, logs the outage once, and writes every usage record after recovery', async () => {
    const schema = pgSchemaName('outage');
    const { gw, lines, client, direct } = await start(schema);
    let sent = 0;
    expect(await chat(client, 20)).toBe(20);
    sent += 20;
    expect(await getJson(`${gw.url}/readyz`)).toMatchObject({
      status: 200,
      body: { status: 'ready', store: 'reachable', routing_state: { source: 'store', stale: false } },
    });
    // Cut off between two usage writes (a write cut after its COMMIT is retried and skipped by the
    // store, see docs/store.md; test/store/postgres-faults.test.ts plays that case).
    await expect.poll(() => gw.writer.pending, { timeout: 10_000 }).toBe(0);

    relay.blackhole();
    // Requests keep being answered from the config; usage waits in memory.
    expect(await chat(client, 30)).toBe(30);
    sent += 30;
    // The admin API cannot write: 503 naming the store, within the timeouts (not a hang, not a 500).
    const set = await admin(gw, '/admin/overrides', {
      method: 'POST',
      body: JSON.stringify({ route: 'summarize', target: 'sim/sim-mini-2026-03-01', reason: 'outage test' }),
    });
    expect(set.status).toBe(503);
    expect(set.body).toMatchObject({
      error: {
        code: 'store_unavailable',
        message: expect.stringMatching(/cannot reach PostgreSQL at 127\.0\.0\.1:\d+\/test/),
      },
    });
    await expect.poll(() => gw.storeHealth.up(), { timeout: 10_000 }).toBe(false);
    // Unreachable but still serving: ready, and the body says what is going on.
    expect(await getJson(`${gw.url}/readyz`)).toMatchObject({
      status: 200,
      body: { status: 'ready', store: 'unreachable' },
    });
    expect((await fetch(`${gw.url}/livez`)).status).toBe(200);
    // Past store.max_staleness_ms (1.5 s) the routing state is reported stale, and readiness is still 200 by default.
    await expect
      .poll(async () => (await getJson(`${gw.url}/readyz`)).body.routing_state, { timeout: 10_000, interval: 200 })
      .toMatchObject({ stale: true });
    expect((await getJson(`${gw.url}/readyz`)).status).toBe(200);
    const metrics = await (await fetch(`${gw.url}/metrics`)).text();
    expect(metrics).toMatch(/^modelpin_store_up 0$/m);
    expect(metrics).toMatch(/^modelpin_routing_state_stale 1$/m);
    expect(Number(/^modelpin_routing_state_age_seconds ([\d.]+)$/m.exec(metrics)?.[1])).toBeGreaterThan(1.5);
    expect(await chat(client, 30)).toBe(30);
    sent += 30;
    expect(gw.writer.pending).toBeGreaterThan(0);

    relay.restore();
    await expect.poll(() => gw.storeHealth.up(), { timeout: 10_000 }).toBe(true);
    await expect.poll(() => gw.writer.pending, { timeout: 10_000 }).toBe(0);
    await expect
      .poll(async () => (await getJson(`${gw.url}/readyz`)).body, { timeout: 10_000, interval: 100 })
      .toMatchObject({ store: 'reachable', routing_state: { stale: false } });
    // 0 lost: every request sent has its usage record in the store.
    expect(await direct.countUsage({ route: 'summarize' })).toBe(sent);
    expect(gw.writer.dropped).toBe(0);
    // The admin API writes again, and the poller brings the override to routing.
    expect(
      (
        await admin(gw, '/admin/overrides', {
          method: 'POST',
          body: JSON.stringify({ route: 'summarize', target: 'sim/sim-mini-2026-03-01', reason: 'after outage' }),
        })
      ).status,
    ).toBe(201);
    await expect.poll(() => servedModel(client), { timeout: 10_000, interval: 100 }).toBe('sim-mini-2026-03-01');

    // One line when the store went away, one when it came back; nothing else at warn or error (the
    // canary controller ran every 100 ms throughout).
    expect(outageLines(lines)).toHaveLength(1);
    expect(returnLines(lines)).toHaveLength(1);
    expect(outageLines(lines)[0]).toMatchObject({
      level: 'warn',
      fields: { store: expect.stringMatching(/^PostgreSQL at 127\.0\.0\.1:\d+\/test$/) },
    });
    expect(atLeastWarn(lines).map((l) => l.msg)).toEqual([outageLines(lines)[0]?.msg, 'store reachable again']);
  });
});

describe('three gateways sharing one PostgreSQL through an outage', () => {
  it('all keep answering, none crashes, every usage record of every gateway is written, and they converge on overrides after recovery', async () => {
    const schema = pgSchemaName('fleet');
    const fleet = [await start(schema), await start(schema), await start(schema)];
    let sent = 0;
    for (const g of fleet) sent += await chat(g.client, 10);
    await expect.poll(() => fleet.reduce((n, g) => n + g.gw.writer.pending, 0), { timeout: 10_000 }).toBe(0);
    relay.blackhole();
    for (const g of fleet) sent += await chat(g.client, 15);
    await new Promise((r) => setTimeout(r, 300));
    relay.cut();
    relay.restore();
    relay.blackhole();
    for (const g of fleet) sent += await chat(g.client, 15);
    for (const g of fleet) await expect.poll(() => g.gw.storeHealth.up(), { timeout: 10_000 }).toBe(false);
    // Not one gateway left the load balancer over the outage.
    for (const g of fleet) expect((await getJson(`${g.gw.url}/readyz`)).status).toBe(200);
    relay.restore();
    for (const g of fleet) await expect.poll(() => g.gw.writer.pending, { timeout: 10_000 }).toBe(0);
    expect(await fleet[0]!.direct.countUsage({ route: 'summarize' })).toBe(sent);
    // A rollback-style override set on one gateway reaches the others through the store.
    expect(
      (
        await admin(fleet[0]!.gw, '/admin/overrides', {
          method: 'POST',
          body: JSON.stringify({ route: 'summarize', target: 'sim/sim-mini-2026-03-01', reason: 'fleet' }),
        })
      ).status,
    ).toBe(201);
    for (const g of fleet)
      await expect.poll(() => servedModel(g.client), { timeout: 10_000, interval: 100 }).toBe('sim-mini-2026-03-01');
    for (const g of fleet) {
      expect(outageLines(g.lines)).toHaveLength(1);
      expect(returnLines(g.lines)).toHaveLength(1);
    }
  }, 60_000);
});

describe('gateway shutdown during an outage', () => {
  it('makes one bounded attempt to save usage, closes the store anyway, and says how many records were not saved', async () => {
    const schema = pgSchemaName('shutdown');
    const { gw, client } = await start(schema);
    expect(await chat(client, 5)).toBe(5);
    await expect.poll(() => gw.writer.pending, { timeout: 10_000 }).toBe(0);
    relay.blackhole();
    expect(await chat(client, 10)).toBe(10);
    await expect.poll(() => gw.storeHealth.up(), { timeout: 10_000 }).toBe(false);
    // The writer's own schedule would back off for up to 30 s between attempts; shutdown does not wait for that.
    await expect(gw.close()).rejects.toMatchObject({
      code: 'store',
      message: expect.stringMatching(/shut down with 10 usage records not saved: cannot reach PostgreSQL/),
      details: { pending: 10 },
    });
  }, 20_000);

  it('waits for a store that stopped answering only store.shutdown_grace_ms, not a transaction deadline, and reports the records held as not saved', async () => {
    const schema = pgSchemaName('store_reads_grace');
    // The default statement timeout (10 s): a write caught by the black hole would hold on for 21 s.
    const { gw, client, direct } = await start(schema, '  shutdown_grace_ms: 1000\n', 10_000);
    const since = Date.now() - 60_000;
    expect(await chat(client, 5)).toBe(5);
    await expect.poll(() => gw.writer.pending, { timeout: 10_000 }).toBe(0);
    relay.blackhole();
    expect(await chat(client, 10)).toBe(10);
    // A flush is on its way into the black hole now; the outage is not declared yet.
    await expect
      .poll(() => gw.writer.flushErrors + (gw.writer.pending > 0 ? 1 : 0), { timeout: 5_000 })
      .toBeGreaterThan(0);
    await expect(gw.close()).rejects.toMatchObject({
      code: 'store',
      message: expect.stringMatching(/shut down with 10 usage records not saved/),
      details: { pending: 10 },
    });
    // The abandoned batch was rolled back with its connection: the store holds the five requests from before.
    relay.restore();
    const [all] = await direct.queryRollups({ sinceMs: since, untilMs: Date.now() + 1, by: [] });
    expect(all?.requests).toBe(5);
  }, 15_000);
});

describe('gateway started while the store is down', () => {
  it('serves from the config file (no exit), then migrates, reads overrides and writes the buffered usage when the store appears', async () => {
    const schema = pgSchemaName('coldstart');
    relay.refuse();
    const { gw, lines, client, direct } = await start(schema);
    expect(gw.storeHealth.up()).toBe(false);
    expect(gw.storeHealth.migrated()).toBe(false);
    expect(await chat(client, 12)).toBe(12);
    expect(await getJson(`${gw.url}/readyz`)).toMatchObject({
      status: 200,
      body: { status: 'ready', store: 'unreachable', routing_state: { source: 'config_file' } },
    });

    relay.restore();
    await expect.poll(() => gw.storeHealth.migrated(), { timeout: 10_000 }).toBe(true);
    await expect.poll(() => gw.writer.pending, { timeout: 10_000 }).toBe(0);
    expect(await direct.countUsage({ route: 'summarize' })).toBe(12);
    await expect
      .poll(async () => (await getJson(`${gw.url}/readyz`)).body.routing_state, { timeout: 10_000, interval: 100 })
      .toMatchObject({ source: 'store', stale: false });
    // A change written by another gateway (here: straight to the server) is applied by the poller.
    await direct.setOverride({
      route: 'summarize',
      env: 'production',
      target: 'sim/sim-mini-2026-03-01',
      reason: 'applied after start',
      actor: 'test',
      createdAt: Date.now(),
      expiresAt: null,
    });
    await expect.poll(() => servedModel(client), { timeout: 10_000, interval: 100 }).toBe('sim-mini-2026-03-01');
    expect(outageLines(lines)).toHaveLength(1);
    expect(returnLines(lines)).toHaveLength(1);
    expect(lines.filter((l) => l.level === 'error')).toEqual([]);
  });

  it('with store.unready_when_stale, /readyz turns 503 once the routing state is older than store.max_staleness_ms, and 200 again after recovery', async () => {
    const schema = pgSchemaName('unready');
    relay.refuse();
    const { gw, client } = await start(schema, '  unready_when_stale: true\n');
    expect(await chat(client, 3)).toBe(3);
    await expect
      .poll(async () => (await getJson(`${gw.url}/readyz`)).status, { timeout: 10_000, interval: 200 })
      .toBe(503);
    const body = (await getJson(`${gw.url}/readyz`)).body;
    expect(body).toMatchObject({
      status: 'not_ready',
      store: 'unreachable',
      routing_state: { stale: true, max_staleness_ms: 1500 },
      reason: expect.stringMatching(/store\.max_staleness_ms/),
    });
    // Not ready is not dead: liveness holds, and requests still get answers.
    expect((await fetch(`${gw.url}/livez`)).status).toBe(200);
    expect(await chat(client, 3)).toBe(3);
    relay.restore();
    await expect
      .poll(async () => (await getJson(`${gw.url}/readyz`)).status, { timeout: 10_000, interval: 100 })
      .toBe(200);
  });
});
