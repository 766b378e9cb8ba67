/** The simulator under JSON mode, schemas and forced tools: valid where a real model must be, drifted where it may be. */
import { describe, expect, it } from 'vitest';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { ManualClock } from '../../src/core/clock.js';
import { createSimEngine, type SimOutcome } from '../../src/sim/engine.js';
import { loadScenario } from '../../src/sim/scenario-load.js';
import { sampleFromSchema } from '../../src/sim/structured.js';
import { responseText, type CanonicalRequest, type ResponseFormat } from '../../src/wire/canonical.js';
import { PROMPTS, userRequest } from './helpers.js';

const PINNED = 'sim-chat-2026-01-15';
const DRIFTED = 'sim-chat-2026-11-25';
const engine = createSimEngine({
  scenario: loadScenario('default'),
  clock: new ManualClock(Date.parse('2026-11-25T09:00:00Z')),
  fast: true,
});

function answer(model: string, prompt: string, extra: Partial<CanonicalRequest> = {}) {
  const o: SimOutcome = engine.handle(userRequest(model, prompt, extra), model, false);
  if (o.kind !== 'answer') throw new Error(`expected an answer, got ${o.kind}`);
  return o.response;
}
const json = (model: string, prompt: string, rf: ResponseFormat): unknown =>
  JSON.parse(responseText(answer(model, prompt, { responseFormat: rf })));

const SENTIMENT_LOOSE = {
  type: 'object',
  properties: { sentiment: { type: 'string' }, confidence: { type: 'number' } },
  required: ['sentiment', 'confidence'],
  additionalProperties: false,
};
const SENTIMENT_ENUM = {
  ...SENTIMENT_LOOSE,
  properties: {
    ...SENTIMENT_LOOSE.properties,
    sentiment: { type: 'string', enum: ['positive', 'negative', 'neutral'] },
  },
};
// ajv-formats is CommonJS; under NodeNext its default import is the module object.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (
  ajv: Ajv,
) => Ajv;
const validate = (schema: object, value: unknown) => addFormats(new Ajv({ strict: false })).compile(schema)(value);

describe('JSON mode', () => {
  it('answers bare JSON even on the snapshot that fences and pads its prose', () => {
    expect(responseText(answer(DRIFTED, PROMPTS.contact))).toContain('```json');
    expect(json(DRIFTED, PROMPTS.contact, { type: 'json' })).toEqual({ name: 'Jane Doe', email: 'jane@example.com' });
  });

  it('wraps an answer with no JSON rule as an object', () => {
    expect(json(PINNED, PROMPTS.generic, { type: 'json' })).toEqual({
      text: expect.stringContaining('simulated answer'),
    });
  });
});

describe('schemas', () => {
  it('a loose schema lets the drifted enum value through; a strict enum cannot produce it', () => {
    const strict = (schema: Record<string, unknown>): ResponseFormat => ({ type: 'json_schema', schema, strict: true });
    expect(json(PINNED, PROMPTS.mixed, strict(SENTIMENT_LOOSE))).toEqual({ sentiment: 'positive', confidence: 0.62 });
    expect(json(DRIFTED, PROMPTS.mixed, strict(SENTIMENT_LOOSE))).toEqual({ sentiment: 'mixed', confidence: 0.62 });
    const closed = json(DRIFTED, PROMPTS.mixed, strict(SENTIMENT_ENUM));
    expect(validate(SENTIMENT_ENUM, closed)).toBe(true);
    expect(closed).toEqual({ sentiment: 'positive', confidence: 0.62 });
  });

  it('a non-strict schema is a hint: drift that breaks it comes back as is', () => {
    const hinted = json(DRIFTED, PROMPTS.mixed, { type: 'json_schema', schema: SENTIMENT_ENUM });
    expect(validate(SENTIMENT_ENUM, hinted)).toBe(false);
  });

  it('builds a valid answer from the schema when no rule gives JSON', () => {
    const schema = {
      type: 'object',
      properties: {
        title: { type: 'string', maxLength: 12 },
        when: { type: 'string', format: 'date-time' },
        tags: { type: 'array', items: { type: 'string', enum: ['a', 'b'] }, minItems: 2 },
        score: { type: 'integer', minimum: 3 },
        kind: { $ref: '#/$defs/kind' },
        note: { anyOf: [{ type: 'null' }, { type: 'string' }] },
      },
      required: ['title', 'when', 'tags', 'score', 'kind', 'note'],
      additionalProperties: false,
      $defs: { kind: { const: 'report' } },
    };
    const value = json(PINNED, PROMPTS.generic, { type: 'json_schema', schema, strict: true });
    expect(validate(schema, value)).toBe(true);
    expect(validate(schema, sampleFromSchema(schema, undefined, 'x'))).toBe(true);
  });
});

describe('forced tools', () => {
  it('tool_choice naming a tool answers with a call whose input is the rule JSON fitted to the schema', () => {
    const res = answer(PINNED, PROMPTS.contact, {
      tools: [
        {
          name: 'save',
          inputSchema: {
            type: 'object',
            properties: { email: { type: 'string' } },
            required: ['email'],
            additionalProperties: false,
          },
          strict: true,
        },
      ],
      toolChoice: { type: 'tool', name: 'save' },
    });
    expect(res.stopReason).toBe('tool_use');
    expect(res.content).toEqual([
      { type: 'tool_use', id: expect.any(String), name: 'save', input: { email: 'jane@example.com' } },
    ]);
  });
});
