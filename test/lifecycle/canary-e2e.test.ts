import { describe, expect, it } from 'vitest';
import { canaryController } from '../../src/lifecycle/canary/controller.js';
import { adminApi } from '../../src/lifecycle/admin/api.js';
import { summarizeUsage } from '../../src/usage/summarize.js';
import { adminFetch, askMany, startGateway } from './gateway-helpers.js';
import { e2eScene } from './helpers.js';

const MODELS = `
version: 1
providers:
  sim: { type: simulator, scenario: \${SCENARIO}, seed: 3 }
routes:
  classify:
    targets:
      production: sim/sim-chat-2026-01-15
retry: { max_attempts: 1 }
gateway:
  admin_token: \${ADMIN_TOKEN}
`;
const TOKEN = 'test-admin-token-123';

const scene = e2eScene();

describe('canary with automatic rollback (simulator, manual clock)', () => {
  it('rolls a faulty 5% candidate back within its first step, and usage shows both arms', async () => {
    const ws = scene.workspace(MODELS);
    const controller = canaryController({ intervalMs: 3_600_000 });
    const t = scene.gateway(
      await startGateway(ws, { extensions: [adminApi(), controller], envVars: { ADMIN_TOKEN: TOKEN } }),
    );
    const { gw, client, clock, store } = t;

    const started = await adminFetch(gw, 'POST', '/admin/canary', TOKEN, {
      action: 'start',
      route: 'classify',
      candidate: 'sim/sim-chat-2026-12-20',
      percent: 5,
      ramp: [5, 25, 50, 100],
      hold: '1h',
      guards: { min_samples: 10, max_error_rate_delta: 0.05 },
      actor: 'alice',
    });
    expect(started.status).toBe(201);
    await gw.refresh();
    // Nothing to judge yet: the canary holds, its percent is on /metrics and every decision counter starts at 0.
    expect(await controller.tick()).toEqual([]);
    const before = await gw.metrics.registry.metrics();
    expect(before).toContain('modelpin_canary_percent{route="classify",candidate="sim/sim-chat-2026-12-20"} 5');
    expect(before).toContain('modelpin_canary_decisions_total{route="classify",action="rollback"} 0');

    const results = await askMany(client, 'classify', 400);
    await gw.writer.flush();
    clock.advance(10 * 60_000); // 10 minutes into a 1 h step: well inside the guard window
    const changed = await controller.tick();

    const rec = await store.getCanary('classify', 'production');
    expect(changed).toHaveLength(1);
    expect(rec).toMatchObject({ status: 'rolled_back', percent: 0, stepIndex: 0 });
    expect(rec?.reason).toMatch(/guard breached at 5%: error rate \d+\.\d% vs stable 0\.0%/);
    console.log(`canary rolled back: ${rec?.reason}`);

    const usage = await store.queryUsage({ route: 'classify' });
    const byArm = Object.fromEntries(summarizeUsage(usage, 'arm').map((r) => [r.key, r]));
    expect(byArm.stable?.requests).toBeGreaterThan(300);
    expect(byArm.canary?.requests).toBeGreaterThanOrEqual(10);
    expect(byArm.canary?.errorRate).toBeGreaterThan(0.2);
    expect(byArm.stable?.errorRate).toBe(0);
    // Clients never saw the candidate's failures: the canary chain falls back to stable.
    expect(results.every((r) => r.ok)).toBe(true);

    const auditLog = await store.listAudit(10);
    expect(auditLog.map((a) => a.action)).toEqual(expect.arrayContaining(['canary.start', 'canary.rollback']));
    expect(t.log.lines.some((l) => l.level === 'warn' && l.msg === 'canary rollback: classify')).toBe(true);
    const metrics = await gw.metrics.registry.metrics();
    expect(metrics).toMatch(/modelpin_canary_decisions_total\{route="classify",action="rollback"\} 1/);
    expect(metrics).not.toContain('modelpin_canary_percent{route="classify"');

    // After the rollback every request is served by stable again.
    await gw.refresh();
    const after = await askMany(client, 'classify', 40);
    expect(after.filter((r) => !(r.ok && r.model === 'sim-chat-2026-01-15'))).toEqual([]);
  });

  it('advances a healthy candidate after the hold and reports status over the admin API', async () => {
    const ws = scene.workspace(MODELS);
    const controller = canaryController({ intervalMs: 3_600_000 });
    const t = scene.gateway(
      await startGateway(ws, { extensions: [adminApi(), controller], envVars: { ADMIN_TOKEN: TOKEN } }),
    );
    const { gw, client, clock, store } = t;
    await adminFetch(gw, 'POST', '/admin/canary', TOKEN, {
      action: 'start',
      route: 'classify',
      candidate: 'sim/sim-chat-2026-12-10',
      percent: 20,
      ramp: [20, 100],
      hold: '1h',
      guards: { min_samples: 10 },
    });
    await gw.refresh();
    await askMany(client, 'classify', 120);
    await gw.writer.flush();

    clock.advance(30 * 60_000);
    expect(await controller.tick()).toHaveLength(0); // healthy but not held long enough
    clock.advance(31 * 60_000);
    await controller.tick();
    expect(await store.getCanary('classify', 'production')).toMatchObject({
      status: 'running',
      percent: 100,
      stepIndex: 1,
    });

    const status = await adminFetch(gw, 'GET', '/admin/canary?route=classify', TOKEN);
    const view = (status.json.canaries as Array<{ record: { percent: number }; next: { action: string } }>)[0];
    expect(view?.record.percent).toBe(100);
    expect(view?.next.action).toBe('hold');
  });

  it('starts a canary from models.yml once, keeps state across a restart, and keeps a 100% winner through an override', async () => {
    const ws = scene.workspace(
      MODELS.replace(
        '      production: sim/sim-chat-2026-01-15\n',
        '      production: sim/sim-chat-2026-01-15\n    canary: { candidate: sim/sim-chat-2026-12-10, percent: 100, hold: 1m, guards: { min_samples: 5 } }\n',
      ),
    );
    let controller = canaryController({ intervalMs: 3_600_000 });
    let t = scene.gateway(await startGateway(ws, { extensions: [controller], envVars: { ADMIN_TOKEN: TOKEN } }));
    expect(await t.store.getCanary('classify', 'production')).toMatchObject({
      status: 'running',
      percent: 100,
      candidate: 'sim/sim-chat-2026-12-10',
      reason: 'canary: section of models.yml',
    });
    await t.gw.refresh();
    const served = await askMany(t.client, 'classify', 10, 2);
    expect(served.every((r) => r.ok && r.model === 'sim-chat-2026-12-10' && r.arm === 'canary')).toBe(true);

    // Restart: the record is in the store, so nothing is lost and nothing restarts.
    const store = t.store;
    const clock = t.clock;
    await t.gw.close();
    controller = canaryController({ intervalMs: 3_600_000 });
    t = scene.gateway(
      await startGateway(ws, { extensions: [controller], envVars: { ADMIN_TOKEN: TOKEN }, store, clock }),
    );
    expect((await store.listAudit(20)).filter((a) => a.action === 'canary.start')).toHaveLength(1);

    await t.gw.writer.flush();
    clock.advance(2 * 60_000);
    await controller.tick();
    expect(await store.getCanary('classify', 'production')).toMatchObject({ status: 'completed', percent: 100 });
    expect((await store.listOverrides())[0]).toMatchObject({ route: 'classify', target: 'sim/sim-chat-2026-12-10' });
    await t.gw.refresh();
    expect(await askMany(t.client, 'classify', 3, 1)).toEqual(
      Array(3).fill(expect.objectContaining({ ok: true, model: 'sim-chat-2026-12-10', arm: 'stable' })),
    );
  });
});
