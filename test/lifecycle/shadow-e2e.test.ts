import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { GatewayExtension } from '../../src/gateway/extension.js';
import { adminApi } from '../../src/lifecycle/admin/api.js';
import { shadowMirror, type ShadowMirror } from '../../src/lifecycle/shadow/mirror.js';
import { ShadowRegistry } from '../../src/lifecycle/shadow/registry.js';
import { openStore } from '../../src/store/open.js';
import { command as shadow } from '../../src/cli/commands/shadow.js';
import { PG_URL, dropPgSchema, pgSchemaName } from '../store/fixtures.js';
import { adminFetch, askMany, startGateway, type TestGateway } from './gateway-helpers.js';
import { e2eScene, pollUntil, type Workspace } from './helpers.js';
import { runCli } from '../support/run-cli.js';

const MODELS = `version: 1
providers:
  sim: { type: simulator, scenario: \${SCENARIO} }
routes:
  classify:
    targets:
      production: sim/sim-chat-2026-01-15
    shadow: { candidate: sim/sim-chat-2026-11-25, sample: 0.5 }
  summarize:
    targets:
      production: sim/sim-chat-2026-01-15
gateway:
  admin_token: \${ADMIN_TOKEN}
store: { type: sqlite, path: modelpin.db }
`;
const SUITE = `name: sentiment
defaults:
  route: classify
  assert:
    - type: is-json
    - { type: enum, path: $.sentiment, values: [positive, negative, neutral] }
cases:
  - id: positive
    prompt: "Classify the sentiment of this review as JSON: I love this blender."
    assert:
      - { type: json-path, path: $.sentiment, equals: positive }
      - { type: no-markdown-fences }
`;
const TOKEN = 'shadow-token';

const scene = e2eScene();

/** The mirror records a pair after the client has its answer: wait for what is in flight. */
async function settled(mirror: ShadowMirror): Promise<void> {
  await new Promise((r) => setTimeout(r, 20));
  await mirror.idle();
}

/** Send `n` requests to summarize through `t`; the candidate models of every summarize pair recorded so far. */
async function mirroredTo(t: TestGateway, mirror: ShadowMirror, n: number): Promise<Array<string | null>> {
  await askMany(t.client, 'summarize', n, 1);
  await settled(mirror);
  return (await t.store.listShadowPairs('summarize')).map((p) => p.candidateServedModel);
}

describe('shadow traffic', () => {
  it('mirrors a sample to the candidate off the response path and reports drift from real traffic', async () => {
    const ws = scene.workspace(MODELS);
    ws.write('evals/sentiment.yml', SUITE);
    const registry = new ShadowRegistry();
    const mirror = shadowMirror({ registry, suites: ['evals/*.yml'] });
    const t = scene.gateway(
      await startGateway(ws, {
        extensions: [adminApi({ shadows: registry }), mirror],
        envVars: { ADMIN_TOKEN: TOKEN },
      }),
    );

    const answers = await askMany(t.client, 'classify', 40, 4);
    expect(answers.every((a) => a.ok && a.model === 'sim-chat-2026-01-15' && a.arm === 'stable')).toBe(true);
    expect(answers.some((a) => a.ok && a.text.includes('```'))).toBe(false);
    await settled(mirror);

    const pairs = await t.store.listShadowPairs('classify');
    expect(pairs.length).toBeGreaterThan(8);
    expect(pairs.length).toBeLessThan(32);
    const p = pairs[0];
    expect(p).toMatchObject({
      primaryTarget: 'sim/sim-chat-2026-01-15',
      candidateTarget: 'sim/sim-chat-2026-11-25',
      candidateServedModel: 'sim-chat-2026-11-25',
      candidateError: null,
    });
    // defaults.assert and format assertions run on both sides; the case-specific json-path equals does not
    expect(Object.keys(p?.assertions ?? {}).sort()).toEqual(['enum', 'is-json', 'no-markdown-fences']);
    expect(p?.assertions['is-json']).toEqual({ primary: true, candidate: false });
    expect(p?.candidateText).toContain('```json');

    const api = await adminFetch(t.gw, 'GET', '/admin/shadow?route=classify', TOKEN);
    const report = (api.json.reports as Array<Record<string, unknown>>)[0];
    expect(report).toMatchObject({ route: 'classify', candidateErrors: 0, fencedShare: { primary: 0, candidate: 1 } });
    expect((report?.tokens as { deltaShare: number }).deltaShare).toBeGreaterThan(0);

    const cli = await runCli([shadow], ['shadow', 'report', 'classify', '--config', ws.configPath]);
    expect(cli.code).toBe(0);
    expect(cli.out).toContain('fenced answers: primary 0.0%, candidate 100.0%');
    expect(cli.out).toMatch(/is-json\s+100\.0% -> 0\.0%/);
  });

  it('starts and stops a shadow at runtime through the admin API (validated, kept in the store, audited)', async () => {
    const ws = scene.workspace(MODELS);
    const registry = new ShadowRegistry();
    const mirror = shadowMirror({ registry });
    const t = scene.gateway(
      await startGateway(ws, {
        extensions: [adminApi({ shadows: registry }), mirror],
        envVars: { ADMIN_TOKEN: TOKEN },
      }),
    );

    const refused = async (body: Record<string, unknown>): Promise<string> => {
      const r = await adminFetch(t.gw, 'POST', '/admin/shadow', TOKEN, body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      return (r.json.error as { message: string }).message;
    };
    expect(await refused({ route: 'summarize', candidate: 'sim/sim-chat-2026-12-10', sample: 2 })).toMatch(/sample/);
    expect(await refused({ route: 'summarize', candidate: 'openai/gpt-4o-2024-11-20', sample: 1 })).toMatch(
      /provider "openai" is not configured/,
    );
    expect(await refused({ route: 'summarize', candidate: 'sim/sim-chat-2026-01-15', sample: 1 })).toMatch(
      /already the production target/,
    );
    expect(await t.store.listRuntimeShadows()).toEqual([]);

    const ok = await adminFetch(t.gw, 'POST', '/admin/shadow', TOKEN, {
      route: 'summarize',
      candidate: 'sim/sim-chat-2026-12-10',
      sample: 1,
      actor: 'dana',
      reason: 'try December',
    });
    expect(ok.status).toBe(201);
    const record = {
      route: 'summarize',
      env: 'production',
      candidate: 'sim/sim-chat-2026-12-10',
      sample: 1,
      reason: 'try December',
      actor: 'dana',
      createdAt: t.clock.now(),
      expiresAt: null,
    };
    expect(ok.json.shadow).toEqual(record);
    expect(await t.store.listRuntimeShadows()).toEqual([record]);
    const listed = await adminFetch(t.gw, 'GET', '/admin/shadow', TOKEN);
    expect(listed.json.active).toEqual([
      { route: 'classify', setting: { candidate: 'sim/sim-chat-2026-11-25', sample: 0.5, source: 'models.yml' } },
      { route: 'summarize', setting: { candidate: 'sim/sim-chat-2026-12-10', sample: 1, source: 'runtime' } },
    ]);
    expect(listed.json.runtime).toEqual([record]);
    expect(await mirroredTo(t, mirror, 5)).toEqual(Array(5).fill('sim-chat-2026-12-10'));

    const stop = await adminFetch(t.gw, 'DELETE', '/admin/shadow?route=summarize&actor=dana', TOKEN);
    expect(stop).toEqual({ status: 200, json: { stopped: true, route: 'summarize', env: 'production' } });
    expect(await t.store.listRuntimeShadows()).toEqual([]);
    expect(await mirroredTo(t, mirror, 3)).toHaveLength(5);
    expect((await adminFetch(t.gw, 'DELETE', '/admin/shadow?route=summarize', TOKEN)).status).toBe(404);
    // A shadow from models.yml is not a runtime one: stopping it is refused, it keeps mirroring.
    expect((await adminFetch(t.gw, 'DELETE', '/admin/shadow?route=classify', TOKEN)).json).toMatchObject({
      stopped: false,
    });
    const audit = (await t.store.listAudit(10)).filter((a) => a.action.startsWith('shadow.'));
    expect(audit.map((a) => `${a.actor}:${a.action}`)).toEqual(['dana:shadow.stop', 'dana:shadow.start']);
    expect(audit[1]?.detail).toEqual({
      env: 'production',
      candidate: 'sim/sim-chat-2026-12-10',
      sample: 1,
      reason: 'try December',
      expiresAt: null,
    });
  });
});

describe('runtime shadow expiry', () => {
  it('a shadow started with a ttl stops mirroring on its own once the clock passes it', async () => {
    const ws = scene.workspace(MODELS);
    const registry = new ShadowRegistry();
    const mirror = shadowMirror({ registry });
    const t = scene.gateway(
      await startGateway(ws, {
        extensions: [adminApi({ shadows: registry }), mirror],
        envVars: { ADMIN_TOKEN: TOKEN },
      }),
    );
    const bad = await adminFetch(t.gw, 'POST', '/admin/shadow', TOKEN, {
      route: 'summarize',
      candidate: 'sim/sim-chat-2026-12-10',
      sample: 1,
      ttl: 'tomorrow',
    });
    expect(bad.status).toBe(400);
    expect((bad.json.error as { message: string }).message).toMatch(/expected a duration such as 24h\n.*at ttl/);

    const ok = await adminFetch(t.gw, 'POST', '/admin/shadow', TOKEN, {
      route: 'summarize',
      candidate: 'sim/sim-chat-2026-12-10',
      sample: 1,
      ttl: '2h',
      actor: 'dana',
    });
    expect(ok.status).toBe(201);
    const started = t.clock.now();
    expect((ok.json.shadow as { expiresAt: number }).expiresAt).toBe(started + 2 * 3_600_000);
    expect(await mirroredTo(t, mirror, 2)).toHaveLength(2);

    t.clock.advance(2 * 3_600_000 - 1);
    await mirror.refresh();
    expect(await mirroredTo(t, mirror, 1)).toHaveLength(3);

    t.clock.advance(1);
    await mirror.refresh();
    expect(registry.list('production')).toEqual([]);
    expect(await mirroredTo(t, mirror, 2)).toHaveLength(3);
    // The row stays in the store (audited start, no stop); it is simply no longer active.
    expect((await t.store.listRuntimeShadows()).map((r) => r.expiresAt)).toEqual([started + 2 * 3_600_000]);
    const audit = (await t.store.listAudit(5)).find((a) => a.action === 'shadow.start');
    expect(audit?.detail).toMatchObject({ expiresAt: started + 2 * 3_600_000 });
  });
});

const STORES = {
  sqlite: async (ws: Workspace) => ({
    models: MODELS,
    open: () => openStore({ type: 'sqlite', path: join(ws.dir, 'modelpin.db') }),
  }),
  postgres: async () => {
    const schema = pgSchemaName('mp_shadow');
    scene.defer(() => dropPgSchema(schema));
    const url = `${PG_URL}?schema=${schema}`;
    return {
      models: MODELS.replace('store: { type: sqlite, path: modelpin.db }', `store: { type: postgres, url: "${url}" }`),
      open: () => openStore({ type: 'postgres', url }),
    };
  },
};

describe.each(Object.keys(STORES) as Array<keyof typeof STORES>)('runtime shadows kept in the store (%s)', (kind) => {
  /** A project on this kind of store; each gateway gets a store connection of its own, as separate processes would. */
  async function project(): Promise<{
    ws: Workspace;
    start: (extensions: GatewayExtension[]) => Promise<TestGateway>;
  }> {
    const ws = scene.workspace(MODELS);
    const { models, open } = await STORES[kind](ws);
    writeFileSync(ws.configPath, models.replaceAll('${SCENARIO}', ws.scenarioPath));
    return {
      ws,
      start: async (extensions) =>
        scene.gateway(await startGateway(ws, { extensions, store: await open(), envVars: { ADMIN_TOKEN: TOKEN } })),
    };
  }

  it('a shadow started through the admin API survives a gateway restart', async () => {
    const { start } = await project();
    const first = await start([adminApi()]);
    expect(
      (
        await adminFetch(first.gw, 'POST', '/admin/shadow', TOKEN, {
          route: 'summarize',
          candidate: 'sim/sim-chat-2026-12-10',
          sample: 1,
          actor: 'dana',
        })
      ).status,
    ).toBe(201);
    await first.gw.close();
    await first.store.close();

    const mirror = shadowMirror();
    const second = await start([mirror]);
    expect(await mirroredTo(second, mirror, 3)).toEqual(Array(3).fill('sim-chat-2026-12-10'));
  });

  it('every gateway sharing the store mirrors it, and stopping it stops them all (CLI)', async () => {
    const { ws, start } = await project();
    // Real store polls (500 ms): gateway B is never called by the CLI, it reads the store.
    const mirrorA = shadowMirror();
    const mirrorB = shadowMirror();
    const a = await start([adminApi({ shadows: mirrorA.registry }), mirrorA]);
    const b = await start([mirrorB]);
    const picked = (m: ShadowMirror, n: number) =>
      pollUntil(
        async () => m.registry.list('production').length,
        (k) => k === n,
        5000,
      );

    const started = await runCli(
      [shadow],
      [
        'shadow',
        'start',
        'summarize',
        '--candidate',
        'sim/sim-chat-2026-12-10',
        '--sample',
        '1',
        '--reason',
        'try December',
        '--actor',
        'erin',
        '--config',
        ws.configPath,
      ],
    );
    expect(started.err).toBe('');
    expect(started.out).toContain('shadow started summarize (production): 100.0% mirrored to sim/sim-chat-2026-12-10');
    expect(await picked(mirrorA, 1)).toBe(1);
    expect(await picked(mirrorB, 1)).toBe(1);
    expect(await mirroredTo(a, mirrorA, 2)).toHaveLength(2);
    expect(await mirroredTo(b, mirrorB, 2)).toEqual(Array(4).fill('sim-chat-2026-12-10'));

    const env = { SHADOW_TOKEN: TOKEN };
    const stopped = await runCli(
      [shadow],
      ['shadow', 'stop', 'summarize', '--gateway', a.gw.url, '--admin-token-env', 'SHADOW_TOKEN', '--actor', 'erin'],
      { processEnv: env },
    );
    expect(stopped.code).toBe(0);
    expect(stopped.out).toContain('stopped the runtime shadow of summarize (production)');
    // The gateway that took the request applies it at once; the other on its next poll.
    expect(mirrorA.registry.list('production')).toEqual([]);
    expect(await picked(mirrorB, 0)).toBe(0);
    expect(await b.store.listRuntimeShadows()).toEqual([]);
    await mirroredTo(a, mirrorA, 2);
    expect(await mirroredTo(b, mirrorB, 2)).toHaveLength(4);

    const again = await runCli([shadow], ['shadow', 'stop', 'summarize', '--config', ws.configPath, '--actor', 'erin']);
    expect(again.code).toBe(1);
    expect(again.out).toContain('no runtime shadow for summarize (production)');
    const audit = (await a.store.listAudit(10)).filter((x) => x.action.startsWith('shadow.'));
    expect(audit.map((x) => `${x.actor}:${x.action}`)).toEqual(['erin:shadow.stop', 'erin:shadow.start']);
  });
});
