import { describe, expect, it } from 'vitest';
import { ModelpinError, ProviderError, RequestError } from '../../src/core/errors.js';
import type { WireFormat } from '../../src/wire/canonical.js';
import { codecs } from '../../src/wire/registry.js';
import { parseDuration } from '../../src/wire/shared/retry-after.js';

const NOW = Date.UTC(2026, 10, 23, 12, 0, 0);

interface Row {
  name: string;
  format: WireFormat;
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  code: string;
  retryable: boolean;
  retryAfterMs?: number;
  providerCode?: string;
}

const TABLE: Row[] = [
  {
    name: 'openai 400',
    format: 'openai',
    status: 400,
    body: { error: { message: "Invalid 'messages'", type: 'invalid_request_error', param: 'messages', code: null } },
    code: 'upstream_bad_request',
    retryable: false,
    providerCode: 'invalid_request_error',
  },
  {
    name: 'openai 401',
    format: 'openai',
    status: 401,
    body: { error: { message: 'bad key', type: 'invalid_request_error', code: 'invalid_api_key' } },
    code: 'upstream_auth',
    retryable: false,
  },
  {
    name: 'openai 403',
    format: 'openai',
    status: 403,
    body: { error: { message: 'region', type: 'invalid_request_error', code: 'unsupported_country_region_territory' } },
    code: 'upstream_auth',
    retryable: false,
  },
  {
    name: 'openai 429 reset headers (requests exhausted)',
    format: 'openai',
    status: 429,
    body: { error: { message: 'Rate limit', type: 'requests', code: 'rate_limit_exceeded' } },
    headers: {
      'x-ratelimit-remaining-requests': '0',
      'x-ratelimit-reset-requests': '1s',
      'x-ratelimit-remaining-tokens': '100',
      'x-ratelimit-reset-tokens': '6m0s',
    },
    code: 'rate_limited',
    retryable: true,
    retryAfterMs: 1000,
    providerCode: 'rate_limit_exceeded',
  },
  {
    name: 'openai 429 tokens reset 20ms',
    format: 'openai',
    status: 429,
    body: { error: { message: 'Rate limit', type: 'tokens', code: 'rate_limit_exceeded' } },
    headers: { 'x-ratelimit-remaining-tokens': '0', 'x-ratelimit-reset-tokens': '20ms' },
    code: 'rate_limited',
    retryable: true,
    retryAfterMs: 20,
  },
  {
    name: 'openai 429 insufficient_quota is permanent',
    format: 'openai',
    status: 429,
    body: { error: { message: 'quota', type: 'insufficient_quota', code: 'insufficient_quota' } },
    code: 'rate_limited',
    retryable: false,
  },
  {
    name: 'openai retry-after-ms wins',
    format: 'openai',
    status: 429,
    body: { error: { message: 'x' } },
    headers: { 'retry-after-ms': '1500', 'retry-after': '9' },
    code: 'rate_limited',
    retryable: true,
    retryAfterMs: 1500,
  },
  {
    name: 'openai 500',
    format: 'openai',
    status: 500,
    body: { error: { message: 'server', type: 'server_error' } },
    code: 'upstream_error',
    retryable: true,
  },
  {
    name: 'openai 503',
    format: 'openai',
    status: 503,
    body: { error: { message: 'engine overloaded', type: 'server_error' } },
    code: 'overloaded',
    retryable: true,
  },
  {
    name: 'openai 404 unknown model',
    format: 'openai',
    status: 404,
    body: {
      error: {
        message: 'The model `gpt-9` does not exist or you do not have access to it.',
        type: 'invalid_request_error',
        param: null,
        code: 'model_not_found',
      },
    },
    code: 'model_not_found',
    retryable: true,
    providerCode: 'model_not_found',
  },
  {
    name: 'openai 404 other path',
    format: 'openai',
    status: 404,
    body: { error: { message: 'Invalid URL (POST /v1/chat/complet)', type: 'invalid_request_error' } },
    code: 'upstream_bad_request',
    retryable: false,
  },
  {
    name: 'openai html 502',
    format: 'openai',
    status: 502,
    body: '<html>Bad Gateway</html>',
    code: 'upstream_error',
    retryable: true,
  },
  {
    name: 'anthropic 400',
    format: 'anthropic',
    status: 400,
    body: { type: 'error', error: { type: 'invalid_request_error', message: 'max_tokens: Field required' } },
    code: 'upstream_bad_request',
    retryable: false,
    providerCode: 'invalid_request_error',
  },
  {
    name: 'anthropic 401',
    format: 'anthropic',
    status: 401,
    body: { type: 'error', error: { type: 'authentication_error', message: 'invalid x-api-key' } },
    code: 'upstream_auth',
    retryable: false,
  },
  {
    name: 'anthropic 403',
    format: 'anthropic',
    status: 403,
    body: { type: 'error', error: { type: 'permission_error', message: 'no access' } },
    code: 'upstream_auth',
    retryable: false,
  },
  {
    name: 'anthropic 404 model',
    format: 'anthropic',
    status: 404,
    body: { type: 'error', error: { type: 'not_found_error', message: 'model: claude-2.1' } },
    code: 'model_not_found',
    retryable: true,
    providerCode: 'not_found_error',
  },
  {
    name: 'anthropic 429 retry-after seconds',
    format: 'anthropic',
    status: 429,
    body: { type: 'error', error: { type: 'rate_limit_error', message: 'slow down' } },
    headers: { 'retry-after': '7' },
    code: 'rate_limited',
    retryable: true,
    retryAfterMs: 7000,
  },
  {
    name: 'anthropic 429 ratelimit reset (RFC 3339)',
    format: 'anthropic',
    status: 429,
    body: { type: 'error', error: { type: 'rate_limit_error', message: 'slow down' } },
    headers: {
      'anthropic-ratelimit-tokens-remaining': '0',
      'anthropic-ratelimit-tokens-reset': '2026-11-23T12:00:30Z',
      'anthropic-ratelimit-requests-reset': '2026-11-23T12:00:05Z',
    },
    code: 'rate_limited',
    retryable: true,
    retryAfterMs: 30_000,
  },
  {
    name: 'anthropic 429 retry-after HTTP date',
    format: 'anthropic',
    status: 429,
    body: { type: 'error', error: { type: 'rate_limit_error', message: 'x' } },
    headers: { 'retry-after': 'Mon, 23 Nov 2026 12:00:10 GMT' },
    code: 'rate_limited',
    retryable: true,
    retryAfterMs: 10_000,
  },
  {
    name: 'anthropic 500',
    format: 'anthropic',
    status: 500,
    body: { type: 'error', error: { type: 'api_error', message: 'internal' } },
    code: 'upstream_error',
    retryable: true,
  },
  {
    name: 'anthropic 529',
    format: 'anthropic',
    status: 529,
    body: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } },
    code: 'overloaded',
    retryable: true,
    providerCode: 'overloaded_error',
  },
  {
    name: 'anthropic 504 timeout',
    format: 'anthropic',
    status: 504,
    body: { type: 'error', error: { type: 'timeout_error', message: 'timeout' } },
    code: 'timeout',
    retryable: true,
  },
  {
    name: 'gemini 400',
    format: 'gemini',
    status: 400,
    body: { error: { code: 400, message: 'Invalid JSON payload', status: 'INVALID_ARGUMENT' } },
    code: 'upstream_bad_request',
    retryable: false,
    providerCode: 'INVALID_ARGUMENT',
  },
  {
    name: 'gemini bad key (400 + API_KEY_INVALID)',
    format: 'gemini',
    status: 400,
    body: {
      error: {
        code: 400,
        message: 'API key not valid. Please pass a valid API key.',
        status: 'INVALID_ARGUMENT',
        details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID' }],
      },
    },
    code: 'upstream_auth',
    retryable: false,
  },
  {
    name: 'gemini 403',
    format: 'gemini',
    status: 403,
    body: { error: { code: 403, message: 'denied', status: 'PERMISSION_DENIED' } },
    code: 'upstream_auth',
    retryable: false,
  },
  {
    name: 'gemini 404 model',
    format: 'gemini',
    status: 404,
    body: {
      error: {
        code: 404,
        message: 'models/gemini-1.0-pro is not found for API version v1beta, or is not supported for generateContent.',
        status: 'NOT_FOUND',
      },
    },
    code: 'model_not_found',
    retryable: true,
  },
  {
    name: 'gemini 429 RetryInfo',
    format: 'gemini',
    status: 429,
    body: {
      error: {
        code: 429,
        message: 'Resource has been exhausted (e.g. check quota).',
        status: 'RESOURCE_EXHAUSTED',
        details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '37s' }],
      },
    },
    code: 'rate_limited',
    retryable: true,
    retryAfterMs: 37_000,
    providerCode: 'RESOURCE_EXHAUSTED',
  },
  {
    name: 'gemini 429 fractional RetryInfo',
    format: 'gemini',
    status: 429,
    body: [
      {
        error: {
          code: 429,
          message: 'x',
          status: 'RESOURCE_EXHAUSTED',
          details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '0.5s' }],
        },
      },
    ],
    code: 'rate_limited',
    retryable: true,
    retryAfterMs: 500,
  },
  {
    name: 'gemini 500',
    format: 'gemini',
    status: 500,
    body: { error: { code: 500, message: 'internal', status: 'INTERNAL' } },
    code: 'upstream_error',
    retryable: true,
  },
  {
    name: 'gemini 503',
    format: 'gemini',
    status: 503,
    body: { error: { code: 503, message: 'The model is overloaded.', status: 'UNAVAILABLE' } },
    code: 'overloaded',
    retryable: true,
  },
  {
    name: 'gemini retired model',
    format: 'gemini',
    status: 404,
    body: {
      error: {
        code: 404,
        message: 'models/gemini-pro has been deprecated and is no longer available.',
        status: 'NOT_FOUND',
      },
    },
    code: 'model_retired',
    retryable: true,
  },
];

describe('decodeError table', () => {
  it.each(TABLE)('$name', (row) => {
    const e = codecs[row.format].decodeError(row.status, row.body, row.headers ?? {}, NOW);
    expect(e).toBeInstanceOf(ProviderError);
    expect(e.code).toBe(row.code);
    expect(e.retryable).toBe(row.retryable);
    expect(e.retryAfterMs).toBe(row.retryAfterMs);
    if (row.providerCode) expect(e.providerCode).toBe(row.providerCode);
  });
});

describe('durations', () => {
  it.each([
    ['6m0s', 360_000],
    ['1s', 1000],
    ['20ms', 20],
    ['1h2m3.5s', 3_723_500],
    ['0.5s', 500],
    ['12', 12_000],
  ] as const)('%s', (text, ms) => expect(parseDuration(text)).toBe(ms));
  it('rejects garbage', () => expect(parseDuration('soon')).toBeUndefined());
});

describe('encodeError: the envelope each SDK parses', () => {
  const rate = new ProviderError('rate_limited', 'slow down', { retryAfterMs: 1500 });
  const overloaded = new ProviderError('overloaded', 'busy');
  const bad = new RequestError('bad_request', 'messages[0].role: expected one of user|assistant', {
    details: { param: 'messages[0].role' },
  });

  it('openai', () => {
    expect(codecs.openai.encodeError(bad)).toEqual({
      status: 400,
      headers: {},
      body: {
        error: {
          message: 'messages[0].role: expected one of user|assistant',
          type: 'invalid_request_error',
          param: 'messages[0].role',
          code: 'bad_request',
        },
      },
    });
    const r = codecs.openai.encodeError(rate);
    expect(r.status).toBe(429);
    expect(r.headers['retry-after']).toBe('2');
    expect(r.headers['retry-after-ms']).toBe('1500');
    expect(codecs.openai.encodeError(overloaded).status).toBe(503);
  });

  it('anthropic', () => {
    expect(codecs.anthropic.encodeError(bad).body).toEqual({
      type: 'error',
      error: { type: 'invalid_request_error', message: bad.message },
    });
    expect(codecs.anthropic.encodeError(overloaded)).toEqual({
      status: 529,
      headers: {},
      body: { type: 'error', error: { type: 'overloaded_error', message: 'busy' } },
    });
    const types = [
      [new ModelpinError('unauthorized', 'x'), 'authentication_error'],
      [new ModelpinError('forbidden', 'x'), 'permission_error'],
      [new ModelpinError('route_not_found', 'x'), 'not_found_error'],
      [rate, 'rate_limit_error'],
      [new ModelpinError('internal', 'x'), 'api_error'],
      // CLI-only statuses (exit codes) never leak onto the wire.
      [new ModelpinError('config_invalid', 'x'), 'api_error'],
    ] as const;
    for (const [err, type] of types)
      expect((codecs.anthropic.encodeError(err).body.error as { type: string }).type).toBe(type);
    expect(codecs.anthropic.encodeError(rate).headers['retry-after']).toBe('2');
  });

  it('gemini', () => {
    expect(codecs.gemini.encodeError(bad).body).toEqual({
      error: { code: 400, message: bad.message, status: 'INVALID_ARGUMENT' },
    });
    const r = codecs.gemini.encodeError(rate);
    expect(r.body).toEqual({
      error: {
        code: 429,
        message: 'slow down',
        status: 'RESOURCE_EXHAUSTED',
        details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '2s' }],
      },
    });
    expect(r.headers['retry-after']).toBe('2');
    expect(codecs.gemini.encodeError(overloaded).body).toMatchObject({ error: { code: 503, status: 'UNAVAILABLE' } });
    expect(codecs.gemini.encodeError(new ModelpinError('unauthorized', 'x')).body).toMatchObject({
      error: { status: 'UNAUTHENTICATED' },
    });
  });

  it('encode -> decode keeps code, retryability and delay', () => {
    for (const f of ['openai', 'anthropic', 'gemini'] as const) {
      const enc = codecs[f].encodeError(rate);
      const dec = codecs[f].decodeError(enc.status, enc.body, enc.headers, NOW);
      // OpenAI and Anthropic clients also get `retry-after-ms`, so they keep the exact delay.
      expect([dec.code, dec.retryable, dec.retryAfterMs]).toEqual(['rate_limited', true, f === 'gemini' ? 2000 : 1500]);
    }
  });

  it('streaming error events: each format’s own shape, decoded back', () => {
    const ev = { type: 'error' as const, error: overloaded };
    const a = codecs.anthropic.createStreamEncoder('m').encode(ev);
    expect(a).toBe('event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"busy"}}\n\n');
    const o = codecs.openai.createStreamEncoder('m').encode(ev);
    expect(o.startsWith('data: {"error":{')).toBe(true);
    const g = codecs.gemini.createStreamEncoder('m').encode(ev);
    expect(JSON.parse(g.slice('data: '.length))).toEqual({
      error: { code: 503, message: 'busy', status: 'UNAVAILABLE' },
    });
    for (const [f, text] of [
      ['anthropic', a],
      ['openai', o],
      ['gemini', g],
    ] as const) {
      const data =
        text
          .split('\n')
          .find((l) => l.startsWith('data: '))
          ?.slice(6) ?? '';
      const out = codecs[f].createStreamDecoder().decode({ data });
      expect(out[0]?.type).toBe('error');
      if (out[0]?.type === 'error') expect(out[0].error.retryable).toBe(true);
    }
  });
});
