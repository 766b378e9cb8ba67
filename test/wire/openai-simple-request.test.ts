import { describe, expect, it } from 'vitest';
import { simpleChatRequest } from '../../src/wire/openai/simple-request.js';
import { ChatRequest } from '../../src/wire/openai/schemas.js';
import { openaiCodec } from '../../src/wire/openai/index.js';
import { checkFields } from '../../src/wire/shared/field-table.js';
import { OPENAI_FIELDS } from '../../src/wire/openai/fields.js';

const base = { model: 'summarize', messages: [{ role: 'user', content: 'hi' }] };

/** Bodies the shortcut takes: the schema accepts each and returns an equal object. */
const common: Array<Record<string, unknown>> = [
  base,
  { ...base, max_tokens: 16 },
  {
    model: 'm',
    messages: [
      { role: 'system', content: 'be brief' },
      { role: 'developer', content: '' },
      { role: 'user', content: 'hi' },
      { role: 'assistant', content: 'hello' },
      { role: 'user', content: 'again' },
    ],
    temperature: 0,
    top_p: 1,
    max_completion_tokens: 100,
    stop: ['\n', 'END'],
    seed: -3,
    presence_penalty: -2,
    frequency_penalty: 2,
    n: 1,
    stream: true,
    stream_options: { include_usage: true, include_obfuscation: null },
    reasoning_effort: 'low',
    user: 'u1',
    safety_identifier: 'u1',
  },
  {
    ...base,
    temperature: null,
    top_p: null,
    max_tokens: null,
    stop: 'x',
    seed: null,
    stream: null,
    stream_options: null,
    reasoning_effort: null,
    safety_identifier: null,
  },
];

/** Bodies just outside the common shape: the shortcut declines, so the field table and zod decide as before. */
const declined: Array<Record<string, unknown>> = [
  { messages: base.messages },
  { model: '', messages: base.messages },
  { model: 'm', messages: [] },
  { ...base, messages: [{ role: 'user', content: 'hi', name: 'bob' }] },
  { ...base, messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }] },
  { ...base, messages: [{ role: 'tool', content: 'x', tool_call_id: 't' }] },
  { ...base, messages: [{ role: 'assistant', content: null }] },
  { ...base, messages: [{ role: 'robot', content: 'x' }] },
  { ...base, temperature: 2.5 },
  { ...base, top_p: -0.1 },
  { ...base, max_tokens: 0 },
  { ...base, max_tokens: 1.5 },
  { ...base, max_tokens: 2 ** 60 },
  { ...base, n: 2 * 0 },
  { ...base, seed: 0.5 },
  { ...base, stream: 'yes' },
  { ...base, stop: [1] },
  { ...base, stream_options: { include_usage: null } },
  { ...base, stream_options: { other: true } },
  { ...base, reasoning_effort: 'extreme' },
  { ...base, user: null },
  { ...base, tools: [] },
  { ...base, logprobs: true },
  { ...base, functions: [] },
  { ...base, unknown_field: 1 },
  { ...base, ['__proto__']: 1 },
];

describe('the common Chat Completions request, recognised without zod', () => {
  it.each(common.map((b, i) => [i, b] as const))(
    'takes common body %i exactly as the field table and the schema would',
    (_i, body) => {
      const taken = simpleChatRequest(body);
      expect(taken).not.toBeNull();
      expect(() => checkFields('openai', OPENAI_FIELDS, body)).not.toThrow();
      expect(taken).toEqual(ChatRequest.parse(body));
    },
  );

  it.each(declined.map((b, i) => [i, b] as const))('declines body %i outside the common shape', (_i, body) => {
    expect(simpleChatRequest(JSON.parse(JSON.stringify(body)))).toBeNull();
  });

  it('still refuses, with the same error, what it declines', () => {
    expect(() => openaiCodec.decodeRequest({ ...base, temperature: 2.5 })).toThrow(/temperature/);
    expect(() => openaiCodec.decodeRequest({ ...base, unknown_field: 1 })).toThrow(/unknown_field: unknown field/);
    expect(() =>
      openaiCodec.decodeRequest({ ...base, messages: [{ role: 'user', content: 'hi', name: 'bob' }] }),
    ).toThrow(/messages\[0\]\.name/);
  });

  it('decodes a common body to the same canonical request as before', () => {
    const body = common[2] as Record<string, unknown>;
    const viaShortcut = openaiCodec.decodeRequest(body);
    // A body the shortcut declines only because of an extra inactive passthrough field takes the full path.
    const viaSchema = openaiCodec.decodeRequest({ ...body, logprobs: false });
    expect(viaShortcut).toEqual(viaSchema);
    expect(viaShortcut).toMatchObject({
      model: 'm',
      system: 'be brief\n\n',
      maxTokens: 100,
      stop: ['\n', 'END'],
      streamUsage: true,
      reasoning: { effort: 'low' },
      metadata: { user_id: 'u1' },
    });
  });
});
