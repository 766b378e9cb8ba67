import { afterEach, describe, expect, it } from 'vitest';
import { adminApi } from '../../src/lifecycle/admin-api.js';
import { ShadowRegistry, shadowMirror } from '../../src/lifecycle/shadow.js';
import { command as canary } from '../../src/cli/commands/canary.js';
import { adminFetch, askMany, startGateway, type TestGateway } from './gateway-helpers.js';
import { runCli, workspace, type Workspace } from './helpers.js';

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

let ws: Workspace | null = null;
let t: TestGateway | null = null;
afterEach(async () => {
  await t?.gw.close();
  await t?.store.close();
  ws?.cleanup();
  t = null;
  ws = null;
});

describe('shadow traffic', () => {
  it('mirrors a sample to the candidate off the response path and reports drift from real traffic', async () => {
    ws = workspace(MODELS);
    ws.write('evals/sentiment.yml', SUITE);
    const registry = new ShadowRegistry();
    const mirror = shadowMirror({ registry, suites: ['evals/*.yml'] });
    t = await startGateway(ws, { extensions: [adminApi({ shadows: registry }), mirror], envVars: { ADMIN_TOKEN: TOKEN } });

    const answers = await askMany(t.client, 'classify', 40, 4);
    expect(answers.every((a) => a.ok && a.model === 'sim-chat-2026-01-15' && a.arm === 'stable')).toBe(true);
    expect(answers.some((a) => a.ok && a.text.includes('```'))).toBe(false);
    await new Promise((r) => setTimeout(r, 20));
    await mirror.idle();

    const pairs = await t.store.listShadowPairs('classify');
    expect(pairs.length).toBeGreaterThan(8);
    expect(pairs.length).toBeLessThan(32);
    const p = pairs[0];
    expect(p).toMatchObject({ primaryTarget: 'sim/sim-chat-2026-01-15', candidateTarget: 'sim/sim-chat-2026-11-25', candidateServedModel: 'sim-chat-2026-11-25', candidateError: null });
    // defaults.assert and format assertions run on both sides; the case-specific json-path equals does not
    expect(Object.keys(p?.assertions ?? {}).sort()).toEqual(['enum', 'is-json', 'no-markdown-fences']);
    expect(p?.assertions['is-json']).toEqual({ primary: true, candidate: false });
    expect(p?.candidateText).toContain("```json");

    const api = await adminFetch(t.gw, 'GET', '/admin/shadow?route=classify', TOKEN);
    const report = (api.json.reports as Array<Record<string, unknown>>)[0];
    expect(report).toMatchObject({ route: 'classify', candidateErrors: 0, fencedShare: { primary: 0, candidate: 1 } });
    expect((report?.tokens as { deltaShare: number }).deltaShare).toBeGreaterThan(0);

    const cli = await runCli([canary], ['shadow', 'report', 'classify', '--config', ws.configPath]);
    expect(cli.code).toBe(0);
    expect(cli.out).toContain('fenced answers: primary 0.0%, candidate 100.0%');
    expect(cli.out).toMatch(/is-json\s+100\.0% -> 0\.0%/);
  });

  it('starts and stops a shadow at runtime through the admin API (validated, audited)', async () => {
    ws = workspace(MODELS);
    const registry = new ShadowRegistry();
    const mirror = shadowMirror({ registry });
    t = await startGateway(ws, { extensions: [adminApi({ shadows: registry }), mirror], envVars: { ADMIN_TOKEN: TOKEN } });

    const bad = await adminFetch(t.gw, 'POST', '/admin/shadow', TOKEN, { route: 'summarize', candidate: 'sim/sim-chat-2026-12-10', sample: 2 });
    expect(bad.status).toBe(400);
    const ok = await adminFetch(t.gw, 'POST', '/admin/shadow', TOKEN, { route: 'summarize', candidate: 'sim/sim-chat-2026-12-10', sample: 1, actor: 'dana' });
    expect(ok.status).toBe(201);
    await askMany(t.client, 'summarize', 5, 1);
    await new Promise((r) => setTimeout(r, 20));
    await mirror.idle();
    expect((await t.store.listShadowPairs('summarize')).map((p) => p.candidateServedModel)).toEqual(Array(5).fill('sim-chat-2026-12-10'));

    const stop = await adminFetch(t.gw, 'DELETE', '/admin/shadow?route=summarize&actor=dana', TOKEN);
    expect(stop.status).toBe(200);
    await askMany(t.client, 'summarize', 3, 1);
    await new Promise((r) => setTimeout(r, 20));
    await mirror.idle();
    expect(await t.store.listShadowPairs('summarize')).toHaveLength(5);
    const actions = (await t.store.listAudit(5)).map((a) => `${a.actor}:${a.action}`);
    expect(actions).toEqual(expect.arrayContaining(['dana:shadow.start', 'dana:shadow.stop']));
  });
});
