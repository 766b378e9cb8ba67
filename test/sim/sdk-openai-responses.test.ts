/** The openai SDK's `responses.create` against the simulator's `POST /v1/responses`: same engine, same behaviours as chat. */
import OpenAI from 'openai';
import { APIError as OpenAIAPIError, RateLimitError as OpenAIRateLimitError } from 'openai';
import { describe, expect, it } from 'vitest';
import { PROMPTS, useErrorsSimulator, WEATHER_SCHEMA } from './helpers.js';

const sim = useErrorsSimulator();

describe('openai SDK responses.create against the simulator', () => {
  it('answers an alias with the served snapshot as model, its text and usage', async () => {
    const { data, response } = await sim
      .client()
      .responses.create({ model: 'sim-chat-latest', input: PROMPTS.contact, instructions: 'extract' })
      .withResponse();
    expect(response.headers.get('x-modelpin-simulator')).toBe('1');
    expect(data.model).toBe('sim-chat-2026-01-15');
    expect(data.status).toBe('completed');
    expect(data.instructions).toBe('extract');
    expect(JSON.parse(data.output_text)).toEqual({ name: 'Jane Doe', email: 'jane@example.com' });
    expect(data.usage?.output_tokens).toBe(22);
    expect(data.usage?.total_tokens).toBe((data.usage?.input_tokens ?? 0) + 22);
  });

  it('gives the same answer as the chat endpoint, fenced JSON and verbosity included', async () => {
    for (const model of ['sim-chat-2026-11-25', 'sim-chat-2026-12-10']) {
      for (const prompt of [PROMPTS.contact, PROMPTS.generic]) {
        const chat = await sim
          .client()
          .chat.completions.create({ model, messages: [{ role: 'user', content: prompt }] });
        const res = await sim.client().responses.create({ model, input: prompt });
        expect(res.output_text).toBe(chat.choices[0]?.message.content);
        expect(res.usage?.output_tokens).toBe(chat.usage?.completion_tokens);
        expect(res.model).toBe(model);
      }
    }
    const fenced = await sim.client().responses.create({ model: 'sim-chat-2026-11-25', input: PROMPTS.contact });
    expect(fenced.output_text).toContain('```json\n{');
  });

  it('streams the same text, model and usage as the plain answer', async () => {
    const plain = await sim.client().responses.create({ model: 'sim-chat-latest', input: PROMPTS.code });
    const stream = await sim.client().responses.create({ model: 'sim-chat-latest', input: PROMPTS.code, stream: true });
    let text = '';
    let final: OpenAI.Responses.Response | undefined;
    for await (const ev of stream) {
      if (ev.type === 'response.output_text.delta') text += ev.delta;
      if (ev.type === 'response.completed') final = ev.response;
    }
    expect(text).toBe(plain.output_text);
    expect(text).toContain('return a + b;');
    expect(final?.model).toBe('sim-chat-2026-01-15');
    expect(final?.usage).toEqual(plain.usage);
  });

  it('calls a function tool, plain and streaming, and answers the tool result', async () => {
    const tools: OpenAI.Responses.Tool[] = [
      { type: 'function', name: 'get_weather', parameters: WEATHER_SCHEMA, strict: false },
    ];
    const input = 'What is the weather in Paris?';
    const res = await sim.client().responses.create({ model: 'sim-chat-2026-01-15', input, tools });
    const call = res.output.find((o): o is OpenAI.Responses.ResponseFunctionToolCall => o.type === 'function_call');
    expect([call?.name, JSON.parse(call?.arguments ?? '')]).toEqual(['get_weather', { city: 'Paris' }]);

    const stream = await sim.client().responses.create({ model: 'sim-chat-2026-01-15', input, tools, stream: true });
    let args = '';
    for await (const ev of stream) if (ev.type === 'response.function_call_arguments.delta') args += ev.delta;
    expect(JSON.parse(args)).toEqual({ city: 'Paris' });

    const followUp = await sim.client().responses.create({
      model: 'sim-chat-2026-01-15',
      tools,
      input: [
        { role: 'user', content: input },
        call!,
        { type: 'function_call_output', call_id: call!.call_id, output: '18 degrees and sunny' },
      ],
    });
    expect(followUp.output_text).toBe('According to the tool result: 18 degrees and sunny');
  });

  it('surfaces 429 with retry-after and a retired model as the OpenAI 404', async () => {
    const rl = await sim
      .client()
      .responses.create({ model: 'err-ratelimit-2026-01-01', input: 'hi' })
      .catch((e: unknown) => e);
    expect(rl).toBeInstanceOf(OpenAI.RateLimitError);
    expect((rl as OpenAIRateLimitError).headers?.get('retry-after')).toBe('2');
    const gone = await sim
      .client()
      .responses.create({ model: 'sim-chat-2025-06-01', input: 'hi' })
      .catch((e: unknown) => e);
    expect(gone).toBeInstanceOf(OpenAI.NotFoundError);
    expect((gone as OpenAIAPIError).code).toBe('model_not_found');
    expect((gone as OpenAIAPIError).message).toContain('The model `sim-chat-2025-06-01` does not exist');
  });
});
