/** Hot reload of models.yml, and runtime overrides and canaries read from the store. */
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/gateway-harness.js';
import type { CanaryRecord } from '../../src/store/types.js';

const config = (target: string, extraRoute = '') => `providers:
  sim: { type: simulator, fast: true }
routes:
  summarize: { targets: { production: ${target} } }
${extraRoute}`;

let h: Harness;
beforeAll(async () => {
  h = await startHarness(() => config('sim/sim-chat-2026-01-15'), { watch: true });
});
afterAll(async () => {
  await h.close();
});

async function served(model: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${h.gateway.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] }),
  });
}

async function eventually(check: () => Promise<boolean>, tries = 100): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('condition not reached');
}

describe('hot reload', () => {
  it('applies a valid file to new requests', async () => {
    writeFileSync(
      h.configPath,
      config('sim/sim-chat-2026-12-10', '  extra: { targets: { production: sim/sim-mini-2026-03-01 } }'),
    );
    expect(await h.gateway.reload()).toBe(true);
    const res = await served('summarize');
    expect(res.headers.get('x-modelpin-served-model')).toBe('sim-chat-2026-12-10');
    expect((await served('extra')).status).toBe(200);
  });

  it('rejects an invalid file, logs why and keeps serving the old config', async () => {
    writeFileSync(h.configPath, 'routes:\n  summarize: { targets: { production: 42 } }\n  - broken');
    expect(await h.gateway.reload()).toBe(false);
    expect(h.logs.some((l) => l.msg.includes('reload rejected') && typeof l.fields?.reason === 'string')).toBe(true);
    const res = await served('summarize');
    expect(res.status).toBe(200);
    expect(res.headers.get('x-modelpin-served-model')).toBe('sim-chat-2026-12-10');
  });

  it('picks up a change from the file watch', async () => {
    writeFileSync(h.configPath, config('sim/sim-mini-2026-03-01'));
    await eventually(
      async () => (await served('summarize')).headers.get('x-modelpin-served-model') === 'sim-mini-2026-03-01',
    );
  });
});

describe('store state', () => {
  it('a runtime override in the store reroutes without a restart', async () => {
    writeFileSync(h.configPath, config('sim/sim-chat-2026-01-15'));
    expect(await h.gateway.reload()).toBe(true);
    await h.gateway.store.setOverride({
      route: 'summarize',
      env: 'production',
      target: 'sim/sim-chat-2026-12-10',
      reason: 'test',
      actor: 'me',
      createdAt: h.clock.now(),
      expiresAt: null,
    });
    expect(await h.gateway.refresh()).toBe(true);
    expect((await served('summarize')).headers.get('x-modelpin-target')).toBe('sim/sim-chat-2026-12-10');
    await h.gateway.store.clearOverride('summarize', 'production');
    await h.gateway.refresh();
    expect((await served('summarize')).headers.get('x-modelpin-target')).toBe('sim/sim-chat-2026-01-15');
  });

  it('a running canary sends its share to the candidate, sticky per user, recorded with its arm', async () => {
    const now = h.clock.now();
    const c: CanaryRecord = {
      route: 'summarize',
      env: 'production',
      stable: 'sim/sim-chat-2026-01-15',
      candidate: 'sim/sim-chat-2026-12-10',
      percent: 50,
      ramp: [50],
      stepIndex: 0,
      holdMs: 60_000,
      stickyBy: 'header:x-user-id',
      guards: {},
      status: 'running',
      reason: null,
      startedAt: now,
      stepStartedAt: now,
      updatedAt: now,
    };
    await h.gateway.store.putCanary(c);
    await h.gateway.refresh();
    const seen = new Map<string, string | null>();
    for (let i = 0; i < 20; i++) {
      const user = `user-${i}`;
      const a = (await served('summarize', { 'x-user-id': user })).headers.get('x-modelpin-arm');
      const b = (await served('summarize', { 'x-user-id': user })).headers.get('x-modelpin-arm');
      expect(b).toBe(a);
      seen.set(user, a);
    }
    expect(new Set(seen.values())).toEqual(new Set(['stable', 'canary']));
    await h.gateway.writer.flush();
    const canary = await h.gateway.store.queryUsage({ route: 'summarize', arm: 'canary' });
    expect(canary.length).toBeGreaterThan(0);
    expect(canary.every((r) => r.target === 'sim/sim-chat-2026-12-10')).toBe(true);
    await h.gateway.store.putCanary({ ...c, status: 'aborted' });
    await h.gateway.refresh();
    expect((await served('summarize', { 'x-user-id': 'user-1' })).headers.get('x-modelpin-arm')).toBe('stable');
  });
});
