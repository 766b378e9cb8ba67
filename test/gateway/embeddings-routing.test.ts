/** Embeddings through the routing machinery: retries, fallback, targets without embeddings, overrides, keys, usage and metrics. */
import { describe, expect, it } from 'vitest';
import { countTokens } from '../../src/core/tokenizer.js';
import { useSdkGateway } from '../support/sdk-gateway.js';

const gw = useSdkGateway(
  (up) => `providers:
  flaky: { type: openai, base_url: "${up}/v1", api_key: "sk-upstream-secret" }
  flaky_g: { type: gemini, base_url: "${up}/v1beta", api_key: "sk-upstream-secret" }
  anth: { type: anthropic, base_url: "${up}", api_key: "sk-upstream-secret" }
  backup: { type: simulator, fast: true }
routes:
  embed: { targets: { production: backup/sim-embed-2026-03-01 } }
  flaky-embed: { targets: { production: flaky/sim-embed-2026-03-01 }, fallback: [backup/sim-embed-2026-03-01] }
  flaky-gemini: { targets: { production: flaky_g/sim-embed-2026-03-01 }, fallback: [backup/sim-embed-2026-03-01] }
  retired-embed: { targets: { production: flaky/sim-chat-2025-06-01 }, fallback: [backup/sim-embed-2026-03-01] }
  chat-only: { targets: { production: anth/sim-chat-2026-01-15 } }
  anthropic-first: { targets: { production: anth/sim-chat-2026-01-15 }, fallback: [flaky/sim-embed-2026-03-01] }
retry:
  max_attempts: 3
  base_delay_ms: 100
  max_delay_ms: 1000
  total_deadline_ms: 60000
  cooldown_ms: 10000
  failure_threshold: 10
gateway:
  auth: keys
  body_limit_bytes: 65536
  keys:
    - { id: app, key: "\${GW_KEY}" }
    - { id: limited, key: "\${GW_KEY_2}", routes: [embed] }
`,
  { recordUpstream: true, resetEachTest: true },
);

const KEY = 'client-secret-1';
const post = (path: string, body: unknown, key = KEY) =>
  fetch(`${gw.harness().gateway.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
const embed = (model: string, input: unknown = 'Say hello to the embeddings route', key = KEY) =>
  post('/v1/embeddings', { model, input, encoding_format: 'float' }, key);
const gemini = (
  model: string,
  body: unknown = { requests: [{ model: `models/${model}`, content: { parts: [{ text: 'hello there' }] } }] },
) => post(`/v1beta/models/${model}:batchEmbedContents`, body);

const serverError = {
  kind: 'status' as const,
  status: 500,
  body: { error: { message: 'upstream exploded', type: 'server_error', code: null } },
};
const rateLimited = {
  kind: 'status' as const,
  status: 429,
  headers: { 'retry-after': '2' },
  body: { error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' } },
};

async function usage(route: string) {
  await gw.harness().gateway.writer.flush();
  return gw.harness().gateway.store.queryUsage({ route });
}

describe('retries and fallback', () => {
  it('retries a 429 on the same target after its Retry-After', async () => {
    gw.proxy().script([rateLimited]);
    const res = await embed('flaky-embed');
    expect(res.status).toBe(200);
    expect(res.headers.get('x-modelpin-attempts')).toBe('2');
    expect(res.headers.get('x-modelpin-target')).toBe('flaky/sim-embed-2026-03-01');
    expect(gw.harness().waits).toEqual([2000]);
    expect(gw.proxy().seen.map((s) => s.path)).toEqual(['/v1/embeddings', '/v1/embeddings']);
  });

  it('falls back to the next target when the first keeps failing, and the usage record says so', async () => {
    gw.proxy().script([serverError, serverError, serverError]);
    const text = 'the fallback answers this text';
    const res = await embed('flaky-embed', [text, text]);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-modelpin-attempts')).toBe('4');
    expect(res.headers.get('x-modelpin-target')).toBe('backup/sim-embed-2026-03-01');
    expect(res.headers.get('x-modelpin-served-model')).toBe('sim-embed-2026-03-01');
    const body = (await res.json()) as { data: unknown[]; usage: { prompt_tokens: number } };
    expect(body.data).toHaveLength(2);
    expect(gw.harness().waits).toHaveLength(2);
    const row = (await usage('flaky-embed')).find((r) => r.attempts === 4);
    expect(row).toMatchObject({
      env: 'production',
      target: 'backup/sim-embed-2026-03-01',
      provider: 'backup',
      requestedModel: 'flaky-embed',
      servedModel: 'sim-embed-2026-03-01',
      status: 200,
      errorCode: null,
      inputTokens: 2 * countTokens(text),
      outputTokens: 0,
      wire: 'openai-embeddings',
      stream: false,
      clientKeyId: 'app',
      arm: 'stable',
    });
    // The simulator catalog prices sim-embed-2026-03-01 at $0.02 per million input tokens.
    expect(row?.costUsd).toBeCloseTo((2 * countTokens(text) * 0.02) / 1_000_000, 12);
  });

  it('moves past a retired model without retrying it', async () => {
    const res = await embed('retired-embed');
    expect(res.status).toBe(200);
    expect(res.headers.get('x-modelpin-attempts')).toBe('2');
    expect(res.headers.get('x-modelpin-target')).toBe('backup/sim-embed-2026-03-01');
    expect(gw.proxy().seen).toHaveLength(1);
    expect(gw.harness().waits).toEqual([]);
  });

  it('a Gemini-format upstream falls back the same way, and a Gemini client gets the answer', async () => {
    gw.proxy().script([serverError, serverError, serverError]);
    const res = await gemini('flaky-gemini');
    expect(res.status).toBe(200);
    expect(gw.proxy().seen.map((s) => s.path)).toEqual(
      Array(3).fill('/v1beta/models/sim-embed-2026-03-01:batchEmbedContents'),
    );
    expect(res.headers.get('x-modelpin-target')).toBe('backup/sim-embed-2026-03-01');
    const body = (await res.json()) as { embeddings: Array<{ values: number[] }> };
    expect(body.embeddings[0]?.values).toHaveLength(256);
    const row = (await usage('flaky-gemini')).at(-1);
    expect(row).toMatchObject({
      wire: 'gemini-embeddings',
      attempts: 4,
      status: 200,
      inputTokens: countTokens('hello there'),
    });
  });

  it('an upstream without a price leaves the cost unknown (null), never $0', async () => {
    const res = await embed('flaky-embed', 'priced nowhere');
    expect(res.status).toBe(200);
    expect(res.headers.get('x-modelpin-target')).toBe('flaky/sim-embed-2026-03-01');
    const row = (await usage('flaky-embed')).find(
      (r) => r.inputTokens === countTokens('priced nowhere') && r.attempts === 1,
    );
    expect(row?.costUsd).toBeNull();
  });
});

describe('targets without an embeddings API', () => {
  it('a route on Anthropic only answers 400 in the caller format naming the route and provider, without calling upstream', async () => {
    const res = await embed('chat-only');
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { message: string; type: string } };
    expect(body.error.type).toBe('invalid_request_error');
    expect(body.error.message).toContain('route "chat-only" cannot answer embeddings');
    expect(body.error.message).toContain('provider "anth" (type anthropic) has no embeddings API');
    expect(res.headers.get('x-modelpin-route')).toBe('chat-only');

    const g = await gemini('chat-only');
    expect(g.status).toBe(400);
    const gb = (await g.json()) as { error: { code: number; status: string; message: string } };
    expect(gb.error).toMatchObject({ code: 400, status: 'INVALID_ARGUMENT' });
    expect(gb.error.message).toContain('route "chat-only"');
    expect(gw.proxy().seen).toHaveLength(0);

    const rows = await usage('chat-only');
    expect(rows).toHaveLength(2);
    expect(rows.map((r) => [r.status, r.errorCode, r.target, r.attempts])).toEqual([
      [400, 'unsupported', 'anth/sim-chat-2026-01-15', 0],
      [400, 'unsupported', 'anth/sim-chat-2026-01-15', 0],
    ]);
  });

  it('in a fallback chain such a target is skipped, and the next one answers', async () => {
    const res = await embed('anthropic-first');
    expect(res.status).toBe(200);
    expect(res.headers.get('x-modelpin-target')).toBe('flaky/sim-embed-2026-03-01');
    expect(res.headers.get('x-modelpin-attempts')).toBe('1');
    expect(gw.proxy().seen.map((s) => s.path)).toEqual(['/v1/embeddings']);
    expect(
      gw
        .harness()
        .logs.some(
          (l) =>
            l.msg.startsWith('embeddings: targets that cannot answer this request left out of the chain') &&
            JSON.stringify(l.fields).includes('anth/sim-chat-2026-01-15'),
        ),
    ).toBe(true);
  });
});

describe('route resolution', () => {
  it('follows a runtime override from the store', async () => {
    await gw.harness().gateway.store.setOverride({
      route: 'embed',
      env: 'production',
      target: 'flaky/sim-embed-2026-03-01',
      reason: 'test',
      actor: 'me',
      createdAt: gw.harness().clock.now(),
      expiresAt: null,
    });
    await gw.harness().gateway.refresh();
    try {
      const res = await embed('embed');
      expect(res.status).toBe(200);
      expect(res.headers.get('x-modelpin-target')).toBe('flaky/sim-embed-2026-03-01');
    } finally {
      await gw.harness().gateway.store.clearOverride('embed', 'production');
      await gw.harness().gateway.refresh();
    }
    expect((await embed('embed')).headers.get('x-modelpin-target')).toBe('backup/sim-embed-2026-03-01');
  });

  it("keeps to the client key's routes and the passthrough policy", async () => {
    expect((await embed('embed', 'x', 'client-secret-2')).status).toBe(200);
    const forbidden = await embed('flaky-embed', 'x', 'client-secret-2');
    expect(forbidden.status).toBe(403);
    expect(((await forbidden.json()) as { error: { message: string } }).error.message).toMatch(
      /this key may not use route "flaky-embed"; routes this key may use: embed/,
    );
    const raw = await embed('backup/sim-embed-2026-03-01');
    expect(raw.status).toBe(400);
    expect(((await raw.json()) as { error: { message: string } }).error.message).toMatch(
      /raw model ids are not accepted/,
    );
  });
});

describe('errors in the caller format', () => {
  const openAiError = async (res: Response, status: number, pattern: RegExp, param?: string) => {
    expect(res.status).toBe(status);
    const b = (await res.json()) as { error: { message: string; type: string; param: string | null } };
    expect(b.error.message).toMatch(pattern);
    expect(typeof b.error.type).toBe('string');
    if (param !== undefined) expect(b.error.param).toBe(param);
  };
  const geminiError = async (res: Response, status: number, pattern: RegExp) => {
    expect(res.status).toBe(status);
    const b = (await res.json()) as { error: { message: string; code: number; status: string } };
    expect(b.error.code).toBe(status);
    expect(b.error.message).toMatch(pattern);
  };

  it('OpenAI: malformed JSON, missing or empty input, too many inputs, empty text, bad key, unknown route, body limit, wrong method', async () => {
    await openAiError(await post('/v1/embeddings', '{"model":'), 400, /not valid JSON/);
    await openAiError(await post('/v1/embeddings', { model: 'embed' }), 400, /^input: required/, 'input');
    await openAiError(
      await post('/v1/embeddings', { model: 'embed', input: { text: 'x' } }),
      400,
      /^input: expected a string or an array of strings/,
      'input',
    );
    await openAiError(await embed('embed', ['fine', 3, 'x']), 400, /token-id arrays are not supported/, 'input');
    await openAiError(await embed('embed', ['fine', { text: 'x' }]), 400, /^input\[1\]: expected a string/, 'input');
    await openAiError(await embed('embed', []), 400, /at least one text/, 'input');
    await openAiError(
      await embed('embed', Array(2049).fill('a')),
      400,
      /at most 2048 inputs per request, got 2049/,
      'input',
    );
    await openAiError(
      await embed('embed', ['fine', '']),
      400,
      /input\[1\]: an empty string cannot be embedded/,
      'input',
    );
    await openAiError(await embed('embed', 'x', 'wrong'), 401, /invalid API key/);
    await openAiError(await embed('nope'), 404, /unknown route "nope"/);
    await openAiError(await embed('embed', 'x'.repeat(70_000)), 413, /exceeds the gateway limit of 65536 bytes/);
    await openAiError(await fetch(`${gw.harness().gateway.url}/v1/embeddings`), 405, /use POST/);
    // 2048 inputs are fine.
    expect((await embed('embed', Array(2048).fill('a'))).status).toBe(200);
  });

  it('Gemini: malformed JSON, missing content, too many requests, model mismatch, non-text parts, bad key, unknown route', async () => {
    await geminiError(await post('/v1beta/models/embed:embedContent', 'nope'), 400, /not valid JSON/);
    await geminiError(await post('/v1beta/models/embed:embedContent', {}), 400, /content: required/);
    await geminiError(await gemini('embed', { requests: [] }), 400, /at least one request/);
    const many = Array.from({ length: 101 }, () => ({ content: { parts: [{ text: 'a' }] } }));
    await geminiError(await gemini('embed', { requests: many }), 400, /at most 100 requests per batch, got 101/);
    await geminiError(
      await gemini('embed', { requests: [{ model: 'models/other', content: { parts: [{ text: 'a' }] } }] }),
      400,
      /requests\[0\]\.model: models\/other does not match the model in the URL/,
    );
    await geminiError(
      await gemini('embed', {
        requests: [{ content: { parts: [{ inlineData: { mimeType: 'image/png', data: '' } }] } }],
      }),
      400,
      /only text parts/,
    );
    await geminiError(
      await post('/v1beta/models/embed:embedContent', { content: { parts: [{ text: 'a' }] } }, 'wrong'),
      401,
      /invalid API key/,
    );
    await geminiError(await gemini('nope'), 404, /unknown route "nope"/);
  });

  it('leaves a usage record for a refused authenticated request, none for a bad key', async () => {
    const before = (await usage('embed')).length;
    // Refused by the provider (the in-process simulator): more dimensions than the snapshot has.
    await openAiError(
      await post('/v1/embeddings', { model: 'embed', input: 'x', dimensions: 300 }),
      400,
      /dimensions: 300 is not between 1 and 256/,
    );
    await embed('embed', 'x', 'wrong');
    const rows = await usage('embed');
    expect(rows.length - before).toBe(1);
    expect(rows.at(-1)).toMatchObject({
      status: 400,
      errorCode: 'upstream_bad_request',
      wire: 'openai-embeddings',
      attempts: 1,
      inputTokens: 0,
      costUsd: null,
    });
    // Refused by the gateway itself: not a positive integer.
    await openAiError(
      await post('/v1/embeddings', { model: 'embed', input: 'x', dimensions: 0 }),
      400,
      /^dimensions: /,
      'dimensions',
    );
  });

  it('more dimensions than the model has: the provider answers 400, through the normal error path, without retry or fallback', async () => {
    const before = (await usage('flaky-embed')).length;
    const res = await post('/v1/embeddings', { model: 'flaky-embed', input: 'x', dimensions: 300 });
    await openAiError(res, 400, /dimensions: 300 is not between 1 and 256/);
    expect(res.headers.get('x-modelpin-target')).toBe('flaky/sim-embed-2026-03-01');
    expect(gw.proxy().seen.map((s) => s.path)).toEqual(['/v1/embeddings']);
    const rows = await usage('flaky-embed');
    expect(rows.length - before).toBe(1);
    expect(rows.at(-1)).toMatchObject({
      status: 400,
      errorCode: 'upstream_bad_request',
      attempts: 1,
      target: 'flaky/sim-embed-2026-03-01',
    });
  });
});

describe('metrics', () => {
  it('count embeddings requests under their wire label, with input tokens and cost', async () => {
    await embed('embed', 'count me in the metrics');
    const text = await (
      await fetch(`${gw.harness().gateway.url}/metrics`, { headers: { authorization: `Bearer ${KEY}` } })
    ).text();
    expect(text).toMatch(
      /modelpin_requests_total\{route="embed",target="backup\/sim-embed-2026-03-01",served_model="sim-embed-2026-03-01",status="200",arm="stable",wire="openai-embeddings",stream="false"\} \d+/,
    );
    expect(text).toMatch(
      /modelpin_tokens_total\{route="embed",target="backup\/sim-embed-2026-03-01",served_model="sim-embed-2026-03-01",direction="input"\} [1-9]/,
    );
    expect(text).toMatch(
      /modelpin_cost_usd_total\{route="embed",target="backup\/sim-embed-2026-03-01",served_model="sim-embed-2026-03-01"\} [0-9.e-]+/,
    );
    expect(text).toMatch(
      /modelpin_upstream_attempts_total\{target="flaky\/sim-embed-2026-03-01",outcome="upstream_error"\} [1-9]/,
    );
  });
});
