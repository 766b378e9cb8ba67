/**
 * A request the library cannot serialise (too deep, circular) is the caller's error: a non-retryable
 * bad_request, never a "connection failed" that is retried and opens the target's breaker for everyone.
 * Real simulator over HTTP behind an openai-type provider, so the HTTP client's encode path runs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { seededRandom } from '../../src/core/random.js';
import { isModelpinError } from '../../src/core/errors.js';
import { createClient, type ClientRequest, type ModelpinClient } from '../../src/client/create-client.js';
import { startSimulatorServer, type SimulatorServer } from '../../src/sim/index.js';

let sim: SimulatorServer;
let client: ModelpinClient;
const clock = new ManualClock(Date.UTC(2026, 0, 20));
const TARGET = 'up/sim-chat-2026-01-15';

beforeAll(async () => {
  sim = await startSimulatorServer({ port: 0, scenario: 'default', seed: 1, fast: true });
  client = await createClient({
    config: {
      providers: { up: { type: 'openai', base_url: `${sim.url}/v1`, api_key: 'sk-test' } },
      routes: { summarize: { targets: { production: TARGET } } },
      // One failure would open the breaker: a single misclassified request shows.
      retry: { failure_threshold: 1, max_attempts: 3 },
    },
    clock,
    random: seededRandom(1),
    sleep: async (ms) => void clock.advance(ms),
  });
});
afterAll(async () => {
  await client.close();
  await sim.close();
});

const ask: ClientRequest = { messages: [{ role: 'user', content: [{ type: 'text', text: 'Say hello' }] }] };

/** An object nested `levels` deep, built without recursion. */
function deep(levels: number): Record<string, unknown> {
  let v: Record<string, unknown> = { type: 'string' };
  for (let i = 0; i < levels; i++) v = { type: 'object', properties: { a: v } };
  return v;
}

async function failure(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => null,
    (e: unknown) => e,
  );
}

describe('a library request that cannot be encoded', () => {
  it('too deep to serialise: bad_request, one attempt, breaker closed, the next call is served', async () => {
    for (const stream of [false, true]) {
      const req: ClientRequest = { ...ask, tools: [{ name: 'f', inputSchema: deep(50_000) }] };
      const err = await failure(stream ? client.stream('summarize', req) : client.complete('summarize', req));
      expect(isModelpinError(err) && err.code).toBe('bad_request');
      expect(isModelpinError(err) && err.retryable).toBe(false);
      expect(isModelpinError(err) && err.status).toBe(400);
    }
    const circular: Record<string, unknown> = { type: 'object' };
    circular['self'] = circular;
    const err = await failure(
      client.complete('summarize', { ...ask, responseFormat: { type: 'json_schema', schema: circular } }),
    );
    expect(isModelpinError(err) && err.code).toBe('bad_request');

    const ok = await client.complete('summarize', ask);
    expect(ok).toMatchObject({ target: TARGET, attempts: 1 });
  });
});
