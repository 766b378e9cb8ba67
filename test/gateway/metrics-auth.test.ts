/** `gateway.metrics_auth`: /metrics needs a key with every route when the gateway needs keys, unless set to none. */
import { describe, expect, it } from 'vitest';
import { startHarness } from '../support/gateway-harness.js';

const YAML = (gateway: string) => () => `providers:
  sim: { type: simulator, fast: true }
routes:
  summarize: { targets: { production: sim/sim-chat-2026-01-15 } }
  tiny: { targets: { production: sim/sim-mini-2026-03-01 } }
gateway:
${gateway}
`;
const KEYS = '  keys:\n    - { id: ops, key: "${GW_KEY}" }\n    - { id: app, key: "${GW_KEY_2}", routes: [tiny] }\n';

describe('/metrics access', () => {
  it('with auth: keys and metrics_auth unset, needs a key with every route', async () => {
    const h = await startHarness(YAML(`  auth: keys\n${KEYS}`));
    try {
      const none = await fetch(`${h.gateway.url}/metrics`);
      expect(none.status).toBe(401);
      expect(await none.text()).not.toContain('modelpin_');
      const limited = await fetch(`${h.gateway.url}/metrics`, { headers: { authorization: 'Bearer client-secret-2' } });
      expect(limited.status).toBe(403);
      expect(((await limited.json()) as { error: { message: string } }).error.message).toMatch(
        /needs a key with routes: \["\*"\]/,
      );
      const ok = await fetch(`${h.gateway.url}/metrics`, { headers: { authorization: 'Bearer client-secret-1' } });
      expect(ok.status).toBe(200);
      expect(await ok.text()).toContain('modelpin_');
      // Probes stay open.
      expect((await fetch(`${h.gateway.url}/healthz`)).status).toBe(200);
    } finally {
      await h.close();
    }
  });

  it('with metrics_auth: none, is open even when model calls need keys', async () => {
    const h = await startHarness(YAML(`  auth: keys\n  metrics_auth: none\n${KEYS}`));
    try {
      expect((await fetch(`${h.gateway.url}/metrics`)).status).toBe(200);
    } finally {
      await h.close();
    }
  });

  it('with auth: none and metrics_auth: keys, only /metrics needs a key', async () => {
    const h = await startHarness(YAML(`  metrics_auth: keys\n${KEYS}`));
    try {
      expect((await fetch(`${h.gateway.url}/metrics`)).status).toBe(401);
      expect(
        (await fetch(`${h.gateway.url}/metrics`, { headers: { authorization: 'Bearer client-secret-1' } })).status,
      ).toBe(200);
      const call = await fetch(`${h.gateway.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'summarize', messages: [{ role: 'user', content: 'hi' }] }),
      });
      expect(call.status).toBe(200);
    } finally {
      await h.close();
    }
  });

  it('refuses metrics_auth: keys without a key that has every route', async () => {
    await expect(
      startHarness(YAML('  metrics_auth: keys\n  keys:\n    - { id: app, key: "${GW_KEY_2}", routes: [tiny] }\n')),
    ).rejects.toThrow(/no scraper could read \/metrics/);
  });
});
