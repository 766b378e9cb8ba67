/** Retries, Retry-After, fallback, circuit breaking and stream cuts against a scripted real HTTP upstream. */
import { describe, expect, it } from 'vitest';
import { useSdkGateway } from '../support/sdk-gateway.js';

const chat = (model: string, extra: Record<string, unknown> = {}) =>
  fetch(`${gw.harness().gateway.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model, messages: [{ role: 'user', content: 'Say hello' }], ...extra }),
  });

const gw = useSdkGateway(
  (up) => `providers:
  flaky: { type: openai, base_url: "${up}/v1", api_key: "sk-upstream-secret" }
  backup: { type: simulator, fast: true }
  flaky_g: { type: gemini, base_url: "${up}/v1beta", api_key: "sk-upstream-secret" }
routes:
  retry-route: { targets: { production: flaky/sim-chat-2026-01-15 }, fallback: [backup/sim-mini-2026-03-01] }
  fallback-route: { targets: { production: flaky/sim-chat-2026-11-25 }, fallback: [backup/sim-mini-2026-03-01] }
  breaker-route: { targets: { production: flaky/sim-chat-2026-12-10 }, fallback: [backup/sim-mini-2026-03-01] }
  retired-route: { targets: { production: flaky/sim-chat-2025-06-01 }, fallback: [backup/sim-mini-2026-03-01] }
  stream-route: { targets: { production: flaky/sim-mini-2026-03-01 } }
  stream-gemini: { targets: { production: flaky_g/sim-mini-2026-03-01 } }
retry:
  max_attempts: 3
  base_delay_ms: 100
  max_delay_ms: 1000
  total_deadline_ms: 60000
  cooldown_ms: 10000
  failure_threshold: 3
`,
  { recordUpstream: true, resetEachTest: true },
);

const rateLimited = {
  kind: 'status' as const,
  status: 429,
  headers: { 'retry-after': '2' },
  body: { error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' } },
};
const serverError = {
  kind: 'status' as const,
  status: 500,
  body: { error: { message: 'upstream exploded', type: 'server_error', code: null } },
};

describe('retries', () => {
  it('retries a 429 after the Retry-After the upstream asked for', async () => {
    gw.proxy().script([rateLimited, { kind: 'pass' }]);
    const res = await chat('retry-route');
    expect(res.status).toBe(200);
    expect(res.headers.get('x-modelpin-attempts')).toBe('2');
    expect(res.headers.get('x-modelpin-target')).toBe('flaky/sim-chat-2026-01-15');
    expect(gw.harness().waits).toEqual([2000]);
    expect(gw.proxy().seen.map((s) => s.model)).toEqual(['sim-chat-2026-01-15', 'sim-chat-2026-01-15']);
  });

  it('returns a 400 from the upstream at once: no retry, no fallback', async () => {
    gw.proxy().script([
      {
        kind: 'status',
        status: 400,
        body: { error: { message: 'messages: too long', type: 'invalid_request_error', code: null } },
      },
    ]);
    const res = await chat('retry-route');
    expect(res.status).toBe(400);
    expect(gw.proxy().seen).toHaveLength(1);
    expect(gw.harness().waits).toEqual([]);
    const body = (await res.json()) as { error: { message: string } };
    expect(body.error.message).toMatch(/too long/);
  });

  it('returns an upstream 401 at once and never shows the provider key', async () => {
    gw.proxy().script([
      {
        kind: 'status',
        status: 401,
        body: {
          error: { message: 'Incorrect API key provided', type: 'invalid_request_error', code: 'invalid_api_key' },
        },
      },
    ]);
    const res = await chat('retry-route');
    expect(res.status).toBe(401);
    expect(gw.proxy().seen).toHaveLength(1);
    expect(await res.text()).not.toContain('sk-upstream-secret');
  });
});

describe('fallback', () => {
  it('falls back to the next target after the retries are used up', async () => {
    gw.proxy().script([serverError, serverError, serverError]);
    const res = await chat('fallback-route');
    expect(res.status).toBe(200);
    expect(res.headers.get('x-modelpin-target')).toBe('backup/sim-mini-2026-03-01');
    expect(res.headers.get('x-modelpin-served-model')).toBe('sim-mini-2026-03-01');
    expect(res.headers.get('x-modelpin-attempts')).toBe('4');
    expect(gw.proxy().seen).toHaveLength(3);
    expect(gw.harness().waits).toHaveLength(2);
  });

  it('moves past a retired model without retrying it', async () => {
    const res = await chat('retired-route');
    expect(res.status).toBe(200);
    expect(res.headers.get('x-modelpin-target')).toBe('backup/sim-mini-2026-03-01');
    expect(res.headers.get('x-modelpin-attempts')).toBe('2');
    expect(gw.proxy().seen).toHaveLength(1);
  });
});

describe('circuit breaker', () => {
  it('cools a failing target down, then probes it once after the cooldown and recovers', async () => {
    gw.proxy().script([serverError, serverError, serverError]);
    const first = await chat('breaker-route');
    expect(first.headers.get('x-modelpin-target')).toBe('backup/sim-mini-2026-03-01');
    expect(gw.proxy().seen).toHaveLength(3); // three consecutive failures: the breaker opens

    const during = await chat('breaker-route');
    expect(during.status).toBe(200);
    expect(during.headers.get('x-modelpin-target')).toBe('backup/sim-mini-2026-03-01');
    expect(during.headers.get('x-modelpin-attempts')).toBe('1');
    expect(gw.proxy().seen).toHaveLength(3); // skipped while open

    gw.harness().clock.advance(10_000);
    const probe = await chat('breaker-route');
    expect(probe.headers.get('x-modelpin-target')).toBe('flaky/sim-chat-2026-12-10');
    expect(gw.proxy().seen).toHaveLength(4);
    expect(gw.harness().gateway.runtime().dispatcher.breakers.state('flaky/sim-chat-2026-12-10')).toBe('closed');
  });
});

describe('streams', () => {
  it('a stream cut after the first bytes ends with an error event, never a clean finish', async () => {
    gw.proxy().script([{ kind: 'cut', afterEvents: 3 }]);
    const res = await chat('stream-route', { stream: true });
    expect(res.status).toBe(200);
    const text = await res.text();
    const events = text.split('\n\n').filter((e) => e.startsWith('data: '));
    const last = events[events.length - 1] ?? '';
    expect(last).toMatch(/"error"/);
    expect(text).not.toContain('[DONE]');
    expect(text).not.toMatch(/"finish_reason":"stop"/);
    expect(gw.proxy().seen).toHaveLength(1); // no fallback after the first byte
  });

  it('an Anthropic client reading a cut Gemini-format upstream gets an Anthropic error event', async () => {
    gw.proxy().script([{ kind: 'cut', afterEvents: 2 }]);
    const res = await fetch(`${gw.harness().gateway.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'stream-gemini',
        max_tokens: 100,
        stream: true,
        messages: [{ role: 'user', content: 'Say hello' }],
      }),
    });
    const text = await res.text();
    expect(text).toContain('event: message_start');
    expect(text).toMatch(/event: error\ndata: \{"type":"error"/);
    expect(text).not.toContain('event: message_stop');
  });

  it('a failure before the first byte still retries', async () => {
    gw.proxy().script([serverError, { kind: 'pass' }]);
    const res = await chat('stream-route', { stream: true });
    const text = await res.text();
    expect(res.headers.get('x-modelpin-attempts')).toBe('2');
    expect(text).toContain('[DONE]');
  });
});

describe('usage records', () => {
  it('writes one record per request with attempts, status and error code', async () => {
    gw.proxy().script([{ kind: 'cut', afterEvents: 3 }]);
    await (await chat('stream-route', { stream: true })).text();
    await gw.harness().gateway.writer.flush();
    const rows = await gw.harness().gateway.store.queryUsage({ route: 'stream-route' });
    const cut = rows[rows.length - 1];
    expect(cut).toMatchObject({
      route: 'stream-route',
      stream: true,
      errorCode: 'stream_cut',
      attempts: 1,
      wire: 'openai',
    });
    const retried = (await gw.harness().gateway.store.queryUsage({ route: 'retry-route' })).find(
      (r) => r.attempts === 2,
    );
    expect(retried).toMatchObject({
      status: 200,
      servedModel: 'sim-chat-2026-01-15',
      target: 'flaky/sim-chat-2026-01-15',
    });
    expect(retried?.outputTokens).toBeGreaterThan(0);
  });
});
