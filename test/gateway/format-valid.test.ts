/**
 * `formatValid` on usage records: JSON-mode answers are checked for bare JSON (and the schema),
 * plain and streamed. The drifted snapshot fences its JSON unless JSON mode is on (the simulator
 * honours it, as real models do), and its new enum value breaks a schema that is only a hint.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import Anthropic from '@anthropic-ai/sdk';
import type { UsageRecord } from '../../src/store/types.js';
import { formatValid } from '../../src/gateway/format-check.js';
import { SIM_PROVIDERS, startHarness, type Harness } from '../support/gateway-harness.js';

let h: Harness;
let client: OpenAI;

beforeAll(async () => {
  h = await startHarness(
    (sim) => `${SIM_PROVIDERS(sim)}
routes:
  drifted: { targets: { production: sim/sim-chat-2026-11-25 } }
  pinned: { targets: { production: sim/sim-chat-2026-01-15 } }
  pinned-http: { targets: { production: as_openai/sim-chat-2026-01-15 } }
  drifted-anthropic: { targets: { production: as_anthropic/sim-chat-2026-11-25 } }
`,
  );
  client = new OpenAI({ baseURL: `${h.gateway.url}/v1`, apiKey: 'unused', maxRetries: 0 });
});
afterAll(async () => {
  await h.close();
});

const PROMPT = 'Contact Jane Doe at jane@example.com';
const CONTACT_SCHEMA = {
  type: 'object',
  properties: { name: { type: 'string' }, email: { type: 'string', format: 'email' } },
  required: ['name', 'email'],
  additionalProperties: false,
};

/** The usage record the request sent by `send` left behind (the newest row of its route). */
async function recordFor(route: string, send: () => Promise<unknown>): Promise<UsageRecord> {
  await h.gateway.writer.flush();
  const before = (await h.gateway.store.queryUsage({ route })).length;
  await send();
  await h.gateway.writer.flush();
  const rows = await h.gateway.store.queryUsage({ route });
  expect(rows).toHaveLength(before + 1);
  return rows[rows.length - 1] as UsageRecord;
}

const SENTIMENT_PROMPT = 'What is the sentiment? I love the screen, but the battery is weak.';
/** Enum in the schema, strict off: the schema is a hint, and the drifted snapshot's `mixed` breaks it. */
const SENTIMENT_HINT = {
  type: 'json_schema' as const,
  json_schema: {
    name: 'sentiment',
    schema: {
      type: 'object',
      properties: {
        sentiment: { type: 'string', enum: ['positive', 'negative', 'neutral'] },
        confidence: { type: 'number' },
      },
      required: ['sentiment'],
    },
  },
};

const complete =
  (model: string, response_format?: OpenAI.ChatCompletionCreateParams['response_format'], prompt = PROMPT) =>
  () =>
    client.chat.completions.create({
      model,
      messages: [{ role: 'user', content: prompt }],
      ...(response_format ? { response_format } : {}),
    });

const stream =
  (model: string, response_format: OpenAI.ChatCompletionCreateParams['response_format'], prompt = PROMPT) =>
  async () => {
    const s = await client.chat.completions.create({
      model,
      stream: true,
      messages: [{ role: 'user', content: prompt }],
      response_format,
    });
    let text = '';
    for await (const chunk of s) text += chunk.choices[0]?.delta.content ?? '';
    return text;
  };

describe('formatValid on usage records', () => {
  it('JSON mode answers bare JSON even from the snapshot that fences, and records true', async () => {
    const prose = await complete('drifted')();
    expect(prose.choices[0]?.message.content).toContain('```json');
    const answer = await complete('drifted', { type: 'json_object' })();
    expect(JSON.parse(answer.choices[0]?.message.content ?? '')).toEqual({
      name: 'Jane Doe',
      email: 'jane@example.com',
    });
    expect((await recordFor('drifted', complete('drifted', { type: 'json_object' }))).formatValid).toBe(true);

    const bare = await complete('pinned', { type: 'json_object' })();
    expect(JSON.parse(bare.choices[0]?.message.content ?? '')).toEqual({ name: 'Jane Doe', email: 'jane@example.com' });
    expect((await recordFor('pinned', complete('pinned', { type: 'json_object' }))).formatValid).toBe(true);
    expect((await recordFor('pinned-http', complete('pinned-http', { type: 'json_object' }))).formatValid).toBe(true);
  });

  it('is null when the request did not ask for JSON', async () => {
    expect((await recordFor('drifted', complete('drifted'))).formatValid).toBeNull();
    expect((await recordFor('pinned', complete('pinned', { type: 'text' }))).formatValid).toBeNull();
  });

  it('checks json_schema answers against the schema', async () => {
    const schema = (s: Record<string, unknown>) => ({
      type: 'json_schema' as const,
      json_schema: { name: 'contact', schema: s },
    });
    expect((await recordFor('pinned', complete('pinned', schema(CONTACT_SCHEMA)))).formatValid).toBe(true);
    expect(
      (
        await recordFor(
          'pinned',
          complete('pinned', schema({ ...CONTACT_SCHEMA, required: ['name', 'email', 'phone'] })),
        )
      ).formatValid,
    ).toBe(false);
    expect((await recordFor('drifted', complete('drifted', schema(CONTACT_SCHEMA)))).formatValid).toBe(true);
    // Drift a non-strict schema does not stop: a new enum value, recorded as a format failure.
    expect((await recordFor('pinned', complete('pinned', SENTIMENT_HINT, SENTIMENT_PROMPT))).formatValid).toBe(true);
    expect((await recordFor('drifted', complete('drifted', SENTIMENT_HINT, SENTIMENT_PROMPT))).formatValid).toBe(false);
  });

  it('checks streamed answers on the assembled text', async () => {
    expect(JSON.parse(await stream('drifted', { type: 'json_object' })())).toMatchObject({ email: 'jane@example.com' });
    expect((await recordFor('drifted', stream('drifted', SENTIMENT_HINT, SENTIMENT_PROMPT))).formatValid).toBe(false);
    expect((await recordFor('pinned', stream('pinned', { type: 'json_object' }))).formatValid).toBe(true);
  });

  it('Anthropic-format requests have no JSON mode: formatValid stays null even for a fenced answer', async () => {
    const anthropic = new Anthropic({ baseURL: h.gateway.url, apiKey: 'unused', maxRetries: 0 });
    const row = await recordFor('drifted-anthropic', () =>
      anthropic.messages.create({
        model: 'drifted-anthropic',
        max_tokens: 200,
        messages: [{ role: 'user', content: PROMPT }],
      }),
    );
    expect(row.formatValid).toBeNull();
  });
});

describe('formatValid (unit)', () => {
  const res = (text: string) => ({
    id: 'r',
    model: 'm',
    content: [{ type: 'text' as const, text }],
    stopReason: 'end_turn' as const,
    usage: { inputTokens: 1, outputTokens: 1 },
    created: 1,
  });
  const req = (
    responseFormat?: { type: 'json' } | { type: 'text' } | { type: 'json_schema'; schema: Record<string, unknown> },
  ) => ({
    model: 'x',
    messages: [],
    stream: false,
    ...(responseFormat ? { responseFormat } : {}),
  });

  it('accepts surrounding whitespace, refuses fences and prose', () => {
    expect(formatValid(req({ type: 'json' }), res('  {"a":1}\n'))).toBe(true);
    expect(formatValid(req({ type: 'json' }), res('```json\n{"a":1}\n```'))).toBe(false);
    expect(formatValid(req({ type: 'json' }), res('Sure! {"a":1}'))).toBe(false);
    expect(formatValid(req({ type: 'json' }), null)).toBeNull();
    expect(formatValid(req(), res('{"a":1}'))).toBeNull();
  });

  it('validates against the schema, compiling each distinct schema once', () => {
    const schema = { type: 'object', required: ['a'], properties: { a: { type: 'integer' } } };
    expect(formatValid(req({ type: 'json_schema', schema }), res('{"a":1}'))).toBe(true);
    expect(formatValid(req({ type: 'json_schema', schema: { ...schema } }), res('{"a":"x"}'))).toBe(false);
    // A schema ajv cannot compile leaves only the parse check.
    expect(formatValid(req({ type: 'json_schema', schema: { type: 'no-such-type' } }), res('{"a":1}'))).toBe(true);
  });
});
