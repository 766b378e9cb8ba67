/**
 * A config the gateway could only answer 500s with is refused: a route naming an undefined provider
 * at startup and on hot reload (the previous config keeps serving), env-var overrides naming an
 * undefined provider or a retired model at startup, and such runtime overrides at the admin API.
 */
import { writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/core/errors.js';
import { adminApi } from '../../src/lifecycle/admin/api.js';
import { startHarness, type Harness } from '../support/gateway-harness.js';

const GOOD = `providers:
  sim: { type: simulator, fast: true }
routes:
  summarize: { targets: { production: sim/sim-chat-2026-01-15 } }
gateway: { admin_token: "\${ADMIN}" }
`;
const UNDEFINED_PROVIDER = `providers:
  sim: { type: simulator, fast: true }
routes:
  summarize:
    targets: { production: sim/sim-chat-2026-01-15 }
    fallback: [nope/zzz]
`;

let started: Harness | null = null;
afterEach(async () => {
  await started?.close();
  started = null;
});

const chat = (h: Harness) =>
  fetch(`${h.gateway.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'summarize', messages: [{ role: 'user', content: 'Say hello' }] }),
  });

async function startFails(yaml: string, envVars: Record<string, string> = {}): Promise<unknown> {
  return startHarness(() => yaml, { envVars }).then(
    async (h) => {
      await h.close();
      return null;
    },
    (e: unknown) => e,
  );
}

describe('startup', () => {
  it('refuses a models.yml whose route names an undefined provider, with its line', async () => {
    const err = await startFails(UNDEFINED_PROVIDER);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).message).toMatch(
      /models\.yml:6:\d+: routes\.summarize\.fallback\.0: provider "nope" is not defined under providers: \(defined: sim\)/,
    );
  });

  it('refuses an env-var override naming an undefined provider or a retired model', async () => {
    const undef = await startFails(GOOD, { ADMIN: 'admin-token-1', MODELPIN_SUMMARIZE_PRODUCTION: 'nope/zzz' });
    expect(undef).toBeInstanceOf(ConfigError);
    expect((undef as ConfigError).message).toMatch(
      /env var MODELPIN_SUMMARIZE_PRODUCTION names nope\/zzz, which cannot be served: provider "nope" is not defined/,
    );
    const retired = await startFails(GOOD, {
      ADMIN: 'admin-token-1',
      MODELPIN_SUMMARIZE_PRODUCTION: 'sim/sim-chat-2025-06-01',
    });
    expect(retired).toBeInstanceOf(ConfigError);
    expect((retired as ConfigError).message).toMatch(/sim\/sim-chat-2025-06-01 has been retired since 2026-06-01/);
  });
});

describe('hot reload', () => {
  it('keeps serving the previous config when the new one names an undefined provider, and says so', async () => {
    const h = (started = await startHarness(() => GOOD, { envVars: { ADMIN: 'admin-token-1' } }));
    writeFileSync(h.configPath, UNDEFINED_PROVIDER);
    expect(await h.gateway.reload()).toBe(false);
    const line = h.logs.find((l) => l.msg === 'config reload rejected; still serving the previous config');
    expect(line?.level).toBe('error');
    expect(String(line?.fields?.['reason'])).toMatch(/routes\.summarize\.fallback\.0: provider "nope" is not defined/);
    expect(h.logs.some((l) => l.msg === 'config reloaded')).toBe(false);
    const res = await chat(h);
    expect(res.status).toBe(200);
    expect(h.gateway.runtime().file.routes['summarize']?.fallback).toEqual([]);
  });
});

describe('admin API overrides', () => {
  it('answers 400 for a target with an undefined provider or a retired model, and sets nothing', async () => {
    const h = (started = await startHarness(() => GOOD, {
      envVars: { ADMIN: 'admin-token-1' },
      extensions: [adminApi()],
    }));
    const post = (target: string) =>
      fetch(`${h.gateway.url}/admin/overrides`, {
        method: 'POST',
        headers: { authorization: 'Bearer admin-token-1', 'content-type': 'application/json' },
        body: JSON.stringify({ route: 'summarize', target, reason: 'test' }),
      });
    const undef = await post('nope/zzz');
    expect(undef.status).toBe(400);
    expect(JSON.stringify(await undef.json())).toMatch(/provider \\"nope\\" is not configured/);
    const retired = await post('sim/sim-chat-2025-06-01');
    expect(retired.status).toBe(400);
    expect(JSON.stringify(await retired.json())).toMatch(/sim\/sim-chat-2025-06-01 has been retired since 2026-06-01/);
    const ok = await post('sim/sim-chat-2026-12-10');
    expect(ok.status).toBe(201);
    const list = (await (
      await fetch(`${h.gateway.url}/admin/overrides`, { headers: { authorization: 'Bearer admin-token-1' } })
    ).json()) as { overrides: Array<{ target: string }> };
    expect(list.overrides.map((o) => o.target)).toEqual(['sim/sim-chat-2026-12-10']);
  });
});
