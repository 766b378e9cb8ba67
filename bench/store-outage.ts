/**
 * How a gateway on PostgreSQL lives through a lost host, with the DEFAULT store timeouts
 * (connect 2.5 s, polled reads 1.5 s, statement 10 s): a TCP relay between the gateway and the real server black-holes
 * every connection while requests keep coming, then restores it.
 *
 *   npx tsx bench/store-outage.ts [--outage-s 20] [--rps 50]
 *
 * Prints: requests answered during the outage, when the first store error came and when the outage
 * was declared (after the black hole began), how long after restore the store was back and every
 * usage record written, records sent vs stored, and how long close() takes during an outage.
 * Needs the test PostgreSQL (MODELPIN_TEST_PG_URL, default postgres://postgres@127.0.0.1:5432/test).
 */
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Logger } from '../src/core/logger.js';
import { createGateway } from '../src/gateway/server.js';
import { PostgresStore } from '../src/store/postgres/postgres-store.js';
import { startSimulatorServer } from '../src/sim/index.js';
import { startTcpRelay } from '../test/store/tcp-relay.js';

const PG_URL = process.env.MODELPIN_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const { values } = parseArgs({
  options: { 'outage-s': { type: 'string', default: '20' }, rps: { type: 'string', default: '50' } },
});
const outageMs = Number(values['outage-s']) * 1000;
const rps = Number(values.rps);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const relay = await startTcpRelay({ host: '127.0.0.1', port: Number(new URL(PG_URL).port || 5432) });
const sim = await startSimulatorServer({ port: 0, scenario: 'default', seed: 1, fast: true });
const schema = `${process.env.MODELPIN_BENCH_PG_SCHEMA_PREFIX ?? 'bench_outage'}_${process.pid}`;
const dir = mkdtempSync(join(tmpdir(), 'modelpin-outage-'));
const configPath = join(dir, 'models.yml');
writeFileSync(
  configPath,
  `providers:
  sim: { type: simulator, fast: true }
routes:
  summarize: { targets: { production: sim/sim-chat-2026-01-15 } }
store:
  type: postgres
  url: ${relay.urlFor(PG_URL)}?schema=${schema}
`,
);
const t0 = { blackhole: 0 };
const marks: Record<string, number> = {};
const logger: Logger = {
  log(level, msg) {
    if (msg.startsWith('store unreachable')) marks.declaredDown ??= performance.now() - t0.blackhole;
    if (level === 'debug' && /failed/.test(msg)) marks.firstError ??= performance.now() - t0.blackhole;
  },
};
const gw = await createGateway({ configPath, env: 'production', port: 0, logger, watch: false });
const direct = new PostgresStore(PG_URL, { schema });

let sent = 0;
let answered = 0;
let failed = 0;
let stop = false;
const load = (async () => {
  while (!stop) {
    sent++;
    void fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'summarize', messages: [{ role: 'user', content: `q${sent}` }] }),
    })
      .then(async (r) => {
        await r.arrayBuffer();
        if (r.status === 200) answered++;
        else failed++;
      })
      .catch(() => failed++);
    await sleep(1000 / rps);
  }
})();

await sleep(2000);
relay.blackhole();
t0.blackhole = performance.now();
const sentBefore = sent;
await sleep(outageMs);
const duringOutage = sent - sentBefore;
relay.restore();
const restoredAt = performance.now();
while (!gw.storeHealth.up()) await sleep(50);
const backAfterMs = performance.now() - restoredAt;
stop = true;
await load;
await sleep(500);
while (gw.writer.pending > 0) await sleep(50);
const drainedAfterMs = performance.now() - restoredAt;
const stored = await direct.countUsage({ route: 'summarize' });

// Shutdown (SIGTERM) just after the host is lost, default timeouts: the flush of these requests is
// on its way into the black hole and the outage not declared yet. Bounded by store.shutdown_grace_ms (5 s).
relay.blackhole();
await Promise.all(
  Array.from({ length: 5 }, () =>
    fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'summarize', messages: [{ role: 'user', content: 'late' }] }),
    }).then((r) => r.arrayBuffer()),
  ),
);
await sleep(200);
const closeStart = performance.now();
const closeResult = await gw.close().then(
  () => 'ok',
  (e: unknown) => (e instanceof Error ? e.message.slice(0, 120) : String(e)),
);
const closeMs = performance.now() - closeStart;
relay.restore();

console.log(
  JSON.stringify(
    {
      outageMs,
      rps,
      requestsDuringOutage: duringOutage,
      answered,
      failed,
      firstStoreErrorAfterMs: Math.round(marks.firstError ?? -1),
      outageDeclaredAfterMs: Math.round(marks.declaredDown ?? -1),
      storeBackAfterRestoreMs: Math.round(backAfterMs),
      usageDrainedAfterRestoreMs: Math.round(drainedAfterMs),
      usageSent: sent,
      usageStored: stored,
      closeDuringOutageMs: Math.round(closeMs),
      closeResult,
    },
    null,
    2,
  ),
);
await direct.close();
await import('pg').then(async ({ default: pg }) => {
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await c.end();
});
await relay.close();
await sim.close();
