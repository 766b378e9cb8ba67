/** Reasoning settings planned per target model, and thinking parts through each codec's both halves. */
import { describe, expect, it } from 'vitest';
import { UnsupportedError } from '../../src/core/errors.js';
import { assembleStream, responseToEvents } from '../../src/wire/assemble.js';
import type { CanonicalResponse } from '../../src/wire/canonical.js';
import { codecs } from '../../src/wire/registry.js';
import type { ReasoningCapabilities } from '../../src/wire/capabilities.js';
import { effortForBudget, planReasoning } from '../../src/wire/shared/reasoning.js';

const budgetClaude: ReasoningCapabilities = { budget: { min: 1024, max: 64000 } };
const adaptiveClaude: ReasoningCapabilities = { efforts: ['low', 'medium', 'high', 'xhigh', 'max'], adaptive: true };
const gpt5: ReasoningCapabilities = { efforts: ['minimal', 'low', 'medium', 'high'] };
const gemini3: ReasoningCapabilities = { levels: ['low', 'high'], canDisable: false };
const gemini25pro: ReasoningCapabilities = { budget: { min: 128, max: 32768 }, canDisable: false };

describe('planReasoning: the mapping table of docs/wire.md', () => {
  it.each([
    ['effort -> budget', { effort: 'high' }, 'anthropic', budgetClaude, { kind: 'budget', budgetTokens: 4096 }],
    [
      'minimal is raised to the model minimum',
      { effort: 'minimal' },
      'anthropic',
      budgetClaude,
      { kind: 'budget', budgetTokens: 1024 },
    ],
    [
      'effort -> adaptive + effort',
      { effort: 'xhigh' },
      'anthropic',
      adaptiveClaude,
      { kind: 'adaptive', effort: 'xhigh' },
    ],
    [
      'minimal -> the nearest accepted effort above',
      { effort: 'minimal' },
      'anthropic',
      adaptiveClaude,
      { kind: 'adaptive', effort: 'low' },
    ],
    [
      'budget -> effort for an adaptive-only model',
      { budgetTokens: 10_000 },
      'anthropic',
      adaptiveClaude,
      { kind: 'adaptive', effort: 'xhigh' },
    ],
    ['off -> disabled', { effort: 'none' }, 'anthropic', budgetClaude, { kind: 'off' }],
    ['budget -> effort', { budgetTokens: 2048 }, 'openai', gpt5, { kind: 'effort', effort: 'medium' }],
    [
      'xhigh -> the nearest accepted effort below',
      { effort: 'xhigh' },
      'openai',
      gpt5,
      { kind: 'effort', effort: 'high' },
    ],
    [
      'off on a model that cannot stop -> its lowest effort',
      { effort: 'none' },
      'openai',
      gpt5,
      { kind: 'effort', effort: 'minimal' },
    ],
    [
      'unknown OpenAI model: the effort as sent',
      { effort: 'max' },
      'openai',
      undefined,
      { kind: 'effort', effort: 'max' },
    ],
    [
      'effort -> level, nearest accepted',
      { effort: 'medium', includeThoughts: true },
      'gemini',
      gemini3,
      { kind: 'level', level: 'low', includeThoughts: true },
    ],
    ['off on Gemini 3 -> lowest level', { effort: 'none' }, 'gemini', gemini3, { kind: 'level', level: 'low' }],
    ['dynamic -> Gemini -1', { adaptive: true }, 'gemini', gemini25pro, { kind: 'budget', budgetTokens: -1 }],
    [
      'off on 2.5 Pro -> its minimum budget',
      { budgetTokens: 0 },
      'gemini',
      gemini25pro,
      { kind: 'budget', budgetTokens: 128 },
    ],
    [
      'budget clamped to the model maximum',
      { budgetTokens: 100_000 },
      'gemini',
      gemini25pro,
      { kind: 'budget', budgetTokens: 32768 },
    ],
  ] as const)('%s', (_name, req, format, caps, plan) => {
    expect(planReasoning(req, format, 'm', caps === undefined ? undefined : { reasoning: caps })).toEqual(plan);
  });

  it('refuses by name what a model cannot take, and leaves unset reasoning alone', () => {
    expect(() => planReasoning({ effort: 'low' }, 'openai', 'gpt-4o', { reasoning: false })).toThrow(UnsupportedError);
    expect(() => planReasoning({ effort: 'low' }, 'openai', 'gpt-4o', { reasoning: false })).toThrow(
      /reasoning cannot be carried to openai model gpt-4o/,
    );
    expect(planReasoning({ effort: 'none' }, 'openai', 'gpt-4o', { reasoning: false })).toEqual({ kind: 'off' });
    expect(planReasoning(undefined, 'anthropic', 'm', undefined)).toBeUndefined();
    expect(() => planReasoning({ effort: 'low' }, 'anthropic', 'm', { reasoning: { efforts: ['low'] } })).toThrow(
      /neither a thinking budget nor adaptive/,
    );
  });

  it('maps budgets back to efforts by the same table', () => {
    expect([0, 100, 1024, 2047, 2048, 4096, 8192, 50_000].map(effortForBudget)).toEqual([
      'none',
      'minimal',
      'low',
      'low',
      'medium',
      'high',
      'xhigh',
      'max',
    ]);
  });
});

describe('client requests decode to canonical reasoning', () => {
  it('reads each format', () => {
    expect(
      codecs.openai.decodeRequest({ model: 'm', reasoning_effort: 'low', messages: [{ role: 'user', content: 'x' }] })
        .reasoning,
    ).toEqual({ effort: 'low' });
    expect(
      codecs.anthropic.decodeRequest({
        model: 'm',
        max_tokens: 5000,
        thinking: { type: 'enabled', budget_tokens: 2000, display: 'omitted' },
        messages: [{ role: 'user', content: 'x' }],
      }).reasoning,
    ).toEqual({ budgetTokens: 2000, includeThoughts: false });
    expect(
      codecs.anthropic.decodeRequest({
        model: 'm',
        max_tokens: 10,
        thinking: { type: 'adaptive' },
        output_config: { effort: 'max' },
        messages: [{ role: 'user', content: 'x' }],
      }).reasoning,
    ).toEqual({ adaptive: true, effort: 'max', includeThoughts: true });
    expect(
      codecs.gemini.decodeRequest(
        { contents: [{ parts: [{ text: 'x' }] }], generationConfig: { thinkingConfig: { thinkingLevel: 'high' } } },
        { pathModel: 'g' },
      ).reasoning,
    ).toEqual({ effort: 'high' });
    expect(
      codecs.gemini.decodeRequest(
        {
          contents: [{ parts: [{ text: 'x' }] }],
          generationConfig: { thinkingConfig: { thinkingBudget: -1, includeThoughts: true } },
        },
        { pathModel: 'g' },
      ).reasoning,
    ).toEqual({ adaptive: true, includeThoughts: true });
  });

  it('refuses what no target could take', () => {
    expect(() =>
      codecs.anthropic.decodeRequest({
        model: 'm',
        max_tokens: 10,
        thinking: { type: 'enabled', budget_tokens: 10 },
        messages: [{ role: 'user', content: 'x' }],
      }),
    ).toThrow(/budget_tokens/);
    expect(() =>
      codecs.anthropic.decodeRequest({
        model: 'm',
        max_tokens: 10,
        output_config: { effort: 'extreme' },
        messages: [{ role: 'user', content: 'x' }],
      }),
    ).toThrow(/output_config.effort/);
    expect(() =>
      codecs.gemini.decodeRequest(
        {
          contents: [{ parts: [{ text: 'x' }] }],
          generationConfig: { thinkingConfig: { thinkingLevel: 'LOW', thinkingBudget: 10 } },
        },
        { pathModel: 'g' },
      ),
    ).toThrow(/not both/);
  });
});

const answer: CanonicalResponse = {
  id: 'r1',
  model: 'm',
  content: [
    { type: 'thinking', text: 'Let me think.', signature: { format: 'anthropic', value: 'sigA' } },
    { type: 'thinking', text: '', redacted: true, signature: { format: 'anthropic', value: 'opaque' } },
    { type: 'text', text: 'Hi.' },
  ],
  stopReason: 'end_turn',
  usage: { inputTokens: 3, outputTokens: 40, reasoningTokens: 30 },
  created: 1,
};

describe('thinking parts through the codecs', () => {
  it('Anthropic: blocks and signatures survive encode and decode, plain and streamed', () => {
    const body = codecs.anthropic.encodeResponse(answer, 'm');
    expect(body.content).toEqual([
      { type: 'thinking', thinking: 'Let me think.', signature: 'sigA' },
      { type: 'redacted_thinking', data: 'opaque' },
      { type: 'text', text: 'Hi.' },
    ]);
    const back = codecs.anthropic.decodeResponse(body);
    expect(back.content).toEqual(answer.content);
    expect(back.usage).toEqual(answer.usage);
    const enc = codecs.anthropic.createStreamEncoder('m');
    const sse = responseToEvents(answer, 4)
      .map((e) => enc.encode(e))
      .join('');
    const dec = codecs.anthropic.createStreamDecoder();
    const events = sse
      .split('\n\n')
      .filter((b) => b.includes('data: '))
      .flatMap((b) => dec.decode({ data: b.slice(b.indexOf('data: ') + 6) }));
    expect(assembleStream(events).content).toEqual(answer.content);
  });

  it("Gemini shows another provider's reasoning as unsigned thoughts and counts thoughts apart", () => {
    const body = codecs.gemini.encodeResponse(answer, 'm') as {
      candidates: Array<{ content: { parts: unknown[] } }>;
      usageMetadata: Record<string, number>;
    };
    expect(body.candidates[0]?.content.parts).toEqual([{ text: 'Let me think.', thought: true }, { text: 'Hi.' }]);
    expect(body.usageMetadata).toMatchObject({ candidatesTokenCount: 10, thoughtsTokenCount: 30, totalTokenCount: 43 });
  });

  it('a request encoder sends back only the signatures its own format issued', () => {
    const req = {
      model: 'm',
      stream: false,
      messages: [
        { role: 'user' as const, content: [{ type: 'text' as const, text: 'q' }] },
        { role: 'assistant' as const, content: answer.content },
      ],
    };
    const toGemini = codecs.gemini.encodeRequest(req, 'g').body as { contents: Array<{ parts: unknown[] }> };
    expect(toGemini.contents[1]?.parts).toEqual([{ text: 'Hi.' }]);
    const toOpenAi = codecs.openai.encodeRequest(req, 'o').body as { messages: Array<Record<string, unknown>> };
    expect(toOpenAi.messages[1]).toEqual({ role: 'assistant', content: 'Hi.' });
    const toAnthropic = codecs.anthropic.encodeRequest(req, 'c').body as { messages: Array<{ content: unknown[] }> };
    expect(toAnthropic.messages[1]?.content).toHaveLength(3);
  });

  it("Gemini 3 gets Google's stand-in signature on a function call another model made", () => {
    const req = {
      model: 'm',
      stream: false,
      messages: [
        { role: 'user' as const, content: [{ type: 'text' as const, text: 'q' }] },
        { role: 'assistant' as const, content: [{ type: 'tool_use' as const, id: 't', name: 'f', input: {} }] },
        {
          role: 'user' as const,
          content: [
            {
              type: 'tool_result' as const,
              toolUseId: 't',
              name: 'f',
              content: [{ type: 'text' as const, text: 'r' }],
            },
          ],
        },
      ],
    };
    const body = codecs.gemini.encodeRequest(req, 'g', {
      capabilities: { reasoning: { levels: ['low'], signedToolCalls: true } },
    }).body as { contents: Array<{ parts: Array<Record<string, unknown>> }> };
    expect(body.contents[1]?.parts[0]?.thoughtSignature).toBe('skip_thought_signature_validator');
    const plain = codecs.gemini.encodeRequest(req, 'g').body as {
      contents: Array<{ parts: Array<Record<string, unknown>> }>;
    };
    expect(plain.contents[1]?.parts[0]?.thoughtSignature).toBeUndefined();
  });
});

describe('JSON through the forced answer tool and extended thinking on Anthropic', () => {
  const chat = (extra: Record<string, unknown>) =>
    codecs.openai.decodeRequest({ model: 'm', messages: [{ role: 'user', content: 'give JSON' }], ...extra });

  it('json_object with a reasoning setting is a 400 naming both', () => {
    const req = chat({ response_format: { type: 'json_object' }, reasoning_effort: 'high' });
    const err = (() => {
      try {
        codecs.anthropic.encodeRequest(req, 'claude-x', { capabilities: { reasoning: budgetClaude } });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(UnsupportedError);
    expect((err as UnsupportedError).status).toBe(400);
    expect((err as Error).message).toMatch(/response_format with reasoning/);
    expect((err as Error).message).toMatch(/forced tool.*extended thinking/);
  });

  it('a best-effort schema through the forced tool is refused with thinking too; a model with structured outputs thinks freely', () => {
    const schema = { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] };
    const req = chat({
      response_format: { type: 'json_schema', json_schema: { name: 'r', schema } },
      reasoning_effort: 'high',
    });
    expect(() =>
      codecs.anthropic.encodeRequest(req, 'claude-x', {
        capabilities: { reasoning: budgetClaude, structuredOutput: { jsonSchema: false } },
      }),
    ).toThrow(/response_format with reasoning/);
    const enc = codecs.anthropic.encodeRequest(req, 'claude-x', {
      capabilities: { reasoning: budgetClaude, structuredOutput: { jsonSchema: true } },
    });
    expect(enc.answerTool).toBeUndefined();
    expect(enc.body.thinking).toEqual({ type: 'enabled', budget_tokens: 4096 });
    expect(enc.body.output_config).toMatchObject({ format: { type: 'json_schema' } });
  });

  it('json_object with reasoning turned off goes through: thinking disabled, the answer tool forced', () => {
    const enc = codecs.anthropic.encodeRequest(
      chat({ response_format: { type: 'json_object' }, reasoning_effort: 'none' }),
      'claude-x',
      { capabilities: { reasoning: budgetClaude } },
    );
    expect(enc.answerTool).toBe('json_answer');
    expect(enc.body.thinking).toEqual({ type: 'disabled' });
    expect(enc.body.tool_choice).toEqual({ type: 'tool', name: 'json_answer' });
  });

  it('adaptive effort and a schema share output_config', () => {
    const schema = { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] };
    const req = chat({
      response_format: { type: 'json_schema', json_schema: { name: 'r', schema } },
      reasoning_effort: 'high',
    });
    const enc = codecs.anthropic.encodeRequest(req, 'claude-y', { capabilities: { reasoning: adaptiveClaude } });
    expect(enc.body.thinking).toEqual({ type: 'adaptive' });
    expect(enc.body.output_config).toMatchObject({ effort: 'high', format: { type: 'json_schema' } });
  });
});
