/** Auth, limits, malformed input, endpoints and error formats over real HTTP. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/gateway-harness.js';

let h: Harness;

beforeAll(async () => {
  h = await startHarness(
    () => `providers:
  sim: { type: simulator, fast: true }
routes:
  summarize: { targets: { production: sim/sim-chat-2026-01-15 }, fallback: [sim/sim-mini-2026-03-01] }
  tiny: { targets: { production: sim/sim-mini-2026-03-01 } }
gateway:
  auth: keys
  body_limit_bytes: 2048
  keys:
    - { id: full, key: "\${GW_KEY}" }
    - { id: limited, key: "\${GW_KEY_2}", routes: [tiny] }
`,
  );
});
afterAll(async () => {
  await h.close();
});

const msg = (model: string) => JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] });
const post = (path: string, body: string, headers: Record<string, string> = {}) =>
  fetch(`${h.gateway.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });

describe('auth', () => {
  it('accepts the key the way each SDK sends it', async () => {
    expect(
      (await post('/v1/chat/completions', msg('summarize'), { authorization: 'Bearer client-secret-1' })).status,
    ).toBe(200);
    expect(
      (
        await post(
          '/v1/messages',
          JSON.stringify({ model: 'summarize', max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] }),
          { 'x-api-key': 'client-secret-1' },
        )
      ).status,
    ).toBe(200);
    const gem = JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }] });
    expect(
      (await post('/v1beta/models/summarize:generateContent', gem, { 'x-goog-api-key': 'client-secret-1' })).status,
    ).toBe(200);
    expect((await post('/v1beta/models/summarize:generateContent?key=client-secret-1', gem)).status).toBe(200);
  });

  it('rejects a missing or wrong key in the caller format', async () => {
    const none = await post('/v1/chat/completions', msg('summarize'));
    expect(none.status).toBe(401);
    expect(await none.json()).toMatchObject({ error: { type: 'authentication_error' } });
    const wrong = await post('/v1/messages', msg('summarize'), { 'x-api-key': 'nope' });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ type: 'error', error: { type: 'authentication_error' } });
    const gem = await post('/v1beta/models/summarize:generateContent', '{}', { 'x-goog-api-key': 'nope' });
    expect(gem.status).toBe(401);
    expect(await gem.json()).toMatchObject({ error: { code: 401, status: 'UNAUTHENTICATED' } });
  });

  it('a key limited to some routes is refused the others and lists only its own', async () => {
    const res = await post('/v1/chat/completions', msg('summarize'), { authorization: 'Bearer client-secret-2' });
    expect(res.status).toBe(403);
    const body = (await res.json()) as { error: { message: string } };
    expect(body.error.message).toMatch(/may use: tiny$/);
    const list = await fetch(`${h.gateway.url}/v1/models`, { headers: { authorization: 'Bearer client-secret-2' } });
    expect(((await list.json()) as { data: Array<{ id: string }> }).data.map((m) => m.id)).toEqual(['tiny']);
  });
});

describe('limits and malformed input', () => {
  const auth = { authorization: 'Bearer client-secret-1' };

  it('answers 413 over the body limit', async () => {
    const big = JSON.stringify({ model: 'summarize', messages: [{ role: 'user', content: 'x'.repeat(5000) }] });
    const res = await post('/v1/chat/completions', big, auth);
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/2048 bytes/);
  });

  it('answers 400 to malformed JSON in each format', async () => {
    const o = await post('/v1/chat/completions', '{"model": ', auth);
    expect(o.status).toBe(400);
    expect(await o.json()).toMatchObject({ error: { type: 'invalid_request_error' } });
    const a = await post('/v1/messages', 'not json', { 'x-api-key': 'client-secret-1' });
    expect(a.status).toBe(400);
    expect(await a.json()).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
    const g = await post('/v1beta/models/summarize:generateContent', '[', { 'x-goog-api-key': 'client-secret-1' });
    expect(g.status).toBe(400);
    expect(await g.json()).toMatchObject({ error: { code: 400, status: 'INVALID_ARGUMENT' } });
  });

  it('answers 404 JSON for unknown paths and routes', async () => {
    const p = await fetch(`${h.gateway.url}/v2/whatever`);
    expect(p.status).toBe(404);
    expect(p.headers.get('content-type')).toContain('application/json');
    const r = await post('/v1/chat/completions', msg('unknown-route'), auth);
    expect(r.status).toBe(404);
    expect(((await r.json()) as { error: { message: string } }).error.message).toMatch(/summarize, tiny/);
  });
});

describe('service endpoints', () => {
  it('healthz, readyz and metrics', async () => {
    expect(await (await fetch(`${h.gateway.url}/healthz`)).json()).toEqual({ status: 'ok' });
    expect(await (await fetch(`${h.gateway.url}/readyz`)).json()).toMatchObject({
      status: 'ready',
      store: 'reachable',
    });
    await post('/v1/chat/completions', msg('tiny'), { authorization: 'Bearer client-secret-1' });
    const text = await (
      await fetch(`${h.gateway.url}/metrics`, { headers: { authorization: 'Bearer client-secret-1' } })
    ).text();
    expect(text).toMatch(
      /modelpin_requests_total\{route="tiny",target="sim\/sim-mini-2026-03-01",served_model="sim-mini-2026-03-01",status="200"/,
    );
    expect(text).toContain('modelpin_ttft_seconds');
    expect(text).toMatch(/modelpin_tokens_total\{[^}]*direction="output"\} \d+/);
    expect(text).toContain('modelpin_usage_writer_records');
  });

  it('labels requests that never reached a target as (unrouted), not by the name the client sent', async () => {
    const auth = { authorization: 'Bearer client-secret-1' };
    for (const name of ['no-such-route-1', 'no-such-route-2'])
      expect((await post('/v1/chat/completions', msg(name), auth)).status).toBe(404);
    const text = await (
      await fetch(`${h.gateway.url}/metrics`, { headers: { authorization: 'Bearer client-secret-1' } })
    ).text();
    expect(text).toMatch(
      /modelpin_requests_total\{route="\(unrouted\)",target="",served_model="none",status="404"[^}]*\} [2-9]/,
    );
    expect(text).not.toContain('no-such-route');
  });

  it('never logs client or provider secrets', async () => {
    await post('/v1/chat/completions', msg('summarize'), { authorization: 'Bearer client-secret-1' });
    const all = JSON.stringify(h.logs);
    expect(all).not.toContain('client-secret-1');
  });
});
