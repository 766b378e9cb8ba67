/** Payloads written from the providers' documented examples decode to the expected canonical values. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { assembleStream } from '../../src/wire/assemble.js';
import type { StreamEvent, WireFormat } from '../../src/wire/canonical.js';
import { codecs } from '../../src/wire/registry.js';
import { createSseParser } from '../../src/wire/sse.js';

const fixture = (name: string): string => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const json = (name: string): unknown => JSON.parse(fixture(name)) as unknown;

function decodeStream(format: WireFormat, name: string): StreamEvent[] {
  const parser = createSseParser();
  const dec = codecs[format].createStreamDecoder();
  const text = fixture(name);
  return [...parser.push(text), ...parser.flush()].flatMap((e) => dec.decode(e));
}

describe('OpenAI documented payloads', () => {
  it('chat.completion with cached tokens and system_fingerprint', () => {
    const r = codecs.openai.decodeResponse(json('openai-chat-completion.json'), { 'x-request-id': 'req_123' });
    expect(r).toEqual({
      id: 'chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT',
      model: 'gpt-4o-2024-08-06',
      content: [{ type: 'text', text: 'Hello! How can I assist you today?' }],
      stopReason: 'end_turn',
      usage: { inputTokens: 1117, outputTokens: 10, cachedInputTokens: 1024 },
      systemFingerprint: 'fp_fc9f1d7035',
      providerRequestId: 'req_123',
      created: 1741569952,
    });
  });

  it('tool calls', () => {
    const r = codecs.openai.decodeResponse(json('openai-chat-completion-tools.json'));
    expect(r.content).toEqual([
      { type: 'tool_use', id: 'call_abc123', name: 'get_current_weather', input: { location: 'Boston, MA' } },
    ]);
    expect(r.stopReason).toBe('tool_use');
    expect(r.providerRequestId).toBe('chatcmpl-abc123');
  });

  it('chunk stream with tool_calls deltas, finish chunk, usage chunk and [DONE]', () => {
    const events = decodeStream('openai', 'openai-stream-tools.sse');
    expect(events[0]).toEqual({
      type: 'start',
      id: 'chatcmpl-123',
      model: 'gpt-4o-mini-2024-07-18',
      created: 1694268190,
      systemFingerprint: 'fp_44709d6fcb',
    });
    expect(events.at(-1)).toEqual({
      type: 'finish',
      stopReason: 'tool_use',
      usage: { inputTokens: 60, outputTokens: 18, cachedInputTokens: 0 },
      systemFingerprint: 'fp_44709d6fcb',
    });
    const r = assembleStream(events);
    expect(r.content).toEqual([
      { type: 'text', text: 'Let me check.' },
      {
        type: 'tool_use',
        id: 'call_DdmO9pD3xa9XTPNJ32zg2hcA',
        name: 'get_weather',
        input: { location: 'Paris, France' },
      },
    ]);
  });

  it('client request: developer message, images (url + data URL), tool round, json_schema, stream usage, user', () => {
    const r = codecs.openai.decodeRequest(json('openai-request.json'));
    expect(r.system).toBe('You are a helpful assistant.');
    expect(r.messages[0]?.content[1]).toEqual({
      type: 'image',
      source: { kind: 'url', url: expect.stringContaining('wikimedia') as string },
    });
    expect(r.messages[0]?.content[2]).toEqual({
      type: 'image',
      source: { kind: 'base64', mediaType: 'image/png', data: 'iVBORw0KGgo=' },
    });
    expect(r.messages[2]).toEqual({
      role: 'user',
      content: [
        {
          type: 'tool_result',
          toolUseId: 'call_1',
          name: 'get_weather',
          content: [{ type: 'text', text: 'sunny, 21C' }],
        },
      ],
    });
    expect(r.responseFormat).toMatchObject({ type: 'json_schema', name: 'answer', strict: true });
    expect([r.stream, r.streamUsage, r.stop, r.maxTokens, r.metadata]).toEqual([
      true,
      true,
      ['END'],
      300,
      { user_id: 'user-1234' },
    ]);
    // The same request for Gemini: the data-URL image travels, the web URL cannot.
    expect(() => codecs.gemini.encodeRequest({ ...r, metadata: undefined }, 'gemini-2.5-flash')).toThrow(/image url/);
  });
});

describe('Anthropic documented payloads', () => {
  it('message with tool_use and cache usage', () => {
    const r = codecs.anthropic.decodeResponse(json('anthropic-message.json'), {
      'request-id': 'req_018EeWyXxfu5pfWkrYcMdjWG',
    });
    expect(r.content[1]).toEqual({
      type: 'tool_use',
      id: 'toolu_01A09q90qw90lq917835lq9',
      name: 'get_weather',
      input: { location: 'San Francisco, CA', unit: 'celsius' },
    });
    expect(r.stopReason).toBe('tool_use');
    expect(r.usage).toEqual({
      inputTokens: 2095 + 120 + 1800,
      outputTokens: 503,
      cachedInputTokens: 1800,
      cacheCreationInputTokens: 120,
    });
    expect(r.providerRequestId).toBe('req_018EeWyXxfu5pfWkrYcMdjWG');
    expect(r.model).toBe('claude-sonnet-4-20250514');
  });

  it('streaming example with ping, text and input_json_delta', () => {
    const events = decodeStream('anthropic', 'anthropic-stream.sse');
    expect(events[0]).toMatchObject({ type: 'start', id: 'msg_014p7gG3wDgGV9EUtLvnow3U', inputTokens: 472 });
    const r = assembleStream(events);
    expect(r.content).toEqual([
      { type: 'text', text: "Okay, let's check the weather for San Francisco, CA:" },
      {
        type: 'tool_use',
        id: 'toolu_01T1x1fJ34qAmk2tNTrN7Up6',
        name: 'get_weather',
        input: { location: 'San Francisco, CA', unit: 'fahrenheit' },
      },
    ]);
    expect([r.stopReason, r.usage]).toEqual(['tool_use', { inputTokens: 472, outputTokens: 89 }]);
  });

  it('client request: system blocks, base64 + url images, tool round, parallel off, top_k, metadata', () => {
    const r = codecs.anthropic.decodeRequest(json('anthropic-request.json'));
    expect(r.system).toBe('You are a weather bot.');
    expect(r.messages[0]?.content.map((p) => p.type)).toEqual(['image', 'image', 'text']);
    expect(r.messages[2]?.content[0]).toEqual({
      type: 'tool_result',
      toolUseId: 'toolu_01A09q90qw90lq917835lq9',
      name: 'get_weather',
      content: [{ type: 'text', text: '15 degrees' }],
      isError: false,
    });
    expect([r.toolChoice, r.parallelToolCalls, r.topK, r.maxTokens, r.metadata]).toEqual([
      { type: 'auto' },
      false,
      40,
      1024,
      { user_id: '13803d75-b4b5-4c3e-b2a2-6f21399b021b' },
    ]);
    // Translating to OpenAI keeps the parallel-call limit but cannot carry top_k.
    expect(() => codecs.openai.encodeRequest(r, 'gpt-4o')).toThrow(/top_k/);
  });
});

describe('Gemini documented payloads', () => {
  it('GenerateContentResponse: modelVersion, responseId, cached and thinking tokens', () => {
    const r = codecs.gemini.decodeResponse(json('gemini-response.json'));
    expect(r).toEqual({
      id: 'mAitaLmkHPPlz7IPvtfUqQ4',
      model: 'gemini-2.5-flash',
      content: [{ type: 'text', text: 'The capital of France is Paris.' }],
      stopReason: 'end_turn',
      // Gemini counts thoughts beside the answer: 8 answer + 32 thought tokens are 40 output tokens, 32 of them reasoning.
      usage: { inputTokens: 1210, outputTokens: 40, cachedInputTokens: 1024, reasoningTokens: 32 },
      providerRequestId: 'mAitaLmkHPPlz7IPvtfUqQ4',
      created: 0,
    });
  });

  it('alt=sse stream: text chunks, a whole functionCall, finishReason + usage', () => {
    const events = decodeStream('gemini', 'gemini-stream.sse');
    expect(events[0]).toMatchObject({
      type: 'start',
      id: 'x2ZjaOfDLJ2-1PIPsemA2AU',
      model: 'gemini-2.0-flash-001',
      inputTokens: 9,
    });
    const r = assembleStream(events);
    expect(r.content).toEqual([
      { type: 'text', text: 'The weather in Boston is' },
      { type: 'tool_use', id: 'call_0', name: 'get_weather', input: { location: 'Boston, MA' } },
    ]);
    expect([r.stopReason, r.usage]).toEqual(['tool_use', { inputTokens: 9, outputTokens: 12 }]);
  });

  it('client request: model from the path, id-less function call/response paired by name, schema', () => {
    const r = codecs.gemini.decodeRequest(json('gemini-request.json'), { pathModel: 'gemini-2.5-flash', stream: true });
    expect([r.model, r.stream, r.system]).toEqual(['gemini-2.5-flash', true, 'You are a cat. Your name is Neko.']);
    const call = r.messages[1]?.content[0];
    const result = r.messages[2]?.content[0];
    expect(call?.type === 'tool_use' && result?.type === 'tool_result' && call.id === result.toolUseId).toBe(true);
    expect(result).toMatchObject({ name: 'get_weather', content: [{ type: 'text', text: 'sunny' }] });
    expect(r.toolChoice).toEqual({ type: 'tool', name: 'get_weather' });
    // responseSchema is Gemini's OpenAPI dialect: canonical is JSON Schema, and Gemini always enforces it.
    expect(r.responseFormat).toMatchObject({ type: 'json_schema', schema: { type: 'object' }, strict: true });
    expect([r.temperature, r.topP, r.topK, r.maxTokens, r.stop]).toEqual([1, 0.8, 10, 800, ['Title']]);
    // A Gemini schema is always enforced: a Claude model without structured outputs cannot promise that.
    expect(() =>
      codecs.anthropic.encodeRequest(r, 'claude-sonnet-4-20250514', {
        capabilities: { structuredOutput: { jsonSchema: false } },
      }),
    ).toThrow(/response_format/);
  });
});
