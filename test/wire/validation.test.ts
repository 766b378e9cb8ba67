import { describe, expect, it } from 'vitest';
import { ModelpinError, RequestError, UnsupportedError } from '../../src/core/errors.js';
import type { CanonicalRequest, WireFormat } from '../../src/wire/canonical.js';
import { codecs } from '../../src/wire/registry.js';

function requestError(format: WireFormat, body: unknown, ctx = {}): ModelpinError {
  try {
    codecs[format].decodeRequest(body, ctx);
  } catch (e) {
    if (e instanceof ModelpinError) return e;
    throw e;
  }
  throw new Error('expected decodeRequest to throw');
}

describe('malformed client requests: RequestError bad_request naming the path', () => {
  it.each([
    [
      'anthropic',
      { model: 'c', max_tokens: 10, messages: [{ role: 'system', content: 'x' }] },
      'messages[0].role: expected one of user|assistant',
    ],
    ['anthropic', { model: 'c', messages: [{ role: 'user', content: 'x' }] }, 'max_tokens: required'],
    [
      'anthropic',
      { model: 'c', max_tokens: 10, messages: [{ role: 'user', content: [{ type: 'text', text: 5 }] }] },
      'messages[0].content[0].text: expected string, received number',
    ],
    [
      'anthropic',
      { model: 'c', max_tokens: 10, messages: [{ role: 'user', content: [{ type: 'video' }] }] },
      'messages[0].content[0].type: expected one of',
    ],
    [
      'openai',
      { model: 'g', messages: [{ role: 'robot', content: 'x' }] },
      'messages[0].role: expected one of system|developer|user|assistant|tool',
    ],
    ['openai', { messages: [{ role: 'user', content: 'x' }] }, 'model: required'],
    ['openai', { model: 'g', messages: [] }, 'messages'],
    ['openai', { model: 'g', messages: [{ role: 'user', content: 'x' }], temperature: 3 }, 'temperature'],
    [
      'openai',
      {
        model: 'g',
        messages: [
          {
            role: 'assistant',
            content: null,
            tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '[1,2' } }],
          },
        ],
      },
      'messages[0].tool_calls[0].function.arguments: expected a JSON object',
    ],
    ['gemini', { contents: [{ role: 'bot', parts: [] }] }, 'contents[0].role: expected one of user|model|function'],
    ['gemini', { contents: [{ role: 'user', parts: [{ text: 'x' }] }] }, 'model: required'],
    ['openai', 'not an object', 'body: expected object'],
  ] as const)('%s %#', (format, body, message) => {
    const e = requestError(
      format,
      body,
      format === 'gemini' && message !== 'model: required' ? { pathModel: 'gemini-x' } : {},
    );
    expect(e).toBeInstanceOf(RequestError);
    expect(e.code).toBe('bad_request');
    expect(e.status).toBe(400);
    expect(e.message.startsWith(message)).toBe(true);
  });

  it('the error travels in the caller’s own envelope', () => {
    const e = requestError('anthropic', { model: 'c', max_tokens: 10, messages: [{ role: 'system', content: 'x' }] });
    expect(codecs.anthropic.encodeError(e).body).toEqual({
      type: 'error',
      error: { type: 'invalid_request_error', message: 'messages[0].role: expected one of user|assistant' },
    });
  });
});

describe('fields the canonical model cannot carry are refused, not dropped', () => {
  it.each([
    ['openai', { model: 'g', messages: [{ role: 'user', content: 'x' }], n: 2 }, 'n'],
    ['openai', { model: 'g', messages: [{ role: 'user', content: 'x' }], logprobs: true }, 'logprobs'],
    [
      'openai',
      {
        model: 'g',
        messages: [
          { role: 'user', content: 'x' },
          { role: 'system', content: 'late' },
        ],
      },
      'messages[1]',
    ],
    [
      'openai',
      {
        model: 'g',
        messages: [{ role: 'user', content: [{ type: 'input_audio', input_audio: { data: 'x', format: 'wav' } }] }],
      },
      'messages[0].content[0].type',
    ],
    [
      'anthropic',
      { model: 'c', max_tokens: 10, messages: [{ role: 'user', content: [{ type: 'document', source: {} }] }] },
      'messages[0].content[0].type',
    ],
    [
      'gemini',
      {
        contents: [{ parts: [{ text: 'x' }] }],
        safetySettings: [{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_NONE' }],
      },
      'safetySettings',
    ],
    [
      'gemini',
      { contents: [{ parts: [{ text: 'x' }] }], generationConfig: { responseModalities: ['AUDIO'] } },
      'generationConfig.responseModalities',
    ],
    [
      'gemini',
      {
        contents: [
          { parts: [{ fileData: { fileUri: 'https://generativelanguage.googleapis.com/v1beta/files/abc' } }] },
        ],
      },
      'contents[0].parts[0].fileData',
    ],
    ['gemini', { contents: [{ parts: [{ text: 'x' }] }], tools: [{ googleSearch: {} }] }, 'tools[0].googleSearch'],
  ] as const)('%s refuses %s', (format, body, field) => {
    const e = requestError(format, body, { pathModel: 'gemini-x' });
    expect(e).toBeInstanceOf(UnsupportedError);
    expect(e.code).toBe('unsupported');
    expect(e.message.startsWith(`${field}:`)).toBe(true);
  });
});

describe('unsupported translations raise UnsupportedError naming the field', () => {
  const base: CanonicalRequest = {
    model: 'm',
    messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }],
    stream: false,
  };
  const withUrlImage: CanonicalRequest = {
    ...base,
    messages: [
      { role: 'user', content: [{ type: 'image', source: { kind: 'url', url: 'https://example.com/cat.png' } }] },
    ],
  };
  const errorResult: CanonicalRequest = {
    ...base,
    messages: [
      { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'f', input: {} }] },
      {
        role: 'user',
        content: [
          { type: 'tool_result', toolUseId: 't1', name: 'f', content: [{ type: 'text', text: 'boom' }], isError: true },
        ],
      },
    ],
  };
  const orphanResult: CanonicalRequest = {
    ...base,
    messages: [
      { role: 'user', content: [{ type: 'tool_result', toolUseId: 'x', content: [{ type: 'text', text: 'r' }] }] },
    ],
  };

  it.each([
    ['gemini', withUrlImage, 'image url'],
    ['gemini', { ...base, metadata: { user_id: 'u' } }, 'metadata'],
    ['gemini', { ...base, parallelToolCalls: false }, 'parallel_tool_calls'],
    ['gemini', orphanResult, 'tool_result without a function name'],
    ['anthropic', { ...base, responseFormat: { type: 'json_schema', schema: { type: 'object' } } }, 'response_format'],
    ['anthropic', { ...base, seed: 7 }, 'seed'],
    ['anthropic', { ...base, temperature: 1.5 }, 'temperature'],
    ['anthropic', { ...base, metadata: { team: 'x' } }, 'metadata.team'],
    ['openai', { ...base, topK: 5 }, 'top_k'],
    ['openai', errorResult, 'is_error'],
  ] as const)('%s: %s', (format, req, field) => {
    let err: unknown;
    try {
      codecs[format].encodeRequest(req as CanonicalRequest, 'model-x');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UnsupportedError);
    expect((err as UnsupportedError).message).toContain(field);
    expect((err as UnsupportedError).retryable).toBe(false);
  });
});
