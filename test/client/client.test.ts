/** The in-process client: same routing, retries and fallback as the gateway, no proxy hop. */
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { seededRandom } from '../../src/core/random.js';
import { createClient } from '../../src/client/create-client.js';
import { responseText, type StreamEvent } from '../../src/wire/canonical.js';
import { startSimulatorServer } from '../../src/sim/index.js';

const config = {
  providers: { sim: { type: 'simulator' as const, fast: true } },
  routes: {
    summarize: { targets: { production: 'sim/sim-chat-2026-01-15', staging: 'sim/sim-chat-latest' } },
    resilient: { targets: { production: 'sim/sim-chat-2025-06-01' }, fallback: ['sim/sim-mini-2026-03-01'] },
  },
};
const ask = { messages: [{ role: 'user' as const, content: [{ type: 'text' as const, text: 'Say hello' }] }] };

describe('createClient', () => {
  it('completes through a route and reports where it went', async () => {
    const client = await createClient({ config, env: 'production', clock: new ManualClock(), random: seededRandom(1) });
    try {
      const res = await client.complete('summarize', ask);
      expect(responseText(res).length).toBeGreaterThan(0);
      expect(res).toMatchObject({
        route: 'summarize',
        target: 'sim/sim-chat-2026-01-15',
        servedModel: 'sim-chat-2026-01-15',
        attempts: 1,
        arm: 'stable',
      });
    } finally {
      await client.close();
    }
  });

  it('falls back past a retired snapshot', async () => {
    const client = await createClient({ config, clock: new ManualClock(), random: seededRandom(1) });
    try {
      const res = await client.complete('resilient', ask);
      expect(res).toMatchObject({ target: 'sim/sim-mini-2026-03-01', servedModel: 'sim-mini-2026-03-01', attempts: 2 });
    } finally {
      await client.close();
    }
  });

  it('streams canonical events ending in finish', async () => {
    const client = await createClient({ config, clock: new ManualClock(), random: seededRandom(1) });
    try {
      const stream = await client.stream('summarize', ask);
      const events: StreamEvent[] = [];
      for await (const ev of stream) events.push(ev);
      expect(events[0]?.type).toBe('start');
      expect(events[events.length - 1]?.type).toBe('finish');
      expect(stream.servedModel).toBe('sim-chat-2026-01-15');
    } finally {
      await client.close();
    }
  });

  it('uses the environment asked for and refuses unknown routes with the list', async () => {
    const client = await createClient({
      config,
      env: 'staging',
      clock: new ManualClock(Date.UTC(2026, 0, 20)),
      random: seededRandom(1),
    });
    try {
      const res = await client.complete('summarize', ask);
      expect(res.target).toBe('sim/sim-chat-latest');
      await expect(client.complete('nope', ask)).rejects.toMatchObject({
        code: 'route_not_found',
        details: { available: ['summarize'] },
      });
    } finally {
      await client.close();
    }
  });

  it('reaches an HTTP provider from a models.yml path', async () => {
    const sim = await startSimulatorServer({ port: 0, fast: true, seed: 1 });
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'modelpin-client-'));
    const path = join(dir, 'models.yml');
    writeFileSync(
      path,
      `providers:\n  up: { type: anthropic, base_url: "${sim.url}", api_key: x }\nroutes:\n  r: { targets: { production: up/sim-mini-2026-03-01 } }\n`,
    );
    const client = await createClient({ config: path });
    try {
      const res = await client.complete('r', ask);
      expect(res.servedModel).toBe('sim-mini-2026-03-01');
    } finally {
      await client.close();
      await sim.close();
    }
  });
});
