import { describe, expect, it } from 'vitest';
import { adminApi } from '../../src/lifecycle/admin/api.js';
import { bearerMatches, adminToken } from '../../src/lifecycle/admin/auth.js';
import { modelsFileSchema } from '../../src/config/schema.js';
import { command as canary } from '../../src/cli/commands/canary.js';
import { adminFetch, startGateway } from './gateway-helpers.js';
import { e2eScene } from './helpers.js';
import { runCli } from '../support/run-cli.js';

const models = (token: boolean) => `version: 1
providers:
  sim: { type: simulator, scenario: \${SCENARIO} }
routes:
  classify:
    targets:
      production: sim/sim-chat-2026-01-15
${token ? 'gateway:\n  admin_token: ${ADMIN_TOKEN}\n' : ''}store: { type: sqlite, path: modelpin.db }
`;
const TOKEN = 'admin-secret-value';

const scene = e2eScene();

describe('admin API', () => {
  it('is disabled with a clear 403 when no admin token is configured', async () => {
    const ws = scene.workspace(models(false));
    const t = scene.gateway(await startGateway(ws, { extensions: [adminApi()] }));
    const r = await adminFetch(t.gw, 'GET', '/admin/overrides', 'anything');
    expect(r.status).toBe(403);
    expect((r.json.error as { message: string }).message).toMatch(/admin API is disabled: set gateway.admin_token/);
  });

  it('requires the bearer admin token, validates bodies, audits changes', async () => {
    const ws = scene.workspace(models(true));
    const t = scene.gateway(await startGateway(ws, { extensions: [adminApi()], envVars: { ADMIN_TOKEN: TOKEN } }));
    const { gw } = t;
    expect((await adminFetch(gw, 'GET', '/admin/overrides', null)).status).toBe(401);
    expect((await adminFetch(gw, 'GET', '/admin/overrides', 'wrong')).status).toBe(401);
    expect((await adminFetch(gw, 'GET', '/admin/overrides', TOKEN)).status).toBe(200);

    const noReason = await adminFetch(gw, 'POST', '/admin/overrides', TOKEN, {
      route: 'classify',
      target: 'sim/sim-mini-2026-03-01',
    });
    expect(noReason.status).toBe(400);
    expect(JSON.stringify(noReason.json)).toMatch(/reason/);
    const badJson = await adminFetch(gw, 'POST', '/admin/overrides', TOKEN, '{not json');
    expect(badJson.status).toBe(400);
    const unknownRoute = await adminFetch(gw, 'POST', '/admin/overrides', TOKEN, {
      route: 'nope',
      target: 'sim/x-2026-01-01',
      reason: 'r',
    });
    expect(unknownRoute.status).toBe(404);
    const noPrevious = await adminFetch(gw, 'POST', '/admin/overrides', TOKEN, { route: 'classify', reason: 'r' });
    expect(noPrevious.status).toBe(400);
    expect((noPrevious.json.error as { message: string }).message).toMatch(/no recorded previous pin/);
    const badProvider = await adminFetch(gw, 'POST', '/admin/overrides', TOKEN, {
      route: 'classify',
      target: 'openai/gpt-4o-2024-11-20',
      reason: 'r',
    });
    expect((badProvider.json.error as { message: string }).message).toMatch(/provider "openai" is not configured/);

    const set = await adminFetch(gw, 'POST', '/admin/overrides', TOKEN, {
      route: 'classify',
      target: 'sim/sim-mini-2026-03-01',
      reason: 'incident 7',
      actor: 'erin',
      ttl: '2h',
    });
    expect(set.status).toBe(201);
    expect(set.json.override).toMatchObject({
      route: 'classify',
      env: 'production',
      actor: 'erin',
      expiresAt: t.clock.now() + 7_200_000,
    });
    expect((await adminFetch(gw, 'PUT', '/admin/overrides', TOKEN, {})).status).toBe(405);
    const del = await adminFetch(gw, 'DELETE', '/admin/overrides?route=classify&actor=erin', TOKEN);
    expect(del.json).toMatchObject({ cleared: true });
    expect((await adminFetch(gw, 'DELETE', '/admin/overrides?route=classify', TOKEN)).status).toBe(404);

    const canaryBad = await adminFetch(gw, 'POST', '/admin/canary', TOKEN, {
      action: 'start',
      route: 'classify',
      candidate: 'sim/sim-chat-2026-12-10',
      percent: 500,
    });
    expect(canaryBad.status).toBe(400);
    const abortNone = await adminFetch(gw, 'POST', '/admin/canary', TOKEN, {
      action: 'abort',
      route: 'classify',
      reason: 'x',
    });
    expect(abortNone.status).toBe(404);

    const audit = await adminFetch(gw, 'GET', '/admin/audit?limit=10', TOKEN);
    expect((audit.json.audit as Array<{ action: string; actor: string }>).map((a) => `${a.actor}:${a.action}`)).toEqual(
      ['erin:override.clear', 'erin:override.set'],
    );
    // paths it does not own fall through to the gateway's 404
    expect((await fetch(`${gw.url}/admin/unknown`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(
      404,
    );
  });

  it('token checks: env reference, constant-time compare', () => {
    const cfg = modelsFileSchema.parse({ gateway: { admin_token: '${MY_ADMIN}' } });
    expect(adminToken(cfg, { MY_ADMIN: 'abc' })).toBe('abc');
    expect(adminToken(cfg, {})).toBeNull();
    expect(adminToken(modelsFileSchema.parse({}), {})).toBeNull();
    expect(bearerMatches('Bearer abc', 'abc')).toBe(true);
    expect(bearerMatches('Bearer abcd', 'abc')).toBe(false);
    expect(bearerMatches('abc', 'abc')).toBe(false);
    expect(bearerMatches(undefined, 'abc')).toBe(false);
  });
});

describe('canary CLI against the store', () => {
  it('starts, shows status and aborts a canary without a gateway', async () => {
    const ws = scene.workspace(models(false));
    const cfg = ['--config', ws.configPath];
    const start = await runCli(
      [canary],
      [
        'canary',
        'start',
        'classify',
        '--candidate',
        'sim/sim-chat-2026-12-10',
        '--percent',
        '5',
        '--ramp',
        '5,25,50,100',
        '--hold',
        '24h',
        '--max-error-rate-delta',
        '0.02',
        '--min-samples',
        '30',
        '--sticky-by',
        'header:x-user-id',
        '--actor',
        'fay',
        ...cfg,
      ],
    );
    expect(start.err).toBe('');
    expect(start.out).toContain(
      'canary started classify (production): 5% -> sim/sim-chat-2026-12-10, ramp 5,25,50,100, stable sim/sim-chat-2026-01-15',
    );
    const again = await runCli(
      [canary],
      ['canary', 'start', 'classify', '--candidate', 'sim/sim-chat-2026-12-10', ...cfg],
    );
    expect(again.code).toBe(2);
    expect(again.err).toMatch(/already running at 5%/);

    const status = await runCli([canary], ['canary', 'status', 'classify', '--json', ...cfg]);
    const view = (
      JSON.parse(status.out) as { canaries: Array<{ record: Record<string, unknown>; next: { reason: string } }> }
    ).canaries[0];
    expect(view?.record).toMatchObject({
      status: 'running',
      stickyBy: 'header:x-user-id',
      guards: expect.objectContaining({ max_error_rate_delta: 0.02, min_samples: 30 }),
    });
    expect(view?.next.reason).toBe('waiting for samples: canary 0/30');
    const human = await runCli([canary], ['canary', 'status', ...cfg]);
    expect(human.out).toContain(
      'classify (production): running at 5%  ramp [5] -> 25 -> 50 -> 100  hold 1d  sticky by header:x-user-id',
    );

    const abort = await runCli(
      [canary],
      ['canary', 'abort', 'classify', '--reason', 'changed our mind', '--actor', 'fay', ...cfg],
    );
    expect(abort.code).toBe(0);
    const after = await runCli([canary], ['canary', 'status', 'classify', '--json', ...cfg]);
    expect(
      (JSON.parse(after.out) as { canaries: Array<{ record: Record<string, unknown> }> }).canaries[0]?.record,
    ).toMatchObject({ status: 'aborted', percent: 0, reason: 'aborted by fay: changed our mind' });
    const bad = await runCli(
      [canary],
      ['canary', 'start', 'classify', '--candidate', 'sim/x', '--percent', '0', ...cfg],
    );
    expect(bad.code).toBe(2);
  });
});
