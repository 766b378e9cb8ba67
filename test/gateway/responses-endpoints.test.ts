/** `POST /v1/responses` in the endpoint table, the error-format guess and the raw HTTP answers around it. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guessWire, matchEndpoint } from '../../src/wire/endpoints.js';
import { startHarness, type Harness } from '../support/gateway-harness.js';

describe('endpoint table', () => {
  it('serves /v1/responses and /responses, and nothing below them', () => {
    expect(matchEndpoint('/v1/responses')).toEqual({
      def: expect.objectContaining({ wire: 'openai-responses' }) as unknown,
      ctx: {},
    });
    expect(matchEndpoint('/responses')?.def.wire).toBe('openai-responses');
    expect(matchEndpoint('/v1/responses/resp_1')).toBeNull();
    expect(matchEndpoint('/v1/responsesx')).toBeNull();
  });

  it('errors on any Responses path answer in the OpenAI shape, whatever headers came along', () => {
    expect(guessWire('/v1/responses/resp_1', { 'x-api-key': 'k', 'anthropic-version': '2023-06-01' })).toBe(
      'openai-responses',
    );
    expect(guessWire('/responses/input_tokens', {})).toBe('openai-responses');
    expect(guessWire('/v1/responsesx', { 'x-api-key': 'k' })).toBe('anthropic');
    expect(guessWire('/v1/chat/completions', {})).toBe('openai');
  });
});

let h: Harness;
beforeAll(async () => {
  h = await startHarness(
    () => `providers:
  sim: { type: simulator, fast: true }
routes:
  summarize: { targets: { production: sim/sim-chat-2026-01-15 } }
`,
  );
});
afterAll(async () => {
  await h.close();
});

const post = (path: string, body: unknown) =>
  fetch(`${h.gateway.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('raw HTTP', () => {
  it('a plain call without the /v1 prefix answers a response object', async () => {
    const res = await post('/responses', { model: 'summarize', input: 'Say hello' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(await res.json()).toMatchObject({
      object: 'response',
      status: 'completed',
      model: 'summarize',
      output: [{ type: 'message', role: 'assistant' }],
    });
  });

  it('a streamed call is text/event-stream with named events and no [DONE]', async () => {
    const res = await post('/v1/responses', { model: 'summarize', input: 'Say hello', stream: true });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const text = await res.text();
    expect(text.startsWith('event: response.created\ndata: {"type":"response.created","sequence_number":0,')).toBe(
      true,
    );
    expect(text).toMatch(/event: response.completed\ndata: \{"type":"response.completed"[^\n]*\n\n$/);
    expect(text).not.toContain('[DONE]');
  });

  it('an unsupported field is a 400 naming it before any upstream call', async () => {
    const res = await post('/v1/responses', { model: 'summarize', input: 'x', store: true });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: {
        message: 'store: the gateway does not store responses; send store: false or leave it out',
        type: 'invalid_request_error',
        param: 'store',
        code: 'unsupported',
      },
    });
  });

  it('other Responses routes are a 404 saying nothing is stored', async () => {
    const res = await post('/v1/responses/compact', { model: 'summarize', input: 'x' });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({
      error: {
        type: 'invalid_request_error',
        code: 'route_not_found',
        message: expect.stringMatching(/stores no responses/) as unknown,
      },
    });
  });

  it('an unknown path names /v1/responses among the model-call endpoints', async () => {
    const res = await post('/v1/completions', {});
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/\/v1\/responses/);
  });
});
