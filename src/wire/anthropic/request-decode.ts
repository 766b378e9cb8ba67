import { UnsupportedError } from '../../core/errors.js';
import {
  REASONING_EFFORTS,
  type CacheControl,
  type CanonicalRequest,
  type ContentPart,
  type ImagePart,
  type Message,
  type ReasoningRequest,
  type ResponseFormat,
  type TextPart,
  type ToolChoice,
  type ToolDef,
} from '../canonical.js';
import type { ClientRequestContext } from '../codec.js';
import { checkFields } from '../shared/field-table.js';
import { fillToolResultNames } from '../shared/tool-names.js';
import { failRequest, parseClient } from '../shared/validate.js';
import { ANTHROPIC_FIELDS } from './fields.js';
import { MessagesRequest, type Block } from './schemas.js';

/** Betas under which the top-level `output_format` was offered (Anthropic moved it to `output_config.format`). */
const STRUCTURED_OUTPUT_BETA = /(^|,)\s*structured-outputs-\d{4}-\d{2}-\d{2}\s*(,|$)/;

function refuse(field: string, why = 'not supported by the modelpin gateway'): never {
  throw new UnsupportedError(`${field}: ${why}`, { details: { field, param: field } });
}

type WireCache = { type: 'ephemeral'; ttl?: '5m' | '1h' | undefined } | null | undefined;

function cache(c: WireCache): CacheControl | undefined {
  if (!c) return undefined;
  return c.ttl !== undefined ? { type: 'ephemeral', ttl: c.ttl } : { type: 'ephemeral' };
}

/** Copies a block's cache breakpoint onto its canonical part. */
function cached<T extends ContentPart>(part: T, c: WireCache): T {
  const cc = cache(c);
  if (cc) (part as { cacheControl?: CacheControl }).cacheControl = cc;
  return part;
}

function image(b: Extract<Block, { type: 'image' }>): ImagePart {
  const s = b.source;
  return cached(
    {
      type: 'image',
      source:
        s.type === 'base64' ? { kind: 'base64', mediaType: s.media_type, data: s.data } : { kind: 'url', url: s.url },
    },
    b.cache_control,
  );
}

function text(b: { text: string; cache_control?: WireCache }): TextPart {
  return cached({ type: 'text', text: b.text }, b.cache_control);
}

function block(b: Block, path: string): ContentPart {
  switch (b.type) {
    case 'text':
      return text(b as Extract<Block, { type: 'text' }>);
    case 'image':
      return image(b as Extract<Block, { type: 'image' }>);
    case 'tool_use': {
      const t = b as Extract<Block, { type: 'tool_use' }>;
      return cached({ type: 'tool_use', id: t.id, name: t.name, input: t.input }, t.cache_control);
    }
    case 'thinking': {
      const t = b as Extract<Block, { type: 'thinking' }>;
      return { type: 'thinking', text: t.thinking, signature: { format: 'anthropic', value: t.signature } };
    }
    case 'redacted_thinking': {
      const t = b as Extract<Block, { type: 'redacted_thinking' }>;
      return { type: 'thinking', text: '', redacted: true, signature: { format: 'anthropic', value: t.data } };
    }
    case 'tool_result': {
      const t = b as Extract<Block, { type: 'tool_result' }>;
      const content: Array<TextPart | ImagePart> =
        t.content === undefined
          ? []
          : typeof t.content === 'string'
            ? [{ type: 'text', text: t.content }]
            : t.content.map((c) => (c.type === 'text' ? text(c) : image(c)));
      return cached(
        {
          type: 'tool_result',
          toolUseId: t.tool_use_id,
          content,
          ...(t.is_error !== undefined ? { isError: t.is_error } : {}),
        },
        t.cache_control,
      );
    }
    default:
      return refuse(`${path}.type`, `${b.type} blocks are not supported`);
  }
}

function toolChoice(tc: MessagesRequest['tool_choice']): { toolChoice?: ToolChoice; parallelToolCalls?: boolean } {
  if (!tc) return {};
  const choice: ToolChoice = tc.type === 'tool' ? { type: 'tool', name: tc.name } : { type: tc.type };
  const disable = 'disable_parallel_tool_use' in tc ? tc.disable_parallel_tool_use : undefined;
  return { toolChoice: choice, ...(disable === true ? { parallelToolCalls: false } : {}) };
}

/** `thinking` and `output_config.effort` -> canonical reasoning. */
function reasoning(r: MessagesRequest): ReasoningRequest | undefined {
  const effortRaw = r.output_config?.effort;
  let effort: ReasoningRequest['effort'];
  if (effortRaw !== undefined && effortRaw !== null) {
    const allowed = REASONING_EFFORTS.filter((e) => e !== 'none' && e !== 'minimal') as string[];
    if (typeof effortRaw !== 'string' || !allowed.includes(effortRaw)) {
      failRequest(`output_config.effort: expected one of ${allowed.join(', ')}`, 'output_config.effort');
    }
    effort = effortRaw as ReasoningRequest['effort'];
  }
  const t = r.thinking;
  if (t?.type === 'disabled') return { effort: 'none' };
  const shown = t ? { includeThoughts: t.display !== 'omitted' } : {};
  if (t?.type === 'enabled') return { budgetTokens: t.budget_tokens, ...shown };
  if (t?.type === 'adaptive') return { adaptive: true, ...(effort !== undefined ? { effort } : {}), ...shown };
  return effort !== undefined ? { effort } : undefined;
}

/**
 * Anthropic always constrains the answer to the schema, so the canonical format is strict. The
 * beta `output_format` is read only under its beta header, as the API did; both at once are
 * refused, as the SDK refuses them.
 */
function responseFormat(r: MessagesRequest, ctx: ClientRequestContext): ResponseFormat | undefined {
  const ga = r.output_config?.format ?? undefined;
  const beta = r.output_format ?? undefined;
  if (beta) {
    if (!STRUCTURED_OUTPUT_BETA.test(ctx.header?.('anthropic-beta') ?? '')) {
      refuse(
        'output_format',
        'the beta output_format needs the header anthropic-beta: structured-outputs-2025-11-13; send output_config.format instead',
      );
    }
    if (ga) refuse('output_format', 'send output_config.format or output_format, not both');
  }
  const format = ga ?? beta;
  return format ? { type: 'json_schema', schema: format.schema, strict: true } : undefined;
}

function tool(t: NonNullable<MessagesRequest['tools']>[number], i: number): ToolDef {
  if (t.input_schema === undefined) refuse(`tools[${i}]`, `server tool ${t.type ?? t.name} is not supported`);
  // Fields of a custom tool that change what the model sees or who may call it; none can be carried.
  if (t.defer_loading === true) refuse(`tools[${i}].defer_loading`, 'deferred tools need the tool search server tool');
  if (Array.isArray(t.input_examples) && t.input_examples.length > 0)
    refuse(`tools[${i}].input_examples`, 'tool input examples cannot be translated to every provider');
  if (Array.isArray(t.allowed_callers) && t.allowed_callers.some((c) => c !== 'direct'))
    refuse(`tools[${i}].allowed_callers`, 'programmatic tool calling needs the code execution server tool');
  const cc = cache(t.cache_control as WireCache);
  return {
    name: t.name,
    ...(t.description !== undefined ? { description: t.description } : {}),
    inputSchema: t.input_schema,
    ...(t.strict === true ? { strict: true } : {}),
    ...(cc ? { cacheControl: cc } : {}),
  };
}

export function decodeAnthropicRequest(body: unknown, ctx: ClientRequestContext = {}): CanonicalRequest {
  checkFields('anthropic', ANTHROPIC_FIELDS, body);
  const r = parseClient(MessagesRequest, body);
  const messages: Message[] = r.messages.map((m, i) => ({
    role: m.role,
    content:
      typeof m.content === 'string'
        ? [{ type: 'text', text: m.content }]
        : m.content.map((b, j) => block(b, `messages[${i}].content[${j}]`)),
  }));
  const tools = r.tools?.map(tool);
  const rf = responseFormat(r, ctx);
  const system =
    r.system === undefined
      ? undefined
      : typeof r.system === 'string'
        ? r.system
        : r.system.map((b) => b.text).join('\n\n');
  // Blocks are kept only when one carries a cache breakpoint: the joined text says everything else.
  const systemBlocks =
    Array.isArray(r.system) && r.system.some((b) => b.cache_control) ? r.system.map(text) : undefined;
  const rs = reasoning(r);
  const topCache = cache(r.cache_control);
  const userId = r.metadata?.user_id;
  return {
    model: r.model,
    ...(system !== undefined ? { system } : {}),
    ...(systemBlocks ? { systemBlocks } : {}),
    ...(topCache ? { cacheControl: topCache } : {}),
    ...(rs ? { reasoning: rs } : {}),
    messages: fillToolResultNames(messages),
    ...(tools ? { tools } : {}),
    ...toolChoice(r.tool_choice),
    ...(r.temperature !== undefined ? { temperature: r.temperature } : {}),
    ...(r.top_p !== undefined ? { topP: r.top_p } : {}),
    ...(r.top_k !== undefined ? { topK: r.top_k } : {}),
    maxTokens: r.max_tokens,
    ...(r.stop_sequences !== undefined ? { stop: r.stop_sequences } : {}),
    stream: r.stream === true,
    ...(userId != null ? { metadata: { user_id: userId } } : {}),
    ...(rf ? { responseFormat: rf } : {}),
  };
}
