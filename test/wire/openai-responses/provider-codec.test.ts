/**
 * The provider half of the Responses codec, checked against the client half: a canonical request
 * encoded for upstream decodes (as a Responses client request) to itself; an answer encoded as a
 * Responses `response`, plain or streamed and split anywhere, decodes back to the canonical answer.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ProviderError, UnsupportedError } from '../../../src/core/errors.js';
import { assembleStream, responseToEvents } from '../../../src/wire/assemble.js';
import type { CanonicalRequest, CanonicalResponse, StreamEvent } from '../../../src/wire/canonical.js';
import { clientCodecs } from '../../../src/wire/registry.js';
import { openaiResponsesCodec as codec } from '../../../src/wire/openai-responses/index.js';
import { createSseParser } from '../../../src/wire/sse.js';
import { canonicalRequest, canonicalResponse } from '../arbitraries.js';
import { splitRandomly } from '../split-randomly.js';

const RUNS = { numRuns: 150 };

/** What Chat Completions requests carry, minus what the Responses API has no field for. */
const responsesRequest = canonicalRequest('openai').map((r) => {
  const out: CanonicalRequest = { ...r };
  delete out.stop;
  delete out.seed;
  delete out.presencePenalty;
  delete out.frequencyPenalty;
  delete out.streamUsage;
  return out;
});

/**
 * What a Responses answer carries back: ids gain the `resp_` prefix, there is no system
 * fingerprint, and a completed answer's stop reason is read from its items (tool calls or not).
 */
function expected(res: CanonicalResponse): CanonicalResponse {
  const id = `resp_${res.id}`;
  const calledTools = res.content.some((p) => p.type === 'tool_use');
  const stopReason =
    res.stopReason === 'max_tokens' || res.stopReason === 'content_filter'
      ? res.stopReason
      : calledTools
        ? 'tool_use'
        : 'end_turn';
  // The API always reports cached tokens, 0 included.
  const usage = { ...res.usage, cachedInputTokens: res.usage.cachedInputTokens ?? 0 };
  const out: CanonicalResponse = { ...res, id, stopReason, usage, providerRequestId: id };
  delete out.systemFingerprint;
  delete out.stopSequence;
  return out;
}

function sse(events: StreamEvent[], cuts: number[]): StreamEvent[] {
  const enc = clientCodecs['openai-responses'].createStreamEncoder('served-model');
  const text = events.map((e) => enc.encode(e)).join('') + enc.end();
  const parser = createSseParser();
  const raw = splitRandomly(text, cuts).flatMap((c) => parser.push(c));
  raw.push(...parser.flush());
  const dec = codec.createStreamDecoder();
  return raw.flatMap((e) => dec.decode(e));
}

describe('Responses provider codec round trips', () => {
  it('request: canonical -> upstream body -> client decoder is the same canonical request', () => {
    fc.assert(
      fc.property(responsesRequest, (req) => {
        const enc = codec.encodeRequest(req, 'gpt-5-pro');
        expect(enc.path).toBe('/responses');
        expect(enc.body).toMatchObject({ model: 'gpt-5-pro', store: false });
        const body = JSON.parse(JSON.stringify(enc.body)) as Record<string, unknown>;
        expect(codec.decodeRequest({ ...body, model: req.model })).toEqual(req);
      }),
      RUNS,
    );
  });

  it('response: canonical -> Responses `response` -> provider decoder keeps content, stop reason, usage and model', () => {
    fc.assert(
      fc.property(canonicalResponse('openai'), (res) => {
        const body = JSON.parse(JSON.stringify(codec.encodeResponse(res, res.model))) as unknown;
        expect(codec.decodeResponse(body)).toEqual(expected(res));
      }),
      RUNS,
    );
  });

  it('stream: events encoded, split anywhere and decoded assemble to the same answer', () => {
    fc.assert(
      fc.property(
        canonicalResponse('openai', { stream: true }),
        fc.array(fc.nat(), { maxLength: 8 }),
        fc.integer({ min: 1, max: 12 }),
        (res, cuts, chunk) => {
          const decoded = sse(responseToEvents(res, chunk), cuts);
          expect(decoded[0]?.type).toBe('start');
          expect(decoded.filter((e) => e.type === 'finish')).toHaveLength(1);
          const got = assembleStream(decoded);
          const want = expected(res);
          // The stream encoder was told the model to show; the stream carries no request id.
          delete want.providerRequestId;
          expect(got).toEqual({ ...want, model: 'served-model' });
        },
      ),
      RUNS,
    );
  });
});

const baseReq: CanonicalRequest = {
  model: 'r',
  messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }],
  stream: false,
};

describe('Responses request encoding', () => {
  it.each([
    ['stop', { stop: ['x'] }],
    ['seed', { seed: 1 }],
    ['top_k', { topK: 3 }],
    ['presence_penalty', { presencePenalty: 1 }],
    ['frequency_penalty', { frequencyPenalty: 1 }],
  ] satisfies Array<[string, Partial<CanonicalRequest>]>)('refuses %s, naming the field', (field, extra) => {
    const err = (() => {
      try {
        codec.encodeRequest({ ...baseReq, ...extra }, 'm');
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(UnsupportedError);
    expect((err as UnsupportedError).details).toMatchObject({ field, format: 'openai-responses' });
  });

  it('refuses an error tool result, which function_call_output cannot mark', () => {
    const req: CanonicalRequest = {
      ...baseReq,
      messages: [
        { role: 'assistant', content: [{ type: 'tool_use', id: 'c1', name: 'f', input: {} }] },
        {
          role: 'user',
          content: [{ type: 'tool_result', toolUseId: 'c1', content: [{ type: 'text', text: 'boom' }], isError: true }],
        },
      ],
    };
    expect(() => codec.encodeRequest(req, 'm')).toThrow(/is_error/);
  });

  it('sends system as instructions, a tool turn as items, non-strict tools, JSON mode, the end user and store: false', () => {
    const req: CanonicalRequest = {
      model: 'r',
      system: 'be brief',
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'weather?' }] },
        {
          role: 'assistant',
          content: [
            { type: 'text', text: 'checking' },
            { type: 'tool_use', id: 'c1', name: 'weather', input: { city: 'Oslo' } },
          ],
        },
        { role: 'user', content: [{ type: 'tool_result', toolUseId: 'c1', content: [{ type: 'text', text: '3C' }] }] },
      ],
      tools: [{ name: 'weather', inputSchema: { type: 'object' } }],
      toolChoice: { type: 'any' },
      responseFormat: { type: 'json' },
      maxTokens: 50,
      metadata: { user_id: 'u1', team: 'a' },
      stream: true,
    };
    expect(codec.encodeRequest(req, 'gpt-5-pro').body).toEqual({
      model: 'gpt-5-pro',
      store: false,
      stream: true,
      instructions: 'be brief',
      input: [
        { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'weather?' }] },
        { type: 'message', role: 'assistant', content: 'checking' },
        { type: 'function_call', call_id: 'c1', name: 'weather', arguments: '{"city":"Oslo"}' },
        { type: 'function_call_output', call_id: 'c1', output: '3C' },
      ],
      tools: [{ type: 'function', name: 'weather', description: null, parameters: { type: 'object' }, strict: false }],
      tool_choice: 'required',
      text: { format: { type: 'json_object' } },
      max_output_tokens: 50,
      safety_identifier: 'u1',
      metadata: { team: 'a' },
    });
  });
});

const upstream = (over: Record<string, unknown>) => ({
  id: 'resp_1',
  object: 'response',
  created_at: 1_700_000_000,
  status: 'completed',
  model: 'gpt-5-pro-2025-10-06',
  output: [],
  usage: {
    input_tokens: 30,
    input_tokens_details: { cached_tokens: 10 },
    output_tokens: 7,
    output_tokens_details: { reasoning_tokens: 5 },
    total_tokens: 37,
  },
  ...over,
});

describe('Responses response decoding', () => {
  it('skips reasoning items, reads the served model, cached tokens and the request id header', () => {
    const body = upstream({
      output: [
        { type: 'reasoning', id: 'rs_1', summary: [] },
        {
          type: 'message',
          id: 'msg_1',
          role: 'assistant',
          status: 'completed',
          content: [{ type: 'output_text', text: 'Hello', annotations: [] }],
        },
      ],
    });
    expect(codec.decodeResponse(body, { 'x-request-id': 'req_9' })).toEqual({
      id: 'resp_1',
      model: 'gpt-5-pro-2025-10-06',
      content: [{ type: 'text', text: 'Hello' }],
      stopReason: 'end_turn',
      usage: { inputTokens: 30, outputTokens: 7, cachedInputTokens: 10, reasoningTokens: 5 },
      providerRequestId: 'req_9',
      created: 1_700_000_000,
    });
  });

  it('an incomplete answer at the token limit stops for max tokens; a refusal is a content filter stop', () => {
    expect(
      codec.decodeResponse(upstream({ status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } }))
        .stopReason,
    ).toBe('max_tokens');
    const refusal = upstream({
      output: [{ type: 'message', role: 'assistant', content: [{ type: 'refusal', refusal: 'no' }] }],
    });
    expect(codec.decodeResponse(refusal)).toMatchObject({
      content: [{ type: 'text', text: 'no' }],
      stopReason: 'content_filter',
    });
  });

  it('a failed response is a typed provider error, and a malformed one is a bad upstream response', () => {
    const failed = upstream({ status: 'failed', error: { code: 'rate_limit_exceeded', message: 'slow down' } });
    expect(() => codec.decodeResponse(failed)).toThrow(
      expect.objectContaining({ code: 'rate_limited', retryable: true }) as Error,
    );
    expect(() => codec.decodeResponse({ id: 'x' })).toThrow(
      expect.objectContaining({ code: 'upstream_bad_response' }) as Error,
    );
    const badArgs = upstream({ output: [{ type: 'function_call', call_id: 'c', name: 'f', arguments: '[1]' }] });
    expect(() => codec.decodeResponse(badArgs)).toThrow(ProviderError);
  });
});

describe('Responses stream decoding', () => {
  const dec = () => codec.createStreamDecoder();
  const ev = (data: Record<string, unknown>) => ({ event: String(data.type), data: JSON.stringify(data) });

  it('an `error` event and a `response.failed` event are stream errors with the upstream code', () => {
    const a = dec().decode(
      ev({ type: 'error', code: 'server_error', message: 'oops', param: null, sequence_number: 3 }),
    );
    expect(a).toEqual([
      { type: 'error', error: expect.objectContaining({ code: 'upstream_error', message: 'oops' }) as unknown },
    ]);
    const b = dec().decode(
      ev({
        type: 'response.failed',
        response: upstream({ status: 'failed', error: { code: 'rate_limit_exceeded', message: 'slow' } }),
      }),
    );
    expect(b[0]).toMatchObject({ type: 'error', error: { code: 'rate_limited' } });
  });

  it('takes text and arguments from output_item.done when no deltas came, and response.incomplete stops for max tokens', () => {
    const d = dec();
    const out = [
      ev({ type: 'response.created', response: upstream({ status: 'in_progress', usage: null }) }),
      ev({ type: 'response.output_item.added', output_index: 0, item: { type: 'reasoning', id: 'rs', summary: [] } }),
      ev({ type: 'response.output_item.done', output_index: 0, item: { type: 'reasoning', id: 'rs', summary: [] } }),
      ev({
        type: 'response.output_item.added',
        output_index: 1,
        item: { type: 'function_call', call_id: 'c1', name: 'f', arguments: '' },
      }),
      ev({
        type: 'response.output_item.done',
        output_index: 1,
        item: { type: 'function_call', call_id: 'c1', name: 'f', arguments: '{"a":1}' },
      }),
      ev({ type: 'response.output_item.added', output_index: 2, item: { type: 'message', content: [] } }),
      ev({
        type: 'response.output_item.done',
        output_index: 2,
        item: { type: 'message', content: [{ type: 'output_text', text: 'partial' }] },
      }),
      ev({
        type: 'response.incomplete',
        response: upstream({ status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } }),
      }),
    ].flatMap((e) => d.decode(e));
    const res = assembleStream(out);
    expect(res).toMatchObject({
      id: 'resp_1',
      model: 'gpt-5-pro-2025-10-06',
      content: [
        { type: 'tool_use', id: 'c1', name: 'f', input: { a: 1 } },
        { type: 'text', text: 'partial' },
      ],
      stopReason: 'max_tokens',
      usage: { inputTokens: 30, outputTokens: 7, cachedInputTokens: 10 },
    });
  });
});
