import type { EncodeOptions } from '../capabilities.js';
import type { CacheControl, CanonicalRequest, ContentPart, ImagePart, Message } from '../canonical.js';
import type { EncodedRequest } from '../codec.js';
import { planReasoning, type ReasoningPlan } from '../shared/reasoning.js';
import { unsupported } from '../shared/unsupported.js';
import { copySettings } from '../shared/copy-settings.js';
import { ANSWER_TOOL, encodeStructured, strictToolSchema } from './structured.js';

const fmt = 'anthropic' as const;
/** Anthropic requires `max_tokens`; used when the caller and the target set none. */
export const DEFAULT_ANTHROPIC_MAX_TOKENS = 4096;

function withCache(block: Record<string, unknown>, cc: CacheControl | undefined): Record<string, unknown> {
  if (cc) block.cache_control = cc.ttl !== undefined ? { type: cc.type, ttl: cc.ttl } : { type: cc.type };
  return block;
}

function image(p: ImagePart): Record<string, unknown> {
  const s = p.source;
  return withCache(
    {
      type: 'image',
      source:
        s.kind === 'base64' ? { type: 'base64', media_type: s.mediaType, data: s.data } : { type: 'url', url: s.url },
    },
    p.cacheControl,
  );
}

/** Null for a part that is not sent: reasoning another provider signed, which Anthropic cannot verify. */
function block(p: ContentPart, role: 'user' | 'assistant', path: string): Record<string, unknown> | null {
  if (p.type === 'text') return withCache({ type: 'text', text: p.text }, p.cacheControl);
  if (p.type === 'image') {
    if (role === 'assistant') unsupported(fmt, `${path} image in an assistant message`);
    return image(p);
  }
  if (p.type === 'tool_use') {
    if (role === 'user') unsupported(fmt, `${path} tool_use in a user message`);
    return withCache({ type: 'tool_use', id: p.id, name: p.name, input: p.input }, p.cacheControl);
  }
  if (p.type === 'thinking') {
    if (p.signature?.format !== 'anthropic') return null;
    // Sent back byte for byte: Anthropic rejects a thinking block whose text or signature changed.
    return p.redacted
      ? { type: 'redacted_thinking', data: p.signature.value }
      : { type: 'thinking', thinking: p.text, signature: p.signature.value };
  }
  if (role === 'assistant') unsupported(fmt, `${path} tool_result in an assistant message`);
  return withCache(
    {
      type: 'tool_result',
      tool_use_id: p.toolUseId,
      content: p.content.map((c) =>
        c.type === 'text' ? withCache({ type: 'text', text: c.text }, c.cacheControl) : image(c),
      ),
      ...(p.isError !== undefined ? { is_error: p.isError } : {}),
    },
    p.cacheControl,
  );
}

/**
 * Anthropic requires the last assistant turn of a tool loop to start with its signed thinking block
 * while thinking is on. When that turn came from elsewhere (a client format with no thinking blocks,
 * another provider), thinking is left off for this request, as Anthropic's own error message advises
 * (docs/wire.md, "Reasoning across formats").
 */
function unsignedToolTurn(messages: Message[]): boolean {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (m?.role !== 'assistant') continue;
    const calls = m.content.some((p) => p.type === 'tool_use');
    const signed = m.content.some((p) => p.type === 'thinking' && p.signature?.format === 'anthropic');
    return calls && !signed;
  }
  return false;
}

function applyReasoning(
  body: Record<string, unknown>,
  plan: ReasoningPlan | undefined,
  req: CanonicalRequest,
  model: string,
): void {
  if (!plan) return;
  if (plan.kind === 'off') {
    body.thinking = { type: 'disabled' };
    return;
  }
  if (unsignedToolTurn(req.messages)) return;
  const display = 'includeThoughts' in plan && plan.includeThoughts === false ? { display: 'omitted' } : {};
  if (plan.kind === 'adaptive') {
    body.thinking = { type: 'adaptive', ...display };
    if (plan.effort !== undefined)
      body.output_config = { ...(body.output_config as Record<string, unknown> | undefined), effort: plan.effort };
    return;
  }
  if (plan.kind !== 'budget') return;
  // The budget counts toward max_tokens and must stay below it.
  let budget = plan.budgetTokens;
  if (req.maxTokens === undefined) body.max_tokens = budget + DEFAULT_ANTHROPIC_MAX_TOKENS;
  else if (budget >= req.maxTokens) {
    if (req.maxTokens <= 1024)
      unsupported(
        fmt,
        'reasoning',
        `model ${model} needs max_tokens above 1024 to think (a budget of at least 1024 below max_tokens)`,
      );
    budget = req.maxTokens - 1;
  }
  body.thinking = { type: 'enabled', budget_tokens: budget, ...display };
}

export function encodeAnthropicRequest(req: CanonicalRequest, model: string, opts: EncodeOptions = {}): EncodedRequest {
  const caps = opts.capabilities;
  const structured = encodeStructured(req, model, caps);
  if (req.seed !== undefined) unsupported(fmt, 'seed');
  if (req.presencePenalty !== undefined) unsupported(fmt, 'presence_penalty');
  if (req.frequencyPenalty !== undefined) unsupported(fmt, 'frequency_penalty');
  if (req.temperature !== undefined && req.temperature > 1) unsupported(fmt, 'temperature', 'Anthropic accepts 0..1');
  const plan = planReasoning(req.reasoning, fmt, model, caps);
  // Anthropic refuses a forced tool choice while thinking, and JSON without a schema (or a best-effort
  // schema) reaches Claude only through a forced tool: neither can be dropped silently, so say both.
  if (structured.answerTool && plan && plan.kind !== 'off') {
    unsupported(
      fmt,
      'response_format with reasoning',
      `JSON output reaches ${model} through a forced tool, which Anthropic does not allow together with extended thinking; drop one of response_format or the reasoning setting`,
    );
  }
  const body: Record<string, unknown> = {
    model,
    max_tokens: req.maxTokens ?? DEFAULT_ANTHROPIC_MAX_TOKENS,
    messages: req.messages.map((m, i) => ({
      role: m.role,
      content: m.content
        .map((p, j) => block(p, m.role, `messages[${i}].content[${j}]`))
        .filter((b): b is Record<string, unknown> => b !== null),
    })),
  };
  if (req.systemBlocks)
    body.system = req.systemBlocks.map((b) => withCache({ type: 'text', text: b.text }, b.cacheControl));
  else if (req.system !== undefined) body.system = req.system;
  if (req.cacheControl) withCache(body, req.cacheControl);
  if (req.tools) {
    body.tools = req.tools.map((t, i) =>
      withCache(
        {
          name: t.name,
          ...(t.description !== undefined ? { description: t.description } : {}),
          input_schema: t.strict === true ? strictToolSchema(t.inputSchema, i, model, caps) : t.inputSchema,
          ...(t.strict === true ? { strict: true } : {}),
        },
        t.cacheControl,
      ),
    );
  }
  if (structured.outputConfig) body.output_config = structured.outputConfig;
  const noParallel = req.parallelToolCalls === false;
  const tc = req.toolChoice ?? (noParallel ? { type: 'auto' as const } : undefined);
  if (structured.answerTool) {
    body.tools = [structured.answerTool.tool];
    body.tool_choice = structured.answerTool.choice;
  } else if (tc) {
    body.tool_choice =
      tc.type === 'none'
        ? { type: 'none' }
        : {
            ...(tc.type === 'tool' ? { type: 'tool', name: tc.name } : { type: tc.type }),
            ...(noParallel ? { disable_parallel_tool_use: true } : {}),
          };
  }
  copySettings(body, req, { temperature: 'temperature', topP: 'top_p', topK: 'top_k', stop: 'stop_sequences' });
  if (req.stream) body.stream = true;
  if (req.metadata) {
    for (const k of Object.keys(req.metadata))
      if (k !== 'user_id') unsupported(fmt, `metadata.${k}`, 'Anthropic metadata only has user_id');
    if (req.metadata.user_id !== undefined) body.metadata = { user_id: req.metadata.user_id };
  }
  applyReasoning(body, plan, req, model);
  return structured.answerTool
    ? { path: '/v1/messages', body, answerTool: ANSWER_TOOL }
    : { path: '/v1/messages', body };
}
