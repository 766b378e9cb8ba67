/**
 * Lifecycle extensions next to embeddings calls: shadow and sentinel get no event for them (and do
 * not crash), a running canary splits them like chat calls, and their usage records carry the arm.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayExtension, ServedEvent } from '../../src/gateway/extension.js';
import { defaultExtensions } from '../../src/lifecycle/extensions.js';
import type { CanaryRecord } from '../../src/store/types.js';
import { startHarness, type Harness } from '../support/gateway-harness.js';

let h: Harness;
const served: ServedEvent[] = [];
const probe: GatewayExtension = { name: 'probe', onServed: (e) => void served.push(e) };

beforeAll(async () => {
  h = await startHarness(
    () => `providers:
  sim: { type: simulator, fast: true }
routes:
  embed:
    targets: { production: sim/sim-embed-2026-03-01 }
    shadow: { candidate: sim/sim-mini-2026-03-01, sample: 1 }
  chat: { targets: { production: sim/sim-chat-2026-01-15 } }
`,
    { extensions: [...defaultExtensions({ canaryIntervalMs: 60_000, shadowSuites: [] }), probe] },
  );
});
afterAll(async () => {
  await h.close();
});

const embed = (headers: Record<string, string> = {}) =>
  fetch(`${h.gateway.url}/v1/embeddings`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ model: 'embed', input: ['one text', 'another text'] }),
  });
const turns = async () => {
  for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r));
};

describe('extensions and embeddings calls', () => {
  it('shadow and sentinel are not handed embeddings calls, and keep serving chat calls', async () => {
    for (let i = 0; i < 3; i++) expect((await embed()).status).toBe(200);
    const gemini = await fetch(`${h.gateway.url}/v1beta/models/embed:embedContent`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ content: { parts: [{ text: 'x' }] } }),
    });
    expect(gemini.status).toBe(200);
    await turns();
    expect(served).toHaveLength(0);
    expect(await h.gateway.store.listShadowPairs('embed')).toEqual([]);

    const chat = await fetch(`${h.gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'chat', messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(chat.status).toBe(200);
    await turns();
    expect(served.map((e) => e.route)).toEqual(['chat']);
    expect(h.logs.filter((l) => l.level === 'error' || /onServed failed/.test(l.msg))).toEqual([]);
  });

  it('a running canary on an embeddings route splits its calls; usage records carry the arm', async () => {
    const now = h.clock.now();
    const c: CanaryRecord = {
      route: 'embed',
      env: 'production',
      stable: 'sim/sim-embed-2026-03-01',
      candidate: 'sim/sim-mini-2026-03-01',
      percent: 100,
      ramp: [100],
      stepIndex: 0,
      holdMs: 3_600_000,
      stickyBy: null,
      guards: {},
      status: 'running',
      reason: null,
      startedAt: now,
      stepStartedAt: now,
      updatedAt: now,
    };
    await h.gateway.store.putCanary(c);
    await h.gateway.refresh();
    try {
      const res = await embed();
      expect(res.status).toBe(200);
      expect(res.headers.get('x-modelpin-arm')).toBe('canary');
      expect(res.headers.get('x-modelpin-target')).toBe('sim/sim-mini-2026-03-01');
      await h.gateway.writer.flush();
      const rows = await h.gateway.store.queryUsage({ route: 'embed', arm: 'canary' });
      expect(rows.map((r) => [r.target, r.wire, r.status])).toEqual([
        ['sim/sim-mini-2026-03-01', 'openai-embeddings', 200],
      ]);
    } finally {
      await h.gateway.store.putCanary({ ...c, status: 'aborted' });
      await h.gateway.refresh();
    }
  });
});
