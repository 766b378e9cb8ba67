import { describe, expect, it } from 'vitest';
import { ModelpinError, RequestError } from '../../../src/core/errors.js';
import { responseToEvents } from '../../../src/wire/assemble.js';
import {
  CLIENT_WIRE_FORMATS,
  WIRE_FORMATS,
  type CanonicalRequest,
  type CanonicalResponse,
} from '../../../src/wire/canonical.js';
import { clientCodecs, codecs } from '../../../src/wire/registry.js';
import { createSseParser } from '../../../src/wire/sse.js';

const codec = clientCodecs['openai-responses'];

const RES: CanonicalResponse = {
  id: 'msg_01',
  model: 'claude-x-20260101',
  created: 1_760_000_000,
  content: [
    { type: 'text', text: 'Let me check.' },
    { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } },
  ],
  stopReason: 'tool_use',
  usage: { inputTokens: 120, outputTokens: 30, cachedInputTokens: 100 },
};

const REQ: CanonicalRequest = {
  model: 'via-anthropic',
  system: 'Be brief.',
  messages: [{ role: 'user', content: [{ type: 'text', text: 'Weather in Paris?' }] }],
  tools: [
    {
      name: 'get_weather',
      description: 'Look up the weather',
      inputSchema: { type: 'object', properties: { city: { type: 'string' } } },
    },
  ],
  toolChoice: { type: 'any' },
  temperature: 0.3,
  maxTokens: 500,
  responseFormat: { type: 'json' },
  metadata: { team: 'search' },
  stream: false,
};

function events(text: string): Array<Record<string, unknown> & { type: string }> {
  const p = createSseParser();
  return [...p.push(text), ...p.flush()].map((e) => JSON.parse(e.data) as Record<string, unknown> & { type: string });
}

describe('registry', () => {
  it('serves every client format; the Responses codec also has a provider half but stays out of the shared provider formats', () => {
    expect(Object.keys(clientCodecs).sort()).toEqual([...CLIENT_WIRE_FORMATS].sort());
    for (const f of CLIENT_WIRE_FORMATS) expect(clientCodecs[f].format).toBe(f);
    expect(Object.keys(codecs).sort()).toEqual([...WIRE_FORMATS].sort());
    expect('openai-responses' in codecs).toBe(false);
    expect('encodeRequest' in codec).toBe(true);
  });
});

describe('response object', () => {
  it('is a Responses `response` with a message and a function_call item, usage and the request echoed', () => {
    expect(codec.encodeResponse(RES, 'via-anthropic', REQ)).toEqual({
      id: 'resp_msg_01',
      object: 'response',
      created_at: 1_760_000_000,
      status: 'completed',
      error: null,
      incomplete_details: null,
      model: 'via-anthropic',
      output: [
        {
          id: 'msg_msg_01_0',
          type: 'message',
          status: 'completed',
          role: 'assistant',
          content: [{ type: 'output_text', text: 'Let me check.', annotations: [], logprobs: [] }],
        },
        {
          id: 'fc_msg_01_1',
          type: 'function_call',
          status: 'completed',
          call_id: 'toolu_1',
          name: 'get_weather',
          arguments: '{"city":"Paris"}',
        },
      ],
      output_text: 'Let me check.',
      usage: {
        input_tokens: 120,
        input_tokens_details: { cached_tokens: 100 },
        output_tokens: 30,
        output_tokens_details: { reasoning_tokens: 0 },
        total_tokens: 150,
      },
      instructions: 'Be brief.',
      max_output_tokens: 500,
      metadata: { team: 'search' },
      parallel_tool_calls: true,
      previous_response_id: null,
      tools: [
        {
          type: 'function',
          name: 'get_weather',
          description: 'Look up the weather',
          parameters: { type: 'object', properties: { city: { type: 'string' } } },
          strict: null,
        },
      ],
      tool_choice: 'required',
      temperature: 0.3,
      top_p: null,
      text: { format: { type: 'json_object' } },
      truncation: 'disabled',
      background: false,
      store: false,
    });
  });

  it('an answer cut at the token limit is incomplete, and so is its last item', () => {
    const out = codec.encodeResponse(
      { ...RES, content: [{ type: 'text', text: 'Once upon a' }], stopReason: 'max_tokens' },
      'r',
    ) as {
      status: string;
      incomplete_details: unknown;
      output: Array<{ status: string }>;
    };
    expect(out.status).toBe('incomplete');
    expect(out.incomplete_details).toEqual({ reason: 'max_output_tokens' });
    expect(out.output[0]?.status).toBe('incomplete');
  });

  it('a provider-side failure stop is a failed response with an error', () => {
    const out = codec.encodeResponse({ ...RES, stopReason: 'error' }, 'r') as { status: string; error: unknown };
    expect(out.status).toBe('failed');
    expect(out.error).toEqual({ code: 'server_error', message: 'the model ended its answer with an error' });
  });

  it('errors use the OpenAI error body the SDK parses', () => {
    const e: ModelpinError = new RequestError('route_not_found', 'unknown route "nope"', { status: 404 });
    expect(codec.encodeError(e)).toEqual({
      status: 404,
      headers: {},
      body: {
        error: { message: 'unknown route "nope"', type: 'invalid_request_error', param: null, code: 'route_not_found' },
      },
    });
  });
});

describe('stream events', () => {
  it('follow the documented sequence for a text item and a function call', () => {
    const enc = codec.createStreamEncoder('via-anthropic', { request: REQ });
    const evs = events(
      responseToEvents(RES, 5)
        .map((e) => enc.encode(e))
        .join('') + enc.end(),
    );
    expect(evs.map((e) => e.type)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.output_item.added',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(evs[0]).toMatchObject({
      sequence_number: 0,
      response: { id: 'resp_msg_01', status: 'in_progress', output: [], usage: null, instructions: 'Be brief.' },
    });
    expect(evs[0]?.response).not.toHaveProperty('output_text');
    expect(evs[2]).toEqual({
      type: 'response.output_item.added',
      sequence_number: 2,
      output_index: 0,
      item: { id: 'msg_msg_01_0', type: 'message', status: 'in_progress', role: 'assistant', content: [] },
    });
    expect(evs[4]).toEqual({
      type: 'response.output_text.delta',
      sequence_number: 4,
      item_id: 'msg_msg_01_0',
      output_index: 0,
      content_index: 0,
      delta: 'Let m',
      logprobs: [],
    });
    expect(evs[10]).toMatchObject({
      output_index: 1,
      item: { type: 'function_call', call_id: 'toolu_1', name: 'get_weather', arguments: '', status: 'in_progress' },
    });
    expect(evs[15]).toMatchObject({ item_id: 'fc_msg_01_1', name: 'get_weather', arguments: '{"city":"Paris"}' });
    expect(evs.at(-1)?.response).toEqual(codec.encodeResponse(RES, 'via-anthropic', REQ));
  });

  it('ends without a [DONE] sentinel', () => {
    expect(codec.createStreamEncoder('m').end()).toBe('');
  });

  it('a content-filtered answer ends with response.incomplete', () => {
    const enc = codec.createStreamEncoder('m');
    const evs = events(
      responseToEvents({ ...RES, stopReason: 'content_filter' })
        .map((e) => enc.encode(e))
        .join(''),
    );
    expect(evs.at(-1)).toMatchObject({
      type: 'response.incomplete',
      response: { status: 'incomplete', incomplete_details: { reason: 'content_filter' } },
    });
  });
});
