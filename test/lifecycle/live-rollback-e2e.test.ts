import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { adminApi } from '../../src/lifecycle/admin/api.js';
import { openStore } from '../../src/store/open.js';
import { command as rollback } from '../../src/cli/commands/rollback.js';
import { command as overrides } from '../../src/cli/commands/overrides.js';
import { ask, startGateway } from './gateway-helpers.js';
import { e2eScene, pollUntil } from './helpers.js';
import { runCli } from '../support/run-cli.js';

const MODELS = `version: 1
providers:
  sim: { type: simulator, scenario: \${SCENARIO} }
routes:
  summarize:
    targets:
      production: sim/sim-chat-2026-12-10
    previous: sim/sim-chat-2026-01-15
gateway:
  admin_token: \${ADMIN_TOKEN}
store: { type: sqlite, path: modelpin.db }
`;
const TOKEN = 'live-rollback-token';

const scene = e2eScene();

describe('live rollback through the admin API', () => {
  it('reaches every gateway sharing the store without a restart, audited', async () => {
    const ws = scene.workspace(MODELS);
    const dbPath = join(ws.dir, 'modelpin.db');
    const a = scene.gateway(
      await startGateway(ws, {
        extensions: [adminApi()],
        envVars: { ADMIN_TOKEN: TOKEN },
        store: await openStore({ type: 'sqlite', path: dbPath }),
      }),
    );
    const b = scene.gateway(
      await startGateway(ws, {
        envVars: { ADMIN_TOKEN: TOKEN },
        store: await openStore({ type: 'sqlite', path: dbPath }),
      }),
    );
    expect(await ask(b.client, 'summarize')).toMatchObject({ ok: true, model: 'sim-chat-2026-12-10' });

    const t0 = performance.now();
    const res = await runCli(
      [rollback],
      [
        'rollback',
        'summarize',
        '--live',
        '--reason',
        'fenced JSON in prod',
        '--gateway',
        a.gw.url,
        '--admin-token-env',
        'LIVE_TOKEN',
        '--actor',
        'bob',
      ],
      { processEnv: { LIVE_TOKEN: TOKEN } },
    );
    expect(res.err).toBe('');
    expect(res.code).toBe(0);
    expect(res.out).toContain(
      'override set summarize production -> sim/sim-chat-2026-01-15 (by bob: fenced JSON in prod)',
    );

    // Gateway B was never called by the CLI: it picks the override up from the shared store.
    const seen = await pollUntil(
      () => ask(b.client, 'summarize'),
      (r) => r.ok && r.model === 'sim-chat-2026-01-15',
      5000,
    );
    const elapsed = performance.now() - t0;
    console.log(`live rollback reached the second gateway after ${elapsed.toFixed(0)} ms (poll interval 500 ms)`);
    expect(seen).toMatchObject({ ok: true, model: 'sim-chat-2026-01-15' });
    expect(await ask(b.client, 'summarize')).toMatchObject({ ok: true, model: 'sim-chat-2026-01-15' });
    expect(await ask(a.client, 'summarize')).toMatchObject({ ok: true, model: 'sim-chat-2026-01-15' });

    const audit = await a.store.listAudit(5);
    expect(audit[0]).toMatchObject({
      actor: 'bob',
      action: 'override.set',
      route: 'summarize',
      detail: { target: 'sim/sim-chat-2026-01-15', reason: 'fenced JSON in prod' },
    });

    const listed = await runCli(
      [overrides],
      ['overrides', 'list', '--gateway', a.gw.url, '--admin-token-env', 'LIVE_TOKEN', '--json'],
      { processEnv: { LIVE_TOKEN: TOKEN } },
    );
    expect(JSON.parse(listed.out)).toMatchObject({
      overrides: [{ route: 'summarize', target: 'sim/sim-chat-2026-01-15', actor: 'bob' }],
    });

    // Clearing straight in the store (no gateway URL) also reaches the running gateways.
    const cleared = await runCli(
      [overrides],
      ['overrides', 'clear', 'summarize', '--config', ws.configPath, '--actor', 'carol'],
    );
    expect(cleared.code).toBe(0);
    const back = await pollUntil(
      () => ask(b.client, 'summarize'),
      (r) => r.ok && r.model === 'sim-chat-2026-12-10',
      5000,
    );
    expect(back).toMatchObject({ ok: true, model: 'sim-chat-2026-12-10' });
    expect(await a.store.listAudit(10)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ actor: 'carol', action: 'override.clear', route: 'summarize' }),
      ]),
    );
  });

  it('refuses a live rollback without a reason or a token, and a direct-store override of an unknown route', async () => {
    const ws = scene.workspace(MODELS);
    const noReason = await runCli([rollback], ['rollback', 'summarize', '--live', '--config', ws.configPath]);
    expect(noReason.code).toBe(2);
    expect(noReason.err).toMatch(/--live needs --reason/);
    const noToken = await runCli(
      [rollback],
      [
        'rollback',
        'summarize',
        '--live',
        '--reason',
        'x',
        '--gateway',
        'http://127.0.0.1:9',
        '--admin-token-env',
        'UNSET_TOKEN_VAR',
      ],
    );
    expect(noToken.code).toBe(2);
    expect(noToken.err).toMatch(/\$UNSET_TOKEN_VAR, which is not set/);
    const unknown = await runCli(
      [rollback],
      ['rollback', 'nope', '--live', '--reason', 'x', '--config', ws.configPath],
    );
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/unknown route "nope" \(known: summarize\)/);
  });
});
