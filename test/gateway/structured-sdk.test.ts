/**
 * Structured outputs through the gateway with the official SDKs, across formats: the simulator
 * behind each provider format reads that format's own fields (output_config.format,
 * responseJsonSchema, response_format) and answers JSON valid against the schema. Unknown
 * top-level fields are a 400 naming them on every wire.
 */
import { describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import Anthropic from '@anthropic-ai/sdk';
import { Ajv } from 'ajv';
import { SIM_PROVIDERS } from '../support/gateway-harness.js';
import { useSdkGateway } from '../support/sdk-gateway.js';

const CONTACT = {
  type: 'object',
  properties: { name: { type: 'string' }, email: { type: 'string' } },
  required: ['name', 'email'],
  additionalProperties: false,
} as const;

const PROMPT = 'Extract the contact: Ada Lovelace <ada@example.com>';

function valid(schema: object, text: string | null | undefined): unknown {
  const value = JSON.parse(text ?? '') as unknown;
  const validate = new Ajv({ strict: false }).compile(schema);
  expect(validate(value), JSON.stringify(validate.errors)).toBe(true);
  return value;
}

const gw = useSdkGateway(
  (sim) => `${SIM_PROVIDERS(sim)}
routes:
  via-anthropic: { targets: { production: as_anthropic/sim-chat-2026-01-15 } }
  via-openai: { targets: { production: as_openai/sim-chat-2026-01-15 } }
  via-gemini: { targets: { production: as_gemini/sim-mini-2026-03-01 } }
  drifted-anthropic: { targets: { production: as_anthropic/sim-chat-2026-11-25 } }
gateway:
  auth: keys
  keys:
    - { id: app, key: "\${GW_KEY}" }
`,
);

const { openai, anthropic, gemini } = gw;

describe('OpenAI SDK json_schema to other formats', () => {
  it.each(['via-anthropic', 'via-gemini', 'via-openai'])('%s answers JSON valid against the schema', async (route) => {
    const res = await openai().chat.completions.create({
      model: route,
      messages: [{ role: 'user', content: PROMPT }],
      response_format: { type: 'json_schema', json_schema: { name: 'contact', strict: true, schema: CONTACT } },
    });
    expect(valid(CONTACT, res.choices[0]?.message.content)).toEqual({ name: 'Ada Lovelace', email: 'ada@example.com' });
    expect(res.choices[0]?.finish_reason).toBe('stop');
  });

  it('streams schema-valid JSON from a Claude-format target', async () => {
    const stream = await openai().chat.completions.create({
      model: 'via-anthropic',
      stream: true,
      messages: [{ role: 'user', content: PROMPT }],
      response_format: { type: 'json_schema', json_schema: { name: 'contact', strict: true, schema: CONTACT } },
    });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    valid(CONTACT, text);
  });

  it('json_object to a Claude-format target comes back as one JSON object (asked through a forced tool)', async () => {
    const res = await openai().chat.completions.create({
      model: 'via-anthropic',
      messages: [{ role: 'user', content: `${PROMPT}. Reply in JSON.` }],
      response_format: { type: 'json_object' },
    });
    const msg = res.choices[0]?.message;
    expect(msg?.tool_calls ?? []).toEqual([]);
    expect(res.choices[0]?.finish_reason).toBe('stop');
    expect(JSON.parse(msg?.content ?? '')).toEqual({ name: 'Ada Lovelace', email: 'ada@example.com' });
  });

  it('json_object streamed to a Claude-format target is text, not a tool call', async () => {
    const stream = await openai().chat.completions.create({
      model: 'via-anthropic',
      stream: true,
      messages: [{ role: 'user', content: PROMPT }],
      response_format: { type: 'json_object' },
    });
    let text = '';
    let finish: string | null = null;
    let calls = 0;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      calls += chunk.choices[0]?.delta.tool_calls?.length ?? 0;
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    expect(calls).toBe(0);
    expect(finish).toBe('stop');
    expect(JSON.parse(text)).toMatchObject({ email: 'ada@example.com' });
  });

  it('a schema keyword the Claude format cannot enforce is a 400 naming it and the target', async () => {
    const schema = {
      type: 'object',
      properties: { age: { type: 'integer', minimum: 0 } },
      required: ['age'],
      additionalProperties: false,
    };
    const err = await openai()
      .chat.completions.create({
        model: 'via-anthropic',
        messages: [{ role: 'user', content: 'x' }],
        response_format: { type: 'json_schema', json_schema: { name: 'a', strict: true, schema } },
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect((err as Error).message).toMatch(/minimum/);
    expect((err as Error).message).toMatch(/sim-chat-2026-01-15 \(anthropic\)/);
  });

  it('a drifted snapshot still breaks a loose schema (a new enum value), and cannot break a strict enum', async () => {
    const prompt = 'What is the sentiment? I love the screen, but the battery is weak.';
    const loose = {
      type: 'object',
      properties: { sentiment: { type: 'string' }, confidence: { type: 'number' } },
      required: ['sentiment', 'confidence'],
      additionalProperties: false,
    };
    const closed = {
      ...loose,
      properties: { ...loose.properties, sentiment: { type: 'string', enum: ['positive', 'negative', 'neutral'] } },
    };
    const ask = async (schema: Record<string, unknown>) => {
      const res = await openai().chat.completions.create({
        model: 'drifted-anthropic',
        messages: [{ role: 'user', content: prompt }],
        response_format: { type: 'json_schema', json_schema: { name: 's', strict: true, schema } },
      });
      return valid(schema, res.choices[0]?.message.content) as { sentiment: string };
    };
    expect((await ask(loose)).sentiment).toBe('mixed');
    expect((await ask(closed)).sentiment).toBe('positive');
  });
});

describe('Anthropic SDK output_config to an OpenAI-format target', () => {
  it('answers JSON valid against the schema', async () => {
    const res = await anthropic().messages.create({
      model: 'via-openai',
      max_tokens: 300,
      messages: [{ role: 'user', content: PROMPT }],
      output_config: { format: { type: 'json_schema', schema: CONTACT } },
    });
    const first = res.content[0];
    valid(CONTACT, first?.type === 'text' ? first.text : '');
  });

  it('accepts the beta output_format with its header, and refuses it without', async () => {
    const body = {
      model: 'via-gemini',
      max_tokens: 300,
      messages: [{ role: 'user', content: PROMPT }],
      output_format: { type: 'json_schema', schema: CONTACT },
    };
    const post = (headers: Record<string, string>) =>
      fetch(`${gw.harness().gateway.url}/v1/messages`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-api-key': 'client-secret-1',
          'anthropic-version': '2023-06-01',
          ...headers,
        },
        body: JSON.stringify(body),
      });
    const ok = await post({ 'anthropic-beta': 'structured-outputs-2025-11-13' });
    expect(ok.status).toBe(200);
    const json = (await ok.json()) as { content: Array<{ text: string }> };
    valid(CONTACT, json.content[0]?.text);
    const refused = await post({});
    expect(refused.status).toBe(400);
    expect(JSON.stringify(await refused.json())).toMatch(/output_format/);
  });
});

describe('Gemini SDK responseJsonSchema to a Claude-format target', () => {
  it('answers JSON valid against the schema', async () => {
    const res = await gemini().models.generateContent({
      model: 'via-anthropic',
      contents: PROMPT,
      config: { responseMimeType: 'application/json', responseJsonSchema: CONTACT },
    });
    valid(CONTACT, res.text);
  });
});

describe('an unknown top-level field is a 400 naming it, on every wire', () => {
  it('OpenAI Chat Completions', async () => {
    const err = await openai()
      .chat.completions.create({
        model: 'via-openai',
        messages: [{ role: 'user', content: 'x' }],
        frobnicate: true,
      } as unknown as OpenAI.ChatCompletionCreateParamsNonStreaming)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect((err as Error).message).toMatch(/frobnicate: unknown field/);
  });

  it('OpenAI Responses', async () => {
    const err = await openai()
      .responses.create({
        model: 'via-anthropic',
        input: 'x',
        frobnicate: true,
      } as unknown as OpenAI.Responses.ResponseCreateParamsNonStreaming)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect((err as Error).message).toMatch(/frobnicate: unknown field/);
  });

  it('Anthropic Messages', async () => {
    const err = await anthropic()
      .messages.create({
        model: 'via-openai',
        max_tokens: 10,
        messages: [{ role: 'user', content: 'x' }],
        frobnicate: true,
      } as unknown as Anthropic.MessageCreateParamsNonStreaming)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Anthropic.BadRequestError);
    expect((err as Error).message).toMatch(/frobnicate: unknown field/);
  });

  it('Gemini generateContent (top level and under generationConfig)', async () => {
    const post = (body: object) =>
      fetch(`${gw.harness().gateway.url}/v1beta/models/via-openai:generateContent`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-goog-api-key': 'client-secret-1' },
        body: JSON.stringify(body),
      });
    const top = await post({ contents: [{ parts: [{ text: 'x' }] }], frobnicate: true });
    expect(top.status).toBe(400);
    expect(((await top.json()) as { error: { message: string; status: string } }).error).toMatchObject({
      status: 'INVALID_ARGUMENT',
      message: expect.stringMatching(/frobnicate: unknown field/),
    });
    const nested = await post({ contents: [{ parts: [{ text: 'x' }] }], generationConfig: { frobnicate: 1 } });
    expect(nested.status).toBe(400);
    expect(JSON.stringify(await nested.json())).toMatch(/generationConfig\.frobnicate: unknown field/);
  });
});
