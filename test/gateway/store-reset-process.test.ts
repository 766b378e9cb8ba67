/**
 * `modelpin serve` as a child process on PostgreSQL through a relay the test controls: connection
 * resets while transactions hold pooled connections (usage writes, sentinel observations) never crash
 * the process; it keeps answering, and SIGTERM still flushes every usage record.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { PG_URL, dropPgSchema, pgSchemaName } from '../store/fixtures.js';
import { startTcpRelay, type TcpRelay } from '../store/tcp-relay.js';
import { writeConfig } from '../support/gateway-harness.js';
import { startServe } from '../support/serve-process.js';

const pgTarget = { host: '127.0.0.1', port: Number(new URL(PG_URL).port || 5432) };

let relay: TcpRelay;
const schema = pgSchemaName('reset');
let direct: PostgresStore;

beforeAll(async () => {
  relay = await startTcpRelay(pgTarget);
  direct = new PostgresStore(PG_URL, { schema });
});
afterAll(async () => {
  await relay.close();
  await direct.close();
  await dropPgSchema(schema);
});

/** HTTP status, or 0 when the gateway could not be reached at all (it crashed). */
async function ask(url: string, i: number): Promise<number> {
  try {
    const r = await fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'summarize', messages: [{ role: 'user', content: `hello ${i}` }] }),
    });
    await r.arrayBuffer();
    return r.status;
  } catch {
    return 0;
  }
}

describe('serve on PostgreSQL through connection resets', () => {
  it('survives resets that hit checked-out connections, keeps answering, and flushes every usage record on SIGTERM', async () => {
    const config = writeConfig(
      `providers:
  sim: { type: simulator, fast: true }
routes:
  summarize: { targets: { production: sim/sim-chat-2026-01-15 } }
store:
  type: postgres
  url: ${relay.urlFor(PG_URL)}?schema=${schema}
  connect_timeout_ms: 500
  query_timeout_ms: 800
`,
    );
    const serve = await startServe(config);
    const { child, url, stderr } = serve;
    let sent = 0;
    const statuses: number[] = [];
    for (let round = 0; round < 5; round++) {
      const batch = Promise.all(Array.from({ length: 20 }, (_, i) => ask(url, sent + i)));
      sent += 20;
      // Hold the connections in whatever transaction they are in, then reset them all: the case
      // where a checked-out client got an `error` event with no listener and took the process down.
      relay.blackhole();
      await new Promise((r) => setTimeout(r, 150));
      relay.cut();
      relay.restore();
      statuses.push(...(await batch));
      await new Promise((r) => setTimeout(r, 100));
      expect({ exitCode: child.exitCode, stderr: child.exitCode === null ? '' : stderr() }).toEqual({
        exitCode: null,
        stderr: '',
      });
      expect((await fetch(`${url}/livez`)).status).toBe(200);
    }
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    expect((await fetch(`${url}/readyz`)).status).toBe(200);

    expect(await serve.stop()).toBe(0);
    expect(stderr()).not.toMatch(/Connection terminated unexpectedly\s*\n\s*at /);
    // Nothing lost. (A write whose COMMIT reached the server just before a reset, but whose answer
    // did not, is retried: usage writes are at-least-once, so the count may exceed what was sent.)
    expect(await direct.countUsage({ route: 'summarize' })).toBeGreaterThanOrEqual(sent);
  });
});
