/**
 * A route whose provider is `type: openai` with `api: responses` (the simulator's /v1/responses):
 * SDK clients of other formats, and Responses clients, reach it end to end through the gateway.
 */
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/gateway-harness.js';

let h: Harness;
const WEATHER = { type: 'object' as const, properties: { city: { type: 'string' } }, required: ['city'] };

beforeAll(async () => {
  h = await startHarness(
    (sim) => `providers:
  as_responses: { type: openai, api: responses, base_url: "${sim}/v1", api_key: "sk-upstream-secret" }
routes:
  via-responses: { targets: { production: as_responses/sim-chat-2026-01-15 } }
gateway:
  auth: keys
  keys:
    - { id: app, key: "\${GW_KEY}" }
`,
  );
});
afterAll(async () => {
  await h.close();
});

const anthropic = () => new Anthropic({ baseURL: h.gateway.url, apiKey: 'client-secret-1', maxRetries: 0 });

describe('Anthropic SDK -> route on an OpenAI provider called through the Responses API', () => {
  it('answers a plain message with the served snapshot and usage', async () => {
    const { data, response } = await anthropic()
      .messages.create({
        model: 'via-responses',
        max_tokens: 200,
        system: 'extract',
        messages: [
          { role: 'user', content: 'Extract the name and email as JSON from: Contact Jane Doe at jane@example.com' },
        ],
      })
      .withResponse();
    const first = data.content[0];
    expect(JSON.parse(first?.type === 'text' ? first.text : '')).toEqual({
      name: 'Jane Doe',
      email: 'jane@example.com',
    });
    expect(data.stop_reason).toBe('end_turn');
    expect(data.usage.output_tokens).toBe(22);
    expect(response.headers.get('x-modelpin-target')).toBe('as_responses/sim-chat-2026-01-15');
    expect(response.headers.get('x-modelpin-served-model')).toBe('sim-chat-2026-01-15');
  });

  it('streams the same text', async () => {
    const params = {
      model: 'via-responses',
      max_tokens: 400,
      messages: [
        {
          role: 'user' as const,
          content: 'Write a JavaScript function add(a, b) that returns the sum of two numbers.',
        },
      ],
    };
    const plain = await anthropic().messages.create(params);
    const stream = anthropic().messages.stream(params);
    let text = '';
    stream.on('text', (t) => (text += t));
    const final = await stream.finalMessage();
    const first = plain.content[0];
    expect(text).toBe(first?.type === 'text' ? first.text : '');
    expect(text).toContain('return a + b;');
    expect(final.stop_reason).toBe('end_turn');
    expect(final.usage.output_tokens).toBe(plain.usage.output_tokens);
  });

  it('gets a tool call and answers its result', async () => {
    const tools = [{ name: 'get_weather', input_schema: WEATHER }];
    const question = { role: 'user' as const, content: 'What is the weather in Paris?' };
    const res = await anthropic().messages.create({
      model: 'via-responses',
      max_tokens: 200,
      tools,
      messages: [question],
    });
    expect(res.stop_reason).toBe('tool_use');
    const call = res.content.find((b) => b.type === 'tool_use');
    expect(call).toMatchObject({ name: 'get_weather', input: { city: 'Paris' } });
    const follow = await anthropic().messages.create({
      model: 'via-responses',
      max_tokens: 200,
      tools,
      messages: [
        question,
        { role: 'assistant', content: res.content },
        {
          role: 'user',
          content: [
            {
              type: 'tool_result',
              tool_use_id: call?.type === 'tool_use' ? call.id : '',
              content: '18 degrees and sunny',
            },
          ],
        },
      ],
    });
    const first = follow.content[0];
    expect(first?.type === 'text' ? first.text : '').toBe('According to the tool result: 18 degrees and sunny');
  });

  it('a field the Responses API cannot carry is a 400 naming it', async () => {
    const err = await anthropic()
      .messages.create({
        model: 'via-responses',
        max_tokens: 50,
        stop_sequences: ['END'],
        messages: [{ role: 'user', content: 'hi' }],
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Anthropic.BadRequestError);
    expect((err as Error).message).toMatch(/stop/);
  });
});

describe('OpenAI SDK responses.create -> the same route (Responses on both sides)', () => {
  it('answers plain and streaming', async () => {
    const client = new OpenAI({ baseURL: `${h.gateway.url}/v1`, apiKey: 'client-secret-1', maxRetries: 0 });
    const plain = await client.responses.create({
      model: 'via-responses',
      input: 'Tell me something about the weather on Mars.',
    });
    expect(plain.output_text.length).toBeGreaterThan(0);
    const stream = await client.responses.create({
      model: 'via-responses',
      input: 'Tell me something about the weather on Mars.',
      stream: true,
    });
    let text = '';
    for await (const ev of stream) if (ev.type === 'response.output_text.delta') text += ev.delta;
    expect(text).toBe(plain.output_text);
  });
});
