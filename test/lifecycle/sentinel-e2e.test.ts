import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { defaultExtensions } from '../../src/lifecycle/extensions.js';
import { sentinel } from '../../src/lifecycle/sentinel/sentinel.js';
import { adminApi } from '../../src/lifecycle/admin/api.js';
import { retirementCountdown } from '../../src/lifecycle/retirement.js';
import { catalogFacts } from '../../src/lifecycle/catalog-facts.js';
import type { GatewayContext } from '../../src/gateway/extension.js';
import { adminFetch, ask, startGateway } from './gateway-helpers.js';
import { e2eScene } from './helpers.js';

const models = (webhook: string) => `version: 1
providers:
  sim: { type: simulator, scenario: \${SCENARIO} }
routes:
  chat:
    targets:
      production: sim/sim-chat-2026-01-15
      staging: sim/sim-chat-latest
    fallback: [sim/sim-mini-2026-03-01]
gateway:
  admin_token: \${ADMIN_TOKEN}
  sentinel_webhook: ${webhook}
catalog:
  models:
    - { provider: sim, id: sim-chat-2026-01-15, kind: snapshot, retires: 2027-03-01 }
`;
const TOKEN = 'sentinel-token';

const scene = e2eScene();

async function webhookServer(): Promise<{ url: string; bodies: unknown[] }> {
  const bodies: unknown[] = [];
  const hook = createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString()));
    req.on('end', () => {
      bodies.push(JSON.parse(text));
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => hook.listen(0, '127.0.0.1', () => r()));
  scene.defer(() => new Promise<void>((r) => hook.close(() => r())));
  return { url: `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hooks/modelpin`, bodies };
}

describe('served-model sentinel', () => {
  it('fires in log, metrics, store and webhook when the alias behind staging moves', async () => {
    const wh = await webhookServer();
    const ws = scene.workspace(models(wh.url));
    const s = sentinel({ classify: (tg) => (tg.model.endsWith('-latest') ? 'floating' : 'pinned') });
    const clock = new ManualClock(Date.parse('2026-11-24T12:00:00Z'));
    const t = scene.gateway(
      await startGateway(ws, { env: 'staging', clock, extensions: [adminApi(), s], envVars: { ADMIN_TOKEN: TOKEN } }),
    );

    expect(await ask(t.client, 'chat')).toMatchObject({ ok: true, model: 'sim-chat-2026-01-15' });
    expect(await ask(t.client, 'chat')).toMatchObject({ ok: true, model: 'sim-chat-2026-01-15' });
    await new Promise((r) => setImmediate(r));
    await s.idle();
    expect(await t.store.listSentinelEvents()).toEqual([]);
    // Every kind is on /metrics at 0 from the first answer on: a rule's increase() sees the first change.
    const first = await t.gw.metrics.registry.metrics();
    expect(first).toContain(
      'modelpin_sentinel_alerts_total{route="chat",target="sim/sim-chat-latest",kind="alias_moved"} 0',
    );
    expect(first).toContain(
      'modelpin_sentinel_alerts_total{route="chat",target="sim/sim-chat-latest",kind="served_model_changed"} 0',
    );

    clock.set(Date.parse('2026-11-25T01:00:00Z')); // Wednesday: the alias moves silently
    expect(await ask(t.client, 'chat')).toMatchObject({ ok: true, model: 'sim-chat-2026-11-25' });
    await new Promise((r) => setImmediate(r));
    await s.idle();

    const events = await t.store.listSentinelEvents();
    expect(events).toEqual([
      {
        ts: clock.now(),
        route: 'chat',
        target: 'sim/sim-chat-latest',
        kind: 'alias_moved',
        previous: 'sim-chat-2026-01-15',
        current: 'sim-chat-2026-11-25',
      },
    ]);
    expect(t.log.lines.find((l) => l.level === 'warn' && l.msg.startsWith('sentinel:'))?.msg).toBe(
      'sentinel: alias sim/sim-chat-latest (route chat) moved from sim-chat-2026-01-15 to sim-chat-2026-11-25',
    );
    const metrics = await t.gw.metrics.registry.metrics();
    expect(metrics).toContain(
      'modelpin_sentinel_alerts_total{route="chat",target="sim/sim-chat-latest",kind="alias_moved"} 1',
    );
    expect(metrics).toContain(
      'modelpin_served_model{route="chat",target="sim/sim-chat-latest",served_model="sim-chat-2026-11-25"} 1',
    );
    expect(metrics).not.toContain('served_model="sim-chat-2026-01-15"} 1\nmodelpin_served_model');
    expect(wh.bodies).toHaveLength(1);
    expect(wh.bodies[0]).toMatchObject({
      source: 'modelpin',
      type: 'sentinel',
      event: { kind: 'alias_moved', current: 'sim-chat-2026-11-25' },
    });

    const api = await adminFetch(t.gw, 'GET', '/admin/sentinel?route=chat', TOKEN);
    expect(api.json.events).toHaveLength(1);
  });

  it('logs (never throws) when the webhook is unreachable', async () => {
    const ws = scene.workspace(models('http://127.0.0.1:9/unreachable'));
    const s = sentinel({ classify: () => 'pinned', webhookTimeoutMs: 1000 });
    const clock = new ManualClock(Date.parse('2026-11-24T12:00:00Z'));
    const t = scene.gateway(
      await startGateway(ws, { env: 'staging', clock, extensions: [s], envVars: { ADMIN_TOKEN: TOKEN } }),
    );
    await ask(t.client, 'chat');
    clock.set(Date.parse('2026-11-25T01:00:00Z'));
    await ask(t.client, 'chat');
    await new Promise((r) => setImmediate(r));
    await s.idle();
    expect((await t.store.listSentinelEvents())[0]?.kind).toBe('served_model_changed');
    expect(t.log.lines.some((l) => l.level === 'warn' && l.msg === 'sentinel webhook failed')).toBe(true);
    expect(JSON.stringify(t.log.lines)).not.toContain('127.0.0.1:9/unreachable');
  });
});

describe('retirement countdown metric', () => {
  it('exposes days until retirement per pinned target on /metrics, following the injected clock', async () => {
    const ws = scene.workspace(models('http://127.0.0.1:9/x'));
    let ctx: GatewayContext | null = null;
    const capture = { name: 'capture', start: async (c: GatewayContext) => void (ctx = c) };
    const t = scene.gateway(
      await startGateway(ws, {
        extensions: [capture, retirementCountdown({ facts: catalogFacts(() => ctx) })],
        envVars: { ADMIN_TOKEN: TOKEN },
      }),
    );
    const scrape = async () => (await fetch(`${t.gw.url}/metrics`)).text();
    expect(await scrape()).toContain(
      'modelpin_target_retirement_days{route="chat",target="sim/sim-chat-2026-01-15"} 77',
    );
    t.clock.advance(86_400_000);
    const text = await scrape();
    expect(text).toContain('modelpin_target_retirement_days{route="chat",target="sim/sim-chat-2026-01-15"} 76');
    // floating aliases and snapshots without a retirement date are not listed
    expect(text).not.toMatch(/modelpin_target_retirement_days\{[^}]*sim-chat-latest/);
    expect(text).not.toMatch(/modelpin_target_retirement_days\{[^}]*sim-mini/);
  });

  it('defaultExtensions wires every lifecycle extension with distinct names', () => {
    const names = defaultExtensions().map((e) => e.name);
    expect(names).toEqual([
      'lifecycle-context',
      'admin-api',
      'canary-controller',
      'shadow',
      'sentinel',
      'retirement-countdown',
    ]);
    expect(defaultExtensions({ disable: ['shadow'] }).map((e) => e.name)).not.toContain('shadow');
  });
});
