import { describe, expect, it } from 'vitest';
import { ModelpinError, RequestError, UnsupportedError } from '../../../src/core/errors.js';
import { clientCodecs } from '../../../src/wire/registry.js';

const codec = clientCodecs['openai-responses'];

function decodeError(body: unknown): ModelpinError {
  try {
    codec.decodeRequest(body);
  } catch (e) {
    if (e instanceof ModelpinError) return e;
    throw e;
  }
  throw new Error('expected decodeRequest to throw');
}

describe('Responses request -> canonical', () => {
  it('a string input is one user message; instructions become the system prompt', () => {
    expect(codec.decodeRequest({ model: 'summarize', input: 'Hi', instructions: 'Be brief.' })).toEqual({
      model: 'summarize',
      system: 'Be brief.',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }],
      stream: false,
    });
  });

  it('maps sampling, limits, format, tools, tool choice, metadata and the end user', () => {
    const req = codec.decodeRequest({
      model: 'r',
      input: [{ role: 'user', content: 'Weather in Paris?' }],
      temperature: 0.2,
      top_p: 0.9,
      max_output_tokens: 300,
      parallel_tool_calls: false,
      tools: [
        {
          type: 'function',
          name: 'get_weather',
          description: 'Look it up',
          parameters: { type: 'object', properties: { city: { type: 'string' } } },
          strict: true,
        },
      ],
      tool_choice: { type: 'function', name: 'get_weather' },
      text: { format: { type: 'json_schema', name: 'w', schema: { type: 'object' }, strict: true } },
      metadata: { team: 'search' },
      safety_identifier: 'user-42',
      stream: true,
      store: false,
      stream_options: { include_obfuscation: false },
    });
    expect(req).toEqual({
      model: 'r',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Weather in Paris?' }] }],
      stream: true,
      temperature: 0.2,
      topP: 0.9,
      maxTokens: 300,
      parallelToolCalls: false,
      tools: [
        {
          name: 'get_weather',
          description: 'Look it up',
          inputSchema: { type: 'object', properties: { city: { type: 'string' } } },
          strict: true,
        },
      ],
      toolChoice: { type: 'tool', name: 'get_weather' },
      responseFormat: { type: 'json_schema', name: 'w', schema: { type: 'object' }, strict: true },
      metadata: { team: 'search', user_id: 'user-42' },
    });
  });

  it.each([
    ['auto', { type: 'auto' }],
    ['none', { type: 'none' }],
    ['required', { type: 'any' }],
  ] as const)('tool_choice %s', (choice, want) => {
    expect(codec.decodeRequest({ model: 'r', input: 'x', tool_choice: choice }).toolChoice).toEqual(want);
  });

  it('json_object is canonical json mode; text is plain text', () => {
    expect(
      codec.decodeRequest({ model: 'r', input: 'x', text: { format: { type: 'json_object' } } }).responseFormat,
    ).toEqual({ type: 'json' });
    expect(codec.decodeRequest({ model: 'r', input: 'x', text: { format: { type: 'text' } } }).responseFormat).toEqual({
      type: 'text',
    });
  });

  it('a function-calling round trip: output items sent back become one assistant turn, outputs one user turn of tool results', () => {
    const req = codec.decodeRequest({
      model: 'r',
      input: [
        { type: 'message', role: 'developer', content: [{ type: 'input_text', text: 'Use tools.' }] },
        {
          role: 'user',
          content: [
            { type: 'input_text', text: 'Weather in Paris and Rome?' },
            { type: 'input_image', image_url: 'data:image/png;base64,AAAA', detail: 'low' },
          ],
        },
        {
          id: 'msg_1',
          type: 'message',
          role: 'assistant',
          status: 'completed',
          content: [{ type: 'output_text', text: 'Checking.', annotations: [] }],
        },
        {
          id: 'fc_1',
          type: 'function_call',
          status: 'completed',
          call_id: 'call_a',
          name: 'get_weather',
          arguments: '{"city":"Paris"}',
        },
        { type: 'function_call', call_id: 'call_b', name: 'get_weather', arguments: '{"city":"Rome"}' },
        { type: 'function_call_output', call_id: 'call_a', output: 'sunny' },
        { type: 'function_call_output', call_id: 'call_b', output: [{ type: 'input_text', text: 'rain' }] },
        { role: 'user', content: 'Thanks' },
      ],
    });
    expect(req.system).toBe('Use tools.');
    expect(req.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Weather in Paris and Rome?' },
          { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'AAAA' } },
        ],
      },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Checking.' },
          { type: 'tool_use', id: 'call_a', name: 'get_weather', input: { city: 'Paris' } },
          { type: 'tool_use', id: 'call_b', name: 'get_weather', input: { city: 'Rome' } },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', toolUseId: 'call_a', name: 'get_weather', content: [{ type: 'text', text: 'sunny' }] },
          { type: 'tool_result', toolUseId: 'call_b', name: 'get_weather', content: [{ type: 'text', text: 'rain' }] },
        ],
      },
      { role: 'user', content: [{ type: 'text', text: 'Thanks' }] },
    ]);
  });

  it('an image URL stays a URL', () => {
    const req = codec.decodeRequest({
      model: 'r',
      input: [{ role: 'user', content: [{ type: 'input_image', image_url: 'https://example.com/cat.png' }] }],
    });
    expect(req.messages[0]?.content).toEqual([
      { type: 'image', source: { kind: 'url', url: 'https://example.com/cat.png' } },
    ]);
  });

  it('harmless values of refused fields are accepted: store false, include [], truncation disabled, service_tier auto', () => {
    const req = codec.decodeRequest({
      model: 'r',
      input: 'x',
      store: false,
      include: [],
      truncation: 'disabled',
      service_tier: 'auto',
      previous_response_id: null,
      reasoning: null,
      background: false,
    });
    expect(req.messages).toHaveLength(1);
  });
});

describe('fields the canonical model cannot carry are refused by name (400), never dropped', () => {
  it.each([
    [{ previous_response_id: 'resp_123' }, 'previous_response_id', /keeps no conversation state/],
    [{ conversation: 'conv_1' }, 'conversation', /keeps no conversation state/],
    [{ store: true }, 'store', /does not store responses/],
    [{ background: true }, 'background', /stored state/],
    [{ include: ['reasoning.encrypted_content'] }, 'include', /built-in tools/],
    [{ reasoning: { effort: 'low', summary: 'auto' } }, 'reasoning.summary', /reasoning summaries/],
    [{ truncation: 'auto' }, 'truncation', /disabled/],
    [{ service_tier: 'flex' }, 'service_tier', /OpenAI/],
    [{ prompt: { id: 'pmpt_1' } }, 'prompt', /prompt templates/],
    [{ prompt_cache_key: 'k' }, 'prompt_cache_key', /cache/],
    [{ tools: [{ type: 'web_search' }] }, 'tools[0].type', /web_search is a tool OpenAI runs itself/],
    [
      { tools: [{ type: 'function', name: 'f', parameters: {}, strict: true, defer_loading: true }] },
      'tools[0].defer_loading',
      /tool_search/,
    ],
    [{ tool_choice: { type: 'file_search' } }, 'tool_choice.type', /built-in tool/],
    [{ text: { verbosity: 'low' } }, 'text.verbosity', /verbosity/],
    [{ user: 'a', safety_identifier: 'b' }, 'user', /differ/],
    [{ input: [{ type: 'reasoning', id: 'rs_1', summary: [] }] }, 'input[0].type', /reasoning items are not supported/],
    [{ input: [{ type: 'item_reference', id: 'msg_1' }] }, 'input[0].type', /item_reference items/],
    [{ input: [{ type: 'web_search_call', id: 'ws_1', status: 'completed' }] }, 'input[0].type', /web_search_call/],
    [
      { input: [{ role: 'user', content: [{ type: 'input_file', file_id: 'file_1' }] }] },
      'input[0].content[0].type',
      /file inputs/,
    ],
    [
      { input: [{ role: 'user', content: [{ type: 'input_image', file_id: 'file_1' }] }] },
      'input[0].content[0].file_id',
      /uploaded files/,
    ],
    [
      { input: [{ role: 'assistant', content: [{ type: 'refusal', refusal: 'no' }] }] },
      'input[0].content[0].type',
      /refusal/,
    ],
    [
      {
        input: [
          { role: 'user', content: 'x' },
          { role: 'system', content: 'late' },
        ],
      },
      'input[1]',
      /after the conversation started/,
    ],
  ] as const)('%j refuses %s', (extra, field, why) => {
    const e = decodeError({ model: 'r', input: 'x', ...extra });
    expect(e).toBeInstanceOf(UnsupportedError);
    expect(e.status).toBe(400);
    expect(e.details?.param).toBe(field);
    expect(e.message.startsWith(`${field}: `)).toBe(true);
    expect(e.message).toMatch(why);
    // The OpenAI error body names the field as `param`, which the SDK exposes as `err.param`.
    expect(codec.encodeError(e)).toMatchObject({
      status: 400,
      body: { error: { type: 'invalid_request_error', param: field, code: 'unsupported' } },
    });
  });
});

describe('malformed requests: RequestError 400 naming the path', () => {
  it.each([
    [{ input: 'x' }, 'model: required'],
    [{ model: 'r' }, 'input: required'],
    [{ model: 'r', input: [] }, 'input'],
    [{ model: 'r', input: 'x', temperature: 3 }, 'temperature'],
    [{ model: 'r', input: 'x', max_output_tokens: 0 }, 'max_output_tokens'],
    [{ model: 'r', input: 'x', messages: [] }, 'messages: unknown field'],
    [{ model: 'r', input: [{ role: 'robot', content: 'x' }] }, 'input[0].role: expected one of'],
    [{ model: 'r', input: [{ type: 'bogus' }] }, 'input[0].type: expected one of'],
    [
      { model: 'r', input: [{ role: 'user', content: [{ type: 'input_text', text: 5 }] }] },
      'input[0].content[0].text: expected string, received number',
    ],
    [
      { model: 'r', input: [{ role: 'user', content: [{ type: 'input_image' }] }] },
      'input[0].content[0].image_url: required',
    ],
    [
      { model: 'r', input: [{ type: 'function_call', call_id: 'c', name: 'f', arguments: '[1' }] },
      'input[0].arguments: expected a JSON object',
    ],
    [{ model: 'r', input: [{ role: 'system', content: 'only a system prompt' }] }, 'input: expected at least one item'],
    [{ model: 'r', input: 'x', tool_choice: { type: 'function' } }, 'tool_choice.name: required'],
    [{ model: 'r', input: 'x', tools: [{ type: 'function' }] }, 'tools[0].name: required'],
    ['not an object', 'body: expected object'],
  ] as const)('%j', (body, message) => {
    const e = decodeError(body);
    expect(e).toBeInstanceOf(RequestError);
    expect(e.code).toBe('bad_request');
    expect(e.status).toBe(400);
    expect(e.message.startsWith(message)).toBe(true);
  });
});
