import OpenAI from 'openai';
import { APIError as OpenAIAPIError, RateLimitError as OpenAIRateLimitError } from 'openai';
import { describe, expect, it } from 'vitest';
import { PROMPTS, useErrorsSimulator, WEATHER_SCHEMA } from './helpers.js';

const sim = useErrorsSimulator();

describe('openai SDK against the simulator', () => {
  it('gets the pinned snapshot answer, served id and fingerprint', async () => {
    const { data, response } = await sim
      .client()
      .chat.completions.create({ model: 'sim-chat-2026-01-15', messages: [{ role: 'user', content: PROMPTS.contact }] })
      .withResponse();
    expect(response.headers.get('x-modelpin-simulator')).toBe('1');
    expect(response.headers.get('x-request-id')).toMatch(/^req_sim_/);
    expect(data.model).toBe('sim-chat-2026-01-15');
    expect(data.system_fingerprint).toBe('fp_sim_chat_20260115');
    expect(JSON.parse(data.choices[0]?.message.content ?? '')).toEqual({ name: 'Jane Doe', email: 'jane@example.com' });
    expect(data.usage?.completion_tokens).toBe(22);
  });

  it('streams the same text and usage', async () => {
    const params = { model: 'sim-chat-latest', messages: [{ role: 'user' as const, content: PROMPTS.code }] };
    const plain = await sim.client().chat.completions.create(params);
    const stream = await sim
      .client()
      .chat.completions.create({ ...params, stream: true, stream_options: { include_usage: true } });
    let text = '';
    let usage: OpenAI.CompletionUsage | undefined;
    const models = new Set<string>();
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      if (chunk.usage) usage = chunk.usage;
      models.add(chunk.model);
    }
    expect(text).toBe(plain.choices[0]?.message.content);
    expect(text).toContain('return a + b;');
    expect(usage).toEqual(plain.usage);
    expect([...models]).toEqual(['sim-chat-2026-01-15']);
  });

  it('answers with a tool call when tools are offered, plain and streaming', async () => {
    const tools: OpenAI.ChatCompletionTool[] = [
      { type: 'function', function: { name: 'get_weather', parameters: WEATHER_SCHEMA } },
    ];
    const messages = [{ role: 'user' as const, content: 'What is the weather in Paris?' }];
    const res = await sim.client().chat.completions.create({ model: 'sim-chat-2026-01-15', messages, tools });
    const call = res.choices[0]?.message.tool_calls?.[0];
    expect(res.choices[0]?.finish_reason).toBe('tool_calls');
    expect(call?.type === 'function' && [call.function.name, JSON.parse(call.function.arguments)]).toEqual([
      'get_weather',
      { city: 'Paris' },
    ]);

    const stream = await sim
      .client()
      .chat.completions.create({ model: 'sim-chat-2026-01-15', messages, tools, stream: true });
    let name = '';
    let args = '';
    for await (const chunk of stream) {
      for (const tc of chunk.choices[0]?.delta.tool_calls ?? []) {
        name += tc.function?.name ?? '';
        args += tc.function?.arguments ?? '';
      }
    }
    expect([name, JSON.parse(args)]).toEqual(['get_weather', { city: 'Paris' }]);

    const followUp = await sim.client().chat.completions.create({
      model: 'sim-chat-2026-01-15',
      tools,
      messages: [
        ...messages,
        res.choices[0]!.message,
        { role: 'tool', tool_call_id: call!.id, content: '18 degrees and sunny' },
      ],
    });
    expect(followUp.choices[0]?.message.content).toBe('According to the tool result: 18 degrees and sunny');
  });

  it('lists models', async () => {
    const ids: string[] = [];
    for await (const m of sim.client().models.list()) ids.push(m.id);
    expect(ids).toEqual(expect.arrayContaining(['sim-chat-latest', 'sim-chat-2026-01-15', 'sim-mini-latest']));
    expect(ids).not.toContain('sim-chat-2025-06-01');
  });

  it('surfaces 429, 503 (overload) and 404 as the SDK error classes', async () => {
    const call = (model: string) =>
      sim.client().chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }] });
    const rl = await call('err-ratelimit-2026-01-01').catch((e: unknown) => e);
    expect(rl).toBeInstanceOf(OpenAI.RateLimitError);
    expect((rl as OpenAIRateLimitError).status).toBe(429);
    expect((rl as OpenAIRateLimitError).headers?.get('retry-after')).toBe('2');
    const ov = await call('err-overloaded-2026-01-01').catch((e: unknown) => e);
    expect(ov).toBeInstanceOf(OpenAI.InternalServerError);
    expect((ov as OpenAIAPIError).status).toBe(503);
    const gone = await call('sim-chat-2025-06-01').catch((e: unknown) => e);
    expect(gone).toBeInstanceOf(OpenAI.NotFoundError);
    expect((gone as OpenAIAPIError).code).toBe('model_not_found');
    expect((gone as OpenAIAPIError).message).toContain('The model `sim-chat-2025-06-01` does not exist');
  });

  it('a hang makes the client deadline fire', async () => {
    const slow = new OpenAI({ apiKey: 'k', baseURL: `${sim.server().url}/v1`, maxRetries: 0, timeout: 200 });
    const err = await slow.chat.completions
      .create({ model: 'err-hang-2026-01-01', messages: [{ role: 'user', content: 'hi' }] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.APIConnectionTimeoutError);
  });
});
