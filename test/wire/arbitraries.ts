/** fast-check generators of canonical values, each limited to what one wire format can express. */
import fc from 'fast-check';
import type {
  CanonicalRequest,
  CanonicalResponse,
  ContentPart,
  ImagePart,
  Message,
  ResponseFormat,
  StopReason,
  ToolChoice,
  WireFormat,
} from '../../src/wire/canonical.js';
import { fillToolResultNames } from '../../src/wire/shared/tool-names.js';

export type Caps = 'openai' | 'anthropic' | 'gemini' | 'all';

const ident = fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_]{0,11}$/);
const id = fc.stringMatching(/^[a-zA-Z0-9_]{1,14}$/);
const text = fc.string({ maxLength: 40 });
const nonEmpty = fc.string({ minLength: 1, maxLength: 40 });
const jsonValue = fc.oneof(fc.string({ maxLength: 10 }), fc.integer(), fc.boolean(), fc.constant(null));
const jsonObject = fc.dictionary(ident, jsonValue, { maxKeys: 4 });
const base64 = fc.base64String({ minLength: 4, maxLength: 24 });
const unit = fc.double({ min: 0, max: 1, noNaN: true, noDefaultInfinity: true }).filter((n) => !Object.is(n, -0));

const has = (caps: Caps, ...fmts: WireFormat[]): boolean => caps !== 'all' && fmts.includes(caps);

function imagePart(caps: Caps): fc.Arbitrary<ImagePart> {
  const b64 = fc.record({
    kind: fc.constant('base64' as const),
    mediaType: fc.constantFrom('image/png', 'image/jpeg'),
    data: base64,
  });
  const url = fc.record({ kind: fc.constant('url' as const), url: fc.webUrl() });
  const source = has(caps, 'openai', 'anthropic') ? fc.oneof(b64, url) : b64;
  return source.map((s) => ({ type: 'image' as const, source: s }));
}

function toolResult(caps: Caps): fc.Arbitrary<ContentPart> {
  const content =
    caps === 'anthropic'
      ? fc.array(
          fc.oneof(
            text.map((t) => ({ type: 'text' as const, text: t })),
            imagePart(caps),
          ),
          { maxLength: 3 },
        )
      : text.map((t) => [{ type: 'text' as const, text: t }]);
  const isError =
    caps === 'anthropic'
      ? fc.option(fc.boolean(), { nil: undefined })
      : caps === 'gemini'
        ? fc.option(fc.constant(true), { nil: undefined })
        : fc.constant(undefined);
  const name = caps === 'gemini' ? ident : fc.constant(undefined);
  return fc.record({ toolUseId: id, content, isError, name }).map((r) => ({
    type: 'tool_result' as const,
    toolUseId: r.toolUseId,
    content: r.content,
    ...(r.name !== undefined ? { name: r.name } : {}),
    ...(r.isError !== undefined ? { isError: r.isError } : {}),
  }));
}

const toolUse = fc.record({ id, name: ident, input: jsonObject }).map((r) => ({ type: 'tool_use' as const, ...r }));

function userMessage(caps: Caps): fc.Arbitrary<Message> {
  const plain = fc.array(
    fc.oneof(
      text.map((t) => ({ type: 'text' as const, text: t })),
      imagePart(caps),
    ),
    { maxLength: 3 },
  );
  const results = fc.array(toolResult(caps), { minLength: 1, maxLength: 2 });
  const mixed = fc.array(
    fc.oneof(
      text.map((t) => ({ type: 'text' as const, text: t })),
      imagePart(caps),
      toolResult(caps),
    ),
    { maxLength: 4 },
  );
  const content = caps === 'anthropic' || caps === 'gemini' ? mixed : fc.oneof(plain, results);
  return content.map((c) => ({ role: 'user' as const, content: c }));
}

function assistantMessage(caps: Caps): fc.Arbitrary<Message> {
  if (caps === 'anthropic' || caps === 'gemini') {
    return fc
      .array(
        fc.oneof(
          text.map((t) => ({ type: 'text' as const, text: t })),
          toolUse,
        ),
        { maxLength: 3 },
      )
      .map((c) => ({ role: 'assistant' as const, content: c }));
  }
  return fc
    .tuple(
      fc.array(
        nonEmpty.map((t) => ({ type: 'text' as const, text: t })),
        { maxLength: 2 },
      ),
      fc.array(toolUse, { maxLength: 2 }),
    )
    .map(([t, u]) => ({ role: 'assistant' as const, content: [...t, ...u] }));
}

function conversation(caps: Caps): fc.Arbitrary<Message[]> {
  return fc.array(fc.tuple(userMessage(caps), assistantMessage(caps)), { minLength: 1, maxLength: 3 }).chain((pairs) =>
    fc.boolean().map((endWithUser) => {
      const flat = pairs.flatMap(([u, a]) => [u, a]);
      return endWithUser ? flat.slice(0, -1) : flat;
    }),
  );
}

/** Schemas inside every target's enforced subset (objects closed, as Anthropic requires). */
const portableSchema = fc.constantFrom<Record<string, unknown>>(
  { type: 'object', properties: { a: { type: 'string' } }, required: ['a'], additionalProperties: false },
  {
    type: 'object',
    properties: { label: { type: 'string', enum: ['x', 'y'] }, n: { type: 'integer' } },
    required: ['label'],
    additionalProperties: false,
  },
  {
    type: 'object',
    properties: { items: { type: 'array', items: { type: 'string' } } },
    required: ['items'],
    additionalProperties: false,
  },
);

function responseFormat(caps: Caps): fc.Arbitrary<ResponseFormat | undefined> {
  if (caps === 'all') return fc.constant(undefined);
  // Anthropic and Gemini always enforce the schema they are given: their json_schema is strict.
  const strictSchema = portableSchema.map((schema): ResponseFormat => ({ type: 'json_schema', schema, strict: true }));
  // Anthropic has no text or bare JSON setting: only a schema round-trips.
  if (caps === 'anthropic') return fc.option(strictSchema, { nil: undefined });
  if (caps === 'gemini')
    return fc.option(
      fc.oneof(fc.constant({ type: 'text' as const }), fc.constant({ type: 'json' as const }), strictSchema),
      { nil: undefined },
    );
  const schema = fc
    .record({
      name: caps === 'openai' ? ident : fc.constant(undefined),
      schema: jsonObject,
      strict: caps === 'openai' ? fc.option(fc.boolean(), { nil: undefined }) : fc.constant(undefined),
    })
    .map((r): ResponseFormat => ({
      type: 'json_schema',
      schema: r.schema,
      ...(r.name !== undefined ? { name: r.name } : {}),
      ...(r.strict !== undefined ? { strict: r.strict } : {}),
    }));
  return fc.option(fc.oneof(fc.constant({ type: 'text' as const }), fc.constant({ type: 'json' as const }), schema), {
    nil: undefined,
  });
}

const toolChoice: fc.Arbitrary<ToolChoice> = fc.oneof(
  fc.constant({ type: 'auto' as const }),
  fc.constant({ type: 'none' as const }),
  fc.constant({ type: 'any' as const }),
  ident.map((name) => ({ type: 'tool' as const, name })),
);

const opt = <T>(a: fc.Arbitrary<T>, on: boolean): fc.Arbitrary<T | undefined> =>
  on ? fc.option(a, { nil: undefined }) : fc.constant(undefined);

/** Every format can carry a tool result that answers the previous turn's call (OpenAI has no result name). */
function answerToolCalls(messages: Message[]): Message[] {
  return messages.map((m, i) => {
    if (m.role !== 'user' || !m.content.some((p) => p.type === 'tool_result')) return m;
    const calls = (messages[i - 1]?.content ?? []).filter((p) => p.type === 'tool_use');
    if (calls.length === 0) return { role: 'user', content: [{ type: 'text', text: 'no calls' }] };
    return {
      role: 'user',
      content: calls.map((c) => ({
        type: 'tool_result',
        toolUseId: c.id,
        content: [{ type: 'text', text: `result of ${c.name}` }],
      })),
    };
  });
}

export function canonicalRequest(caps: Caps): fc.Arbitrary<CanonicalRequest> {
  const openai = caps === 'openai';
  const anthropic = caps === 'anthropic';
  const gemini = caps === 'gemini';
  return fc
    .record({
      system: fc.option(text, { nil: undefined }),
      messages: conversation(caps),
      tools: fc.option(
        fc.array(
          fc.record({ name: ident, description: fc.option(text, { nil: undefined }), inputSchema: jsonObject }),
          { maxLength: 2 },
        ),
        { nil: undefined },
      ),
      toolChoice: fc.option(toolChoice, { nil: undefined }),
      temperature: opt(openai || gemini ? unit.map((n) => n * 2) : unit, true),
      topP: opt(unit, true),
      topK: opt(fc.integer({ min: 0, max: 100 }), anthropic || gemini),
      maxTokens:
        anthropic || caps === 'all'
          ? fc.integer({ min: 1, max: 100_000 })
          : opt(fc.integer({ min: 1, max: 100_000 }), true),
      stop: fc.option(fc.array(nonEmpty, { maxLength: 3 }), { nil: undefined }),
      seed: opt(fc.integer(), openai || gemini),
      presencePenalty: opt(fc.integer({ min: -2, max: 2 }), openai || gemini),
      frequencyPenalty: opt(fc.integer({ min: -2, max: 2 }), openai || gemini),
      parallelToolCalls: openai ? fc.option(fc.boolean(), { nil: undefined }) : fc.constant(undefined),
      responseFormat: responseFormat(caps),
      stream: fc.boolean(),
      metadata: openai
        ? fc.option(
            fc.dictionary(ident, text, { maxKeys: 3 }).filter((d) => Object.keys(d).length > 0),
            { nil: undefined },
          )
        : anthropic
          ? fc.option(
              text.map((u) => ({ user_id: u })),
              { nil: undefined },
            )
          : fc.constant(undefined),
    })
    .map((r) => {
      const messages = caps === 'all' ? answerToolCalls(r.messages) : r.messages;
      const req: CanonicalRequest = { model: 'm', messages: fillToolResultNames(messages), stream: r.stream };
      for (const [k, v] of Object.entries(r))
        if (v !== undefined && k !== 'messages') (req as unknown as Record<string, unknown>)[k] = v;
      req.tools = r.tools?.map((t) => ({
        name: t.name,
        inputSchema: t.inputSchema,
        ...(t.description !== undefined ? { description: t.description } : {}),
      }));
      if (req.tools === undefined) delete req.tools;
      if (openai && req.stream) req.streamUsage = true;
      return req;
    });
}

function stopReason(caps: Caps, hasTools: boolean): fc.Arbitrary<StopReason> {
  if (caps === 'gemini')
    return fc.constantFrom<StopReason>(hasTools ? 'tool_use' : 'end_turn', 'max_tokens', 'content_filter');
  if (caps === 'openai') return fc.constantFrom<StopReason>('end_turn', 'max_tokens', 'tool_use', 'content_filter');
  return fc.constantFrom<StopReason>('end_turn', 'max_tokens', 'tool_use', 'content_filter', 'stop_sequence');
}

/** `stream`: text parts must be non-empty (an empty part sends no delta). */
export function canonicalResponse(caps: Caps, opts: { stream?: boolean } = {}): fc.Arbitrary<CanonicalResponse> {
  const t = opts.stream ? nonEmpty : caps === 'openai' ? nonEmpty : text;
  const textPart = t.map((s) => ({ type: 'text' as const, text: s }));
  const content =
    caps === 'openai'
      ? fc
          .tuple(fc.option(textPart, { nil: undefined }), fc.array(toolUse, { maxLength: 3 }))
          .map(([a, b]) => (a ? [a, ...b] : b))
      : fc.array(fc.oneof(textPart, toolUse), { maxLength: 4 });
  return content.chain((c) =>
    fc
      .record({
        id,
        model: ident,
        stopReason: stopReason(
          caps,
          c.some((p) => p.type === 'tool_use'),
        ),
        stopSequence: nonEmpty,
        input: fc.integer({ min: 0, max: 100_000 }),
        output: fc.integer({ min: 0, max: 100_000 }),
        cached: fc.option(fc.integer({ min: 0, max: 50 }), { nil: undefined }),
        creation:
          caps === 'anthropic'
            ? fc.option(fc.integer({ min: 0, max: 50 }), { nil: undefined })
            : fc.constant(undefined),
        fingerprint: caps === 'openai' ? fc.option(id, { nil: undefined }) : fc.constant(undefined),
        created: caps === 'openai' ? fc.integer({ min: 1, max: 2_000_000_000 }) : fc.constant(0),
      })
      .map((r): CanonicalResponse => ({
        id: r.id,
        model: r.model,
        content: c,
        stopReason: r.stopReason,
        ...(r.stopReason === 'stop_sequence' ? { stopSequence: r.stopSequence } : {}),
        usage: {
          inputTokens: r.input + (r.cached ?? 0) + (r.creation ?? 0),
          outputTokens: r.output,
          ...(r.cached !== undefined ? { cachedInputTokens: r.cached } : {}),
          ...(r.creation !== undefined ? { cacheCreationInputTokens: r.creation } : {}),
        },
        ...(r.fingerprint !== undefined ? { systemFingerprint: r.fingerprint } : {}),
        providerRequestId: r.id,
        created: r.created,
      })),
  );
}
