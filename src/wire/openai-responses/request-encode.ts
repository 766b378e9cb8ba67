/**
 * Canonical -> Responses request (`POST /responses`), the provider-facing direction. The inverse of
 * request-decode.ts: system becomes `instructions`, each turn becomes input items (messages,
 * `function_call`, `function_call_output`). Nothing is stored upstream (`store: false`): every
 * call carries its whole conversation, as with Chat Completions.
 */
import type { EncodeOptions } from '../capabilities.js';
import type { CanonicalRequest, ContentPart, ImagePart, Message, TextPart, ToolResultPart } from '../canonical.js';
import type { EncodedRequest } from '../codec.js';
import { planReasoning } from '../shared/reasoning.js';
import { checkOpenAiStructured, imageUrl } from '../openai/request-encode.js';
import { unsupported } from '../shared/unsupported.js';
import { copySettings } from '../shared/copy-settings.js';
import { encodeFunctionTool, encodeTextFormat, encodeToolChoice } from './params.js';

const fmt = 'openai-responses' as const;

type Item = Record<string, unknown>;

function inputPart(p: TextPart | ImagePart): Item {
  return p.type === 'text' ? { type: 'input_text', text: p.text } : { type: 'input_image', image_url: imageUrl(p) };
}

function toolOutput(p: ToolResultPart, i: number): Item {
  if (p.isError) unsupported(fmt, `messages[${i}].tool_result.is_error`);
  const only = p.content[0];
  const output = p.content.length === 1 && only?.type === 'text' ? only.text : p.content.map(inputPart);
  return { type: 'function_call_output', call_id: p.toolUseId, output };
}

/** A user turn, in order: consecutive text and image parts form one message, each tool result is its own item. */
function userItems(m: Message, i: number): Item[] {
  const out: Item[] = [];
  let parts: Item[] = [];
  const flush = () => {
    if (parts.length > 0) out.push({ type: 'message', role: 'user', content: parts });
    parts = [];
  };
  for (const p of m.content) {
    if (p.type === 'tool_result') {
      flush();
      out.push(toolOutput(p, i));
    } else if (p.type === 'text' || p.type === 'image') parts.push(inputPart(p));
    else unsupported(fmt, `messages[${i}].tool_use in a user message`);
  }
  flush();
  if (out.length === 0) out.push({ type: 'message', role: 'user', content: [] });
  return out;
}

function assistantItems(m: Message, i: number): Item[] {
  // An empty turn still takes its place, or the turns around it would merge.
  if (m.content.length === 0) return [{ type: 'message', role: 'assistant', content: [] }];
  // Reasoning from other providers has no Responses item it could become (reasoning items are OpenAI's own, encrypted).
  return m.content
    .filter((p) => p.type !== 'thinking')
    .map((p: ContentPart): Item => {
      if (p.type === 'text') return { type: 'message', role: 'assistant', content: p.text };
      if (p.type === 'tool_use')
        return { type: 'function_call', call_id: p.id, name: p.name, arguments: JSON.stringify(p.input) };
      return unsupported(fmt, `messages[${i}].${p.type} in an assistant message`);
    });
}

export function encodeResponsesRequest(req: CanonicalRequest, model: string, opts: EncodeOptions = {}): EncodedRequest {
  checkOpenAiStructured(req, model, opts.capabilities, fmt);
  // Chat Completions parameters the Responses API has no field for.
  if (req.topK !== undefined) unsupported(fmt, 'top_k');
  if (req.stop !== undefined) unsupported(fmt, 'stop');
  if (req.seed !== undefined) unsupported(fmt, 'seed');
  if (req.presencePenalty !== undefined) unsupported(fmt, 'presence_penalty');
  if (req.frequencyPenalty !== undefined) unsupported(fmt, 'frequency_penalty');
  const input = req.messages.flatMap((m, i) => (m.role === 'user' ? userItems(m, i) : assistantItems(m, i)));
  const body: Record<string, unknown> = { model, input, store: false };
  if (req.system !== undefined) body.instructions = req.system;
  if (req.tools) body.tools = req.tools.map((t) => encodeFunctionTool(t, false));
  if (req.toolChoice) body.tool_choice = encodeToolChoice(req.toolChoice);
  copySettings(body, req, {
    parallelToolCalls: 'parallel_tool_calls',
    temperature: 'temperature',
    topP: 'top_p',
    maxTokens: 'max_output_tokens',
  });
  if (req.responseFormat) body.text = { format: encodeTextFormat(req.responseFormat) };
  const plan = planReasoning(req.reasoning, fmt, model, opts.capabilities);
  if (plan?.kind === 'effort') body.reasoning = { effort: plan.effort };
  // Usage always arrives with the terminal event, so nothing like `stream_options` is needed.
  if (req.stream) body.stream = true;
  if (req.metadata) {
    const { user_id, ...rest } = req.metadata;
    if (user_id !== undefined) body.safety_identifier = user_id;
    if (Object.keys(rest).length > 0) body.metadata = rest;
  }
  return { path: '/responses', body };
}
