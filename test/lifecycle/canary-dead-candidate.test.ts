/**
 * A candidate nobody answers for (a closed port on 127.0.0.1) must never be promoted: canary-arm
 * records say what happened to the candidate (tried and failed, or skipped by its open breaker),
 * the guards count both as failures, and a canary never advances onto an open breaker.
 * Default retry settings (cooldown 30 s, threshold 5), real HTTP to the dead candidate.
 */
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { canaryController } from '../../src/lifecycle/canary/controller.js';
import { adminApi } from '../../src/lifecycle/admin/api.js';
import { armStats } from '../../src/lifecycle/canary/arm-stats.js';
import { adminFetch, askMany, startGateway } from './gateway-helpers.js';
import { e2eScene } from './helpers.js';

const TOKEN = 'test-admin-token-123';
const scene = e2eScene();

/** A port on 127.0.0.1 that was free a moment ago: connecting to it is refused. */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

describe('canary onto a dead candidate', () => {
  it('records every candidate failure or skip, rolls back twice, and never completes onto the dead target', async () => {
    const port = await closedPort();
    const ws = scene.workspace(`
version: 1
providers:
  sim: { type: simulator, fast: true }
  dead: { type: openai, base_url: "http://127.0.0.1:${port}/v1", api_key: "sk-dead" }
routes:
  classify:
    targets:
      production: sim/sim-chat-2026-01-15
gateway:
  admin_token: \${ADMIN_TOKEN}
`);
    const controller = canaryController({ intervalMs: 3_600_000 });
    const t = scene.gateway(
      await startGateway(ws, {
        extensions: [adminApi(), controller],
        envVars: { ADMIN_TOKEN: TOKEN },
        realProviders: ['dead'],
      }),
    );
    const { gw, client, clock, store } = t;
    const candidate = 'dead/sim-chat-2026-12-20';
    const start = () =>
      adminFetch(gw, 'POST', '/admin/canary', TOKEN, {
        action: 'start',
        route: 'classify',
        candidate,
        percent: 50,
        ramp: [50, 100],
        hold: '1m',
        guards: { min_samples: 10 },
        actor: 'alice',
      });
    const canaryRecords = async (sinceMs: number) =>
      (await store.queryUsage({ route: 'classify', arm: 'canary', sinceMs })).filter((r) => r.ts >= sinceMs);

    // First canary: every canary-arm record shows the candidate's failure, not 10% of them.
    expect((await start()).status).toBe(201);
    await gw.refresh();
    const t1 = clock.now();
    const first = await askMany(client, 'classify', 60, 4);
    expect(first.every((r) => r.ok)).toBe(true); // clients are served by stable
    await gw.writer.flush();
    const run1 = await canaryRecords(t1);
    expect(run1.length).toBeGreaterThanOrEqual(10);
    expect(run1.filter((r) => r.errorCode === null)).toEqual([]);
    expect(new Set(run1.map((r) => r.errorCode))).toEqual(new Set(['connection', 'circuit_open']));
    expect(armStats(run1).errorRate).toBe(1);
    expect(gw.runtime().dispatcher.breakers.state(candidate)).toBe('open');
    await controller.tick();
    expect(await store.getCanary('classify', 'production')).toMatchObject({ status: 'rolled_back' });

    // Second canary within the cooldown: the candidate is skipped by its open breaker on every canary-arm request.
    expect((await start()).status).toBe(201);
    await gw.refresh();
    const t2 = clock.now() + 1;
    clock.advance(1);
    const second = await askMany(client, 'classify', 60, 4);
    expect(second.every((r) => r.ok)).toBe(true);
    await gw.writer.flush();
    const run2 = await canaryRecords(t2);
    expect(run2.length).toBeGreaterThanOrEqual(10);
    for (const r of run2)
      expect(r).toMatchObject({
        status: 200,
        attempts: 1,
        errorCode: 'circuit_open',
        target: 'sim/sim-chat-2026-01-15',
      });

    clock.advance(2 * 60_000); // past the 1 m hold: a blind guard would advance to 100% here
    await controller.tick();
    const rec = await store.getCanary('classify', 'production');
    expect(rec).toMatchObject({ status: 'rolled_back', percent: 0 });
    expect(rec?.reason).toMatch(/error rate 100\.0%/);
    expect(await store.listOverrides()).toEqual([]);
  }, 30_000);
});
