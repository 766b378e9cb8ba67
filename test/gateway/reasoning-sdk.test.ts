/**
 * Reasoning through the gateway with the official SDKs: each client format's setting reaches each
 * target format translated for the target model (catalog capabilities), reasoning tokens come back in
 * the client's usage, and thinking signatures survive a same-format tool loop byte for byte. A proxy
 * in front of the simulator records what each provider was sent.
 */
import { describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import { useSdkGateway } from '../support/sdk-gateway.js';

const gw = useSdkGateway(
  (up) => `providers:
  as_openai: { type: openai, base_url: "${up}/v1", api_key: "sk-upstream-secret" }
  as_anthropic: { type: anthropic, base_url: "${up}", api_key: "sk-upstream-secret" }
  as_gemini: { type: gemini, base_url: "${up}/v1beta", api_key: "sk-upstream-secret" }
routes:
  # sim-chat takes manual budgets (Claude 4.5 / Gemini 2.5 style).
  claude-budget: { targets: { production: as_anthropic/sim-chat-2026-01-15 } }
  gpt: { targets: { production: as_openai/sim-chat-2026-01-15 } }
  gemini-budget: { targets: { production: as_gemini/sim-chat-2026-01-15 } }
  # sim-mini takes adaptive thinking only and thinking levels (Claude 4.7 / Gemini 3 style).
  claude-adaptive: { targets: { production: as_anthropic/sim-mini-2026-03-01 } }
  gemini-levels: { targets: { production: as_gemini/sim-mini-2026-03-01 } }
  # The catalog says this model does not reason.
  no-reasoning: { targets: { production: as_openai/gpt-4o-2024-11-20 } }
# Simulated models behind real-format providers are private deployments to the catalog: declared here.
catalog:
  models:
    - { provider: as_anthropic, id: sim-chat-2026-01-15, kind: snapshot, reasoning: { budget: { min: 1024, max: 32768 } } }
    - { provider: as_openai, id: sim-chat-2026-01-15, kind: snapshot, reasoning: { efforts: [minimal, low, medium, high] } }
    - { provider: as_gemini, id: sim-chat-2026-01-15, kind: snapshot, reasoning: { budget: { min: 0, max: 24576 } } }
    - { provider: as_anthropic, id: sim-mini-2026-03-01, kind: snapshot, reasoning: { efforts: [low, medium, high, xhigh, max], adaptive: true } }
    - { provider: as_gemini, id: sim-mini-2026-03-01, kind: snapshot, reasoning: { levels: [minimal, low, medium, high], can_disable: false, signed_tool_calls: true } }
`,
  { recordUpstream: true },
);

const { openai, anthropic, gemini } = gw;
/** The body the provider got for the latest call. */
function lastUpstream(): Record<string, unknown> {
  const b = gw.proxy().seen[gw.proxy().seen.length - 1]?.body;
  expect(b).toBeTypeOf('object');
  return b as Record<string, unknown>;
}

describe('OpenAI reasoning_effort', () => {
  it('becomes a thinking budget for a Claude model that takes budgets, with reasoning tokens in usage', async () => {
    const r = await openai().chat.completions.create({
      model: 'claude-budget',
      reasoning_effort: 'high',
      messages: [{ role: 'user', content: 'Say hello' }],
    });
    const sent = lastUpstream();
    // high -> 4096 tokens (docs/wire.md); max_tokens leaves room for the answer on top of the budget.
    expect(sent.thinking).toEqual({ type: 'enabled', budget_tokens: 4096 });
    expect(sent.max_tokens).toBe(4096 + 4096);
    expect(r.usage?.completion_tokens_details?.reasoning_tokens).toBe(1024);
    expect(r.usage?.completion_tokens).toBeGreaterThan(1024);
    // Chat Completions has no field for thinking text: the answer is the text alone.
    expect(r.choices[0]?.message.content).not.toMatch(/Simulated reasoning/);
  });

  it('becomes adaptive thinking plus output_config.effort for an adaptive-only Claude model, also streamed', async () => {
    const stream = await openai().chat.completions.create({
      model: 'claude-adaptive',
      reasoning_effort: 'xhigh',
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'Say hello' }],
    });
    let reasoning: number | undefined;
    let text = '';
    for await (const c of stream) {
      text += c.choices[0]?.delta.content ?? '';
      reasoning = c.usage?.completion_tokens_details?.reasoning_tokens ?? reasoning;
    }
    const sent = lastUpstream();
    expect(sent.thinking).toEqual({ type: 'adaptive' });
    expect(sent.output_config).toEqual({ effort: 'xhigh' });
    expect(reasoning).toBe(2048);
    expect(text.length).toBeGreaterThan(0);
  });

  it('becomes a Gemini thinking level for a Gemini 3 style model', async () => {
    const r = await openai().chat.completions.create({
      model: 'gemini-levels',
      reasoning_effort: 'minimal',
      messages: [{ role: 'user', content: 'Say hello' }],
    });
    const g = lastUpstream().generationConfig as Record<string, unknown>;
    expect(g.thinkingConfig).toEqual({ thinkingLevel: 'MINIMAL' });
    expect(r.usage?.completion_tokens_details?.reasoning_tokens).toBe(128);
  });

  it('is refused with a 400 naming the field and the target when the catalog says the model does not reason', async () => {
    const err = await openai()
      .chat.completions.create({
        model: 'no-reasoning',
        reasoning_effort: 'low',
        messages: [{ role: 'user', content: 'x' }],
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect((err as Error).message).toMatch(/reasoning cannot be carried to openai model gpt-4o-2024-11-20/);
  });
});

describe('Responses reasoning.effort', () => {
  it('reaches a Claude model as a budget and comes back as output_tokens_details.reasoning_tokens', async () => {
    const r = await openai().responses.create({
      model: 'claude-budget',
      reasoning: { effort: 'low' },
      input: 'Say hello',
    });
    expect(lastUpstream().thinking).toEqual({ type: 'enabled', budget_tokens: 1024 });
    expect(r.usage?.output_tokens_details.reasoning_tokens).toBe(256);
    expect(r.output_text.length).toBeGreaterThan(0);
  });

  it('refuses reasoning summaries by name', async () => {
    const err = await openai()
      .responses.create({ model: 'claude-budget', reasoning: { effort: 'low', summary: 'auto' }, input: 'Say hello' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect((err as Error).message).toMatch(/reasoning\.summary/);
  });
});

describe('Anthropic thinking', () => {
  it('becomes reasoning_effort for an OpenAI-format target, with thinking tokens in usage', async () => {
    const r = await anthropic().messages.create({
      model: 'gpt',
      max_tokens: 4000,
      thinking: { type: 'enabled', budget_tokens: 2048 },
      messages: [{ role: 'user', content: 'Say hello' }],
    });
    expect(lastUpstream().reasoning_effort).toBe('medium');
    const usage = r.usage as unknown as { output_tokens: number; output_tokens_details?: { thinking_tokens?: number } };
    expect(usage.output_tokens_details?.thinking_tokens).toBe(512);
    expect(usage.output_tokens).toBeGreaterThan(512);
    expect(r.content.map((b) => b.type)).toEqual(['text']);
  });

  it('keeps thinking signatures byte-identical through a same-format tool loop, plain and streamed', async () => {
    const client = anthropic();
    const tools = [
      {
        name: 'get_weather',
        description: 'Weather for a city',
        input_schema: { type: 'object' as const, properties: { city: { type: 'string' } } },
      },
    ];
    const ask = { role: 'user' as const, content: "What's the weather in Paris?" };
    const first = await client.messages.create({
      model: 'claude-budget',
      max_tokens: 4000,
      thinking: { type: 'enabled', budget_tokens: 1024 },
      tools,
      messages: [ask],
    });
    expect(first.content.map((b) => b.type)).toEqual(['thinking', 'tool_use']);
    const thinking = first.content[0];
    if (thinking?.type !== 'thinking') throw new Error('expected a thinking block');
    expect(thinking.signature).toMatch(/^SIM/);
    const call = first.content[1];
    if (call?.type !== 'tool_use') throw new Error('expected a tool call');
    const next = {
      model: 'claude-budget',
      max_tokens: 4000,
      thinking: { type: 'enabled' as const, budget_tokens: 1024 },
      tools,
      messages: [
        ask,
        { role: 'assistant' as const, content: first.content },
        {
          role: 'user' as const,
          content: [{ type: 'tool_result' as const, tool_use_id: call.id, content: '18 degrees' }],
        },
      ],
    };
    const second = await client.messages.create(next);
    const sentBack = (lastUpstream().messages as Array<{ content: unknown[] }>)[1]?.content[0];
    expect(sentBack).toEqual({ type: 'thinking', thinking: thinking.thinking, signature: thinking.signature });
    expect(second.content.at(-1)).toMatchObject({ type: 'text', text: expect.stringContaining('18 degrees') });

    // The same turn streamed: the SDK's accumulated message carries the same block.
    const streamed = await client.messages.stream(next).finalMessage();
    expect(streamed.content[0]).toMatchObject({ type: 'thinking', signature: expect.stringMatching(/^SIM/) });

    // A changed thinking block is caught upstream, as Anthropic catches it.
    const tampered = {
      ...next,
      messages: [
        ask,
        { role: 'assistant' as const, content: [{ ...thinking, thinking: `${thinking.thinking} ` }, call] },
        next.messages[2]!,
      ],
    };
    await expect(client.messages.create(tampered)).rejects.toThrow(/Invalid `signature`/);
  });
});

describe('OpenAI tool loop to a thinking Claude target', () => {
  it('leaves thinking off for the turn after a tool call it could not carry signed thinking for', async () => {
    const client = openai();
    const tools = [
      {
        type: 'function' as const,
        function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } },
      },
    ];
    const ask = { role: 'user' as const, content: "What's the weather in Paris?" };
    const first = await client.chat.completions.create({
      model: 'claude-budget',
      reasoning_effort: 'low',
      tools,
      messages: [ask],
    });
    expect(lastUpstream().thinking).toEqual({ type: 'enabled', budget_tokens: 1024 });
    const call = first.choices[0]?.message.tool_calls?.[0];
    if (call?.type !== 'function') throw new Error('expected a function call');
    const second = await client.chat.completions.create({
      model: 'claude-budget',
      reasoning_effort: 'low',
      tools,
      messages: [
        ask,
        { role: 'assistant', content: null, tool_calls: [call] },
        { role: 'tool', tool_call_id: call.id, content: '18 degrees' },
      ],
    });
    expect(lastUpstream().thinking).toBeUndefined();
    expect(second.choices[0]?.message.content).toContain('18 degrees');
  });
});

describe('Gemini thinkingConfig', () => {
  it('round-trips a budget with thoughts shown, thoughts counted apart from the answer', async () => {
    const r = await gemini().models.generateContent({
      model: 'gemini-budget',
      contents: 'Say hello',
      config: { thinkingConfig: { thinkingBudget: 2048, includeThoughts: true } },
    });
    expect((lastUpstream().generationConfig as Record<string, unknown>).thinkingConfig).toEqual({
      thinkingBudget: 2048,
      includeThoughts: true,
    });
    const parts = r.candidates?.[0]?.content?.parts ?? [];
    expect(parts[0]).toMatchObject({ thought: true, text: expect.stringContaining('Simulated reasoning') });
    expect(r.text).not.toMatch(/Simulated reasoning/);
    expect(r.usageMetadata?.thoughtsTokenCount).toBe(512);
    expect((r.usageMetadata?.candidatesTokenCount ?? 0) + 512 + (r.usageMetadata?.promptTokenCount ?? 0)).toBe(
      r.usageMetadata?.totalTokenCount,
    );
  });

  it('sends a thinking level to a Gemini 3 style model and a budget to a Claude model', async () => {
    await gemini().models.generateContent({
      model: 'gemini-levels',
      contents: 'Say hello',
      config: { thinkingConfig: { thinkingLevel: 'HIGH' as never } },
    });
    expect((lastUpstream().generationConfig as Record<string, unknown>).thinkingConfig).toEqual({
      thinkingLevel: 'HIGH',
    });
    const r = await gemini().models.generateContent({
      model: 'claude-budget',
      contents: 'Say hello',
      config: { thinkingConfig: { thinkingBudget: 3000 } },
    });
    expect(lastUpstream().thinking).toEqual({ type: 'enabled', budget_tokens: 3000 });
    expect(r.usageMetadata?.thoughtsTokenCount).toBe(750);
  });

  it('keeps thought signatures byte-identical through a same-format function-calling loop', async () => {
    const client = gemini();
    const config = {
      thinkingConfig: { thinkingLevel: 'LOW' as never },
      tools: [
        {
          functionDeclarations: [
            { name: 'get_weather', parametersJsonSchema: { type: 'object', properties: { city: { type: 'string' } } } },
          ],
        },
      ],
    };
    const ask = { role: 'user', parts: [{ text: "What's the weather in Paris?" }] };
    const first = await client.models.generateContent({ model: 'gemini-levels', contents: [ask], config });
    const callPart = first.candidates?.[0]?.content?.parts?.find((p) => p.functionCall);
    expect(callPart?.thoughtSignature).toMatch(/^SIM/);
    const second = await client.models.generateContent({
      model: 'gemini-levels',
      contents: [
        ask,
        { role: 'model', parts: [callPart!] },
        {
          role: 'user',
          parts: [
            {
              functionResponse: {
                id: callPart!.functionCall!.id,
                name: 'get_weather',
                response: { output: '18 degrees' },
              },
            },
          ],
        },
      ],
      config,
    });
    const sent = (lastUpstream().contents as Array<{ parts: Array<Record<string, unknown>> }>)[1]?.parts[0];
    expect(sent?.thoughtSignature).toBe(callPart?.thoughtSignature);
    expect(second.text).toContain('18 degrees');
  });
});
