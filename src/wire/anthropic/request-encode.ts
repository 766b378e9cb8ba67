import type { EncodeOptions } from '../capabilities.js';
import type { CanonicalRequest, ContentPart, ImagePart } from '../canonical.js';
import type { EncodedRequest } from '../codec.js';
import { unsupported } from '../shared/unsupported.js';
import { ANSWER_TOOL, encodeStructured, strictToolSchema } from './structured.js';

const fmt = 'anthropic' as const;
/** Anthropic requires `max_tokens`; used when the caller and the target set none. */
export const DEFAULT_ANTHROPIC_MAX_TOKENS = 4096;

function image(p: ImagePart): Record<string, unknown> {
  const s = p.source;
  return { type: 'image', source: s.kind === 'base64' ? { type: 'base64', media_type: s.mediaType, data: s.data } : { type: 'url', url: s.url } };
}

function block(p: ContentPart, role: 'user' | 'assistant', path: string): Record<string, unknown> {
  if (p.type === 'text') return { type: 'text', text: p.text };
  if (p.type === 'image') {
    if (role === 'assistant') unsupported(fmt, `${path} image in an assistant message`);
    return image(p);
  }
  if (p.type === 'tool_use') {
    if (role === 'user') unsupported(fmt, `${path} tool_use in a user message`);
    return { type: 'tool_use', id: p.id, name: p.name, input: p.input };
  }
  if (role === 'assistant') unsupported(fmt, `${path} tool_result in an assistant message`);
  return {
    type: 'tool_result',
    tool_use_id: p.toolUseId,
    content: p.content.map((c) => (c.type === 'text' ? { type: 'text', text: c.text } : image(c))),
    ...(p.isError !== undefined ? { is_error: p.isError } : {}),
  };
}

export function encodeAnthropicRequest(req: CanonicalRequest, model: string, opts: EncodeOptions = {}): EncodedRequest {
  const caps = opts.capabilities;
  const structured = encodeStructured(req, model, caps);
  if (req.seed !== undefined) unsupported(fmt, 'seed');
  if (req.presencePenalty !== undefined) unsupported(fmt, 'presence_penalty');
  if (req.frequencyPenalty !== undefined) unsupported(fmt, 'frequency_penalty');
  if (req.temperature !== undefined && req.temperature > 1) unsupported(fmt, 'temperature', 'Anthropic accepts 0..1');
  const body: Record<string, unknown> = {
    model,
    max_tokens: req.maxTokens ?? DEFAULT_ANTHROPIC_MAX_TOKENS,
    messages: req.messages.map((m, i) => ({ role: m.role, content: m.content.map((p, j) => block(p, m.role, `messages[${i}].content[${j}]`)) })),
  };
  if (req.system !== undefined) body.system = req.system;
  if (req.tools) {
    body.tools = req.tools.map((t, i) => ({
      name: t.name,
      ...(t.description !== undefined ? { description: t.description } : {}),
      input_schema: t.strict === true ? strictToolSchema(t.inputSchema, i, model, caps) : t.inputSchema,
      ...(t.strict === true ? { strict: true } : {}),
    }));
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
        : { ...(tc.type === 'tool' ? { type: 'tool', name: tc.name } : { type: tc.type }), ...(noParallel ? { disable_parallel_tool_use: true } : {}) };
  }
  if (req.temperature !== undefined) body.temperature = req.temperature;
  if (req.topP !== undefined) body.top_p = req.topP;
  if (req.topK !== undefined) body.top_k = req.topK;
  if (req.stop !== undefined) body.stop_sequences = req.stop;
  if (req.stream) body.stream = true;
  if (req.metadata) {
    for (const k of Object.keys(req.metadata)) if (k !== 'user_id') unsupported(fmt, `metadata.${k}`, 'Anthropic metadata only has user_id');
    if (req.metadata.user_id !== undefined) body.metadata = { user_id: req.metadata.user_id };
  }
  return structured.answerTool ? { path: '/v1/messages', body, answerTool: ANSWER_TOOL } : { path: '/v1/messages', body };
}
