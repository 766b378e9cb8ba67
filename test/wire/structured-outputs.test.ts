/** Structured outputs and strict tools between formats, as the encoders translate them per target model. */
import { describe, expect, it } from 'vitest';
import { RequestError, UnsupportedError } from '../../src/core/errors.js';
import type { CanonicalRequest, StreamEvent } from '../../src/wire/canonical.js';
import type { ModelCapabilities } from '../../src/wire/capabilities.js';
import { checkRequestFields } from '../../src/wire/field-check.js';
import { codecs, clientCodecs } from '../../src/wire/registry.js';
import { answerFromTool, answerToolEvents } from '../../src/wire/shared/answer-tool.js';
import { loadCatalog, capabilitiesOf } from '../../src/catalog/catalog.js';

const CONTACT = {
  type: 'object',
  properties: { name: { type: 'string' }, email: { type: 'string', format: 'email' } },
  required: ['name', 'email'],
};
const base: CanonicalRequest = {
  model: 'r',
  messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }],
  stream: false,
};
const withSchema = (schema: Record<string, unknown>, extra: object = {}): CanonicalRequest => ({
  ...base,
  responseFormat: { type: 'json_schema', name: 'contact', schema, strict: true, ...extra },
});
const NO_SO: ModelCapabilities = { structuredOutput: { jsonSchema: false, jsonMode: false, strictTools: false } };

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a throw');
}

describe('OpenAI json_schema -> Anthropic output_config.format', () => {
  it('sends the schema, closing objects with additionalProperties: false', () => {
    const { body, answerTool } = codecs.anthropic.encodeRequest(withSchema(CONTACT), 'claude-sonnet-4-5-20250929');
    expect(answerTool).toBeUndefined();
    expect(body.output_config).toEqual({
      format: { type: 'json_schema', schema: { ...CONTACT, additionalProperties: false } },
    });
  });

  it('folds the description into the schema, and refuses a second one', () => {
    const { body } = codecs.anthropic.encodeRequest(withSchema(CONTACT, { description: 'A contact' }), 'claude-x');
    expect((body.output_config as { format: { schema: { description: string } } }).format.schema.description).toBe(
      'A contact',
    );
    expect(() =>
      codecs.anthropic.encodeRequest(
        withSchema({ ...CONTACT, description: 'other' }, { description: 'A contact' }),
        'claude-x',
      ),
    ).toThrow(/json_schema.description/);
  });

  it.each([
    [{ type: 'object', properties: { age: { type: 'integer', minimum: 0 } } }, 'minimum', '.properties.age'],
    [
      { type: 'object', properties: { tags: { type: 'array', items: { type: 'string' }, minItems: 2 } } },
      'minItems',
      '.properties.tags',
    ],
    [{ type: 'object', properties: { a: { type: 'string' } }, additionalProperties: true }, 'additionalProperties', ''],
    [{ type: 'object' }, 'type', ''],
    [{ type: 'object', properties: { a: { type: 'string', format: 'idn-email' } } }, 'format', '.properties.a'],
    [{ type: 'object', properties: { a: { not: { type: 'string' } } } }, 'not', '.properties.a'],
  ])('refuses %j naming %s, the path, the model and the format', (schema, keyword, path) => {
    const e = thrown(() => codecs.anthropic.encodeRequest(withSchema(schema), 'claude-opus-4-6'));
    expect(e).toBeInstanceOf(UnsupportedError);
    expect(e.message).toContain(`response_format.schema${path}: schema keyword "${keyword}"`);
    expect(e.message).toContain('claude-opus-4-6 (anthropic)');
  });

  it('a model without structured outputs: a best-effort schema goes through a forced tool, a strict one is refused', () => {
    const loose = { ...base, responseFormat: { type: 'json_schema' as const, schema: CONTACT } };
    const enc = codecs.anthropic.encodeRequest(loose, 'claude-3-5-sonnet-20241022', { capabilities: NO_SO });
    expect(enc.answerTool).toBe('json_answer');
    expect(enc.body.tool_choice).toEqual({ type: 'tool', name: 'json_answer' });
    expect(enc.body.tools).toEqual([expect.objectContaining({ name: 'json_answer', input_schema: CONTACT })]);
    expect(enc.body.output_config).toBeUndefined();
    expect(() =>
      codecs.anthropic.encodeRequest(withSchema(CONTACT), 'claude-3-5-sonnet-20241022', { capabilities: NO_SO }),
    ).toThrow(/claude-3-5-sonnet-20241022 \(anthropic\)/);
  });

  it('json_object maps to a forced tool with the permissive object schema, and needs the tool slot', () => {
    const enc = codecs.anthropic.encodeRequest({ ...base, responseFormat: { type: 'json' } }, 'claude-x');
    expect(enc.answerTool).toBe('json_answer');
    expect(enc.body.tools).toEqual([expect.objectContaining({ input_schema: { type: 'object' } })]);
    const withTools: CanonicalRequest = {
      ...base,
      responseFormat: { type: 'json' },
      tools: [{ name: 'f', inputSchema: { type: 'object' } }],
    };
    expect(() => codecs.anthropic.encodeRequest(withTools, 'claude-x')).toThrow(/forced tool/);
  });

  it('strict tools carry strict: true, checked against the same subset and the model', () => {
    const req: CanonicalRequest = {
      ...base,
      tools: [{ name: 'f', inputSchema: { type: 'object', properties: { a: { type: 'string' } } }, strict: true }],
    };
    const { body } = codecs.anthropic.encodeRequest(req, 'claude-x');
    expect(body.tools).toEqual([
      {
        name: 'f',
        input_schema: { type: 'object', properties: { a: { type: 'string' } }, additionalProperties: false },
        strict: true,
      },
    ]);
    expect(() => codecs.anthropic.encodeRequest(req, 'claude-3-haiku-20240307', { capabilities: NO_SO })).toThrow(
      /tools\[0\]\.strict/,
    );
  });
});

describe('-> Gemini responseJsonSchema', () => {
  it('sends the schema with the JSON MIME type; const becomes a one-value enum', () => {
    const schema = {
      type: 'object',
      properties: { kind: { const: 'contact' }, name: { type: 'string' } },
      required: ['kind'],
    };
    const { body } = codecs.gemini.encodeRequest(withSchema(schema), 'gemini-2.5-flash');
    expect(body.generationConfig).toEqual({
      responseMimeType: 'application/json',
      responseJsonSchema: {
        type: 'object',
        properties: { kind: { enum: ['contact'] }, name: { type: 'string' } },
        required: ['kind'],
      },
    });
  });

  it('refuses a keyword outside the documented subset, and a model without schemas', () => {
    expect(() =>
      codecs.gemini.encodeRequest(
        withSchema({ type: 'object', properties: { a: { type: 'string', minLength: 2 } } }),
        'gemini-2.5-flash',
      ),
    ).toThrow(
      /response_format.schema.properties.a: schema keyword "minLength" cannot be sent to gemini-2.5-flash \(gemini\)/,
    );
    expect(() =>
      codecs.gemini.encodeRequest(withSchema(CONTACT), 'gemini-1.5-pro', {
        capabilities: { structuredOutput: { jsonSchema: false, jsonMode: true } },
      }),
    ).toThrow(/gemini-1.5-pro has no response schemas/);
  });

  it('strict tools switch the call to mode VALIDATED (auto) or keep ANY', () => {
    const tools = [{ name: 'f', inputSchema: { type: 'object', properties: {} }, strict: true }];
    expect(codecs.gemini.encodeRequest({ ...base, tools }, 'gemini-2.5-flash').body.toolConfig).toEqual({
      functionCallingConfig: { mode: 'VALIDATED' },
    });
    expect(
      codecs.gemini.encodeRequest({ ...base, tools, toolChoice: { type: 'any' } }, 'gemini-2.5-flash').body.toolConfig,
    ).toEqual({ functionCallingConfig: { mode: 'ANY' } });
    expect(
      codecs.gemini.encodeRequest({ ...base, tools: [{ ...tools[0]!, strict: false }] }, 'gemini-2.5-flash').body
        .toolConfig,
    ).toBeUndefined();
  });
});

describe('client formats -> canonical', () => {
  it('Anthropic output_config.format is a strict schema; Gemini VALIDATED makes tools strict; OpenAI strict tools stay strict', () => {
    const a = clientCodecs.anthropic.decodeRequest({
      model: 'm',
      max_tokens: 5,
      messages: [{ role: 'user', content: 'x' }],
      output_config: { format: { type: 'json_schema', schema: CONTACT } },
    });
    expect(a.responseFormat).toEqual({ type: 'json_schema', schema: CONTACT, strict: true });
    const g = clientCodecs.gemini.decodeRequest(
      {
        contents: [{ parts: [{ text: 'x' }] }],
        tools: [{ functionDeclarations: [{ name: 'f', parametersJsonSchema: { type: 'object' } }] }],
        toolConfig: { functionCallingConfig: { mode: 'VALIDATED' } },
      },
      { pathModel: 'm' },
    );
    expect(g.tools?.[0]?.strict).toBe(true);
    expect(g.toolChoice).toEqual({ type: 'auto' });
    const o = clientCodecs.openai.decodeRequest({
      model: 'm',
      messages: [{ role: 'user', content: 'x' }],
      tools: [{ type: 'function', function: { name: 'f', parameters: {}, strict: true } }],
    });
    expect(o.tools?.[0]?.strict).toBe(true);
  });

  it('Gemini responseSchema (OpenAPI dialect) becomes JSON Schema, propertyOrdering becomes property order', () => {
    const g = clientCodecs.gemini.decodeRequest(
      {
        contents: [{ parts: [{ text: 'x' }] }],
        generationConfig: {
          responseMimeType: 'application/json',
          responseSchema: {
            type: 'OBJECT',
            properties: {
              b: { type: 'STRING', nullable: true },
              a: { type: 'ARRAY', items: { type: 'INTEGER' }, maxItems: '3' },
            },
            propertyOrdering: ['a', 'b'],
          },
        },
      },
      { pathModel: 'm' },
    );
    expect(g.responseFormat).toEqual({
      type: 'json_schema',
      strict: true,
      schema: {
        type: 'object',
        properties: { a: { type: 'array', items: { type: 'integer' }, maxItems: 3 }, b: { type: ['string', 'null'] } },
      },
    });
    const rf = g.responseFormat?.type === 'json_schema' ? g.responseFormat : undefined;
    expect(Object.keys(rf?.schema.properties as object)).toEqual(['a', 'b']);
  });
});

describe('field tables', () => {
  it('an unknown field is a RequestError naming it; a refused one an UnsupportedError; passthrough depends on the path', () => {
    expect(thrown(() => checkRequestFields('anthropic', { model: 'm', nope: 1 }))).toBeInstanceOf(RequestError);
    expect(thrown(() => checkRequestFields('anthropic', { output_config: { nope: 1 } })).message).toMatch(
      /^output_config\.nope: unknown field/,
    );
    expect(thrown(() => checkRequestFields('openai', { functions: [{ name: 'f' }] }))).toBeInstanceOf(UnsupportedError);
    // Reasoning settings are translated; only the Responses parts with no counterpart stay refused.
    expect(() => checkRequestFields('openai', { reasoning_effort: 'low' })).not.toThrow();
    expect(() =>
      checkRequestFields('openai-responses', { reasoning: { effort: 'low', mode: 'standard' } }),
    ).not.toThrow();
    expect(
      thrown(() => checkRequestFields('openai-responses', { reasoning: { effort: 'low', summary: 'auto' } })).message,
    ).toMatch(/^reasoning\.summary: reasoning summaries/);
    expect(thrown(() => checkRequestFields('openai-responses', { reasoning: { mode: 'pro' } })).message).toMatch(
      /^reasoning\.mode: only the standard mode/,
    );
    expect(() =>
      checkRequestFields('anthropic', {
        thinking: { type: 'enabled', budget_tokens: 2048 },
        output_config: { effort: 'high' },
        cache_control: { type: 'ephemeral' },
      }),
    ).not.toThrow();
    expect(() =>
      checkRequestFields('gemini', { generationConfig: { thinkingConfig: { thinkingBudget: 0 } } }),
    ).not.toThrow();
    expect(thrown(() => checkRequestFields('openai', { logprobs: true })).message).toMatch(
      /^logprobs: .*forwarded unchanged/,
    );
    expect(() => checkRequestFields('openai', { logprobs: true }, 'passthrough')).not.toThrow();
    expect(() => checkRequestFields('openai', { logprobs: false })).not.toThrow();
    expect(() => checkRequestFields('gemini', { generationConfig: { responseModalities: ['TEXT'] } })).not.toThrow();
  });

  it('fields that used to be accepted and dropped are translated or refused by name', () => {
    const openai = clientCodecs.openai.decodeRequest({
      model: 'm',
      messages: [{ role: 'user', content: 'x' }],
      safety_identifier: 'u1',
    });
    expect(openai.metadata).toEqual({ user_id: 'u1' });
    expect(
      thrown(() =>
        clientCodecs.openai.decodeRequest({
          model: 'm',
          messages: [{ role: 'user', content: 'x' }],
          prompt_cache_key: 'k',
        }),
      ).message,
    ).toMatch(/^prompt_cache_key/);
    expect(
      clientCodecs.anthropic.decodeRequest({
        model: 'm',
        max_tokens: 5,
        messages: [{ role: 'user', content: 'x' }],
        cache_control: { type: 'ephemeral' },
      }).cacheControl,
    ).toEqual({ type: 'ephemeral' });
    const tool = { name: 'f', input_schema: { type: 'object' }, input_examples: [{ a: 1 }] };
    expect(
      thrown(() =>
        clientCodecs.anthropic.decodeRequest({
          model: 'm',
          max_tokens: 5,
          messages: [{ role: 'user', content: 'x' }],
          tools: [tool],
        }),
      ).message,
    ).toMatch(/^tools\[0\]\.input_examples/);
  });
});

describe('the forced answer tool comes back as text', () => {
  it('whole responses', () => {
    const res = answerFromTool(
      {
        id: 'x',
        model: 'm',
        created: 1,
        usage: { inputTokens: 1, outputTokens: 1 },
        stopReason: 'tool_use',
        content: [{ type: 'tool_use', id: 't', name: 'json_answer', input: { a: 1 } }],
      },
      'json_answer',
    );
    expect(res.content).toEqual([{ type: 'text', text: '{"a":1}' }]);
    expect(res.stopReason).toBe('end_turn');
  });

  it('streams', () => {
    const map = answerToolEvents('json_answer');
    const events: StreamEvent[] = [
      { type: 'tool_call_start', index: 0, id: 't', name: 'json_answer' },
      { type: 'tool_call_delta', index: 0, partialJson: '' },
      { type: 'tool_call_delta', index: 0, partialJson: '{"a":' },
      { type: 'tool_call_delta', index: 0, partialJson: '1}' },
      { type: 'part_end', index: 0 },
      { type: 'finish', stopReason: 'tool_use', usage: { inputTokens: 1, outputTokens: 1 } },
    ];
    expect(events.flatMap(map)).toEqual([
      { type: 'text_delta', index: 0, text: '{"a":' },
      { type: 'text_delta', index: 0, text: '1}' },
      { type: 'part_end', index: 0 },
      { type: 'finish', stopReason: 'end_turn', usage: { inputTokens: 1, outputTokens: 1 } },
    ]);
  });
});

describe('catalog capabilities decide the path', () => {
  const catalog = loadCatalog();
  it.each([
    ['anthropic', 'claude-sonnet-4-5-20250929', true],
    ['anthropic', 'claude-opus-4-6', true],
    ['anthropic', 'claude-3-5-sonnet-20241022', false],
    ['anthropic', 'claude-sonnet-4-20250514', false],
    ['openai', 'gpt-4o-2024-08-06', true],
    ['openai', 'gpt-4-turbo', false],
    ['gemini', 'gemini-2.5-flash', true],
    ['simulator', 'sim-chat-2026-01-15', true],
  ])('%s %s: jsonSchema %s', (provider, model, expected) => {
    expect(capabilitiesOf(catalog, provider, model)?.structuredOutput?.jsonSchema).toBe(expected);
  });

  it('an unknown model has no capabilities, and its request is sent in the GA form (never dropped)', () => {
    expect(capabilitiesOf(catalog, 'anthropic', 'claude-zephyr-9')).toBeUndefined();
    const { body } = codecs.anthropic.encodeRequest(
      withSchema({ type: 'object', properties: { a: { type: 'string' } } }),
      'claude-zephyr-9',
      {},
    );
    expect(body.output_config).toBeDefined();
  });
});
