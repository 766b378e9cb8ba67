import type { EncodeOptions, ModelCapabilities } from '../capabilities.js';
import type { CanonicalRequest, ContentPart, Message, ResponseFormat, ToolDef } from '../canonical.js';
import type { EncodedRequest } from '../codec.js';
import { planReasoning } from '../shared/reasoning.js';
import { unsupported } from '../shared/unsupported.js';
import { copySettings, type SettingNames } from '../shared/copy-settings.js';

const fmt = 'openai' as const;

/** A canonical image as the `url` OpenAI takes (a data: URL for inline bytes); the Responses encoder shares it. */
export function imageUrl(p: Extract<ContentPart, { type: 'image' }>): string {
  return p.source.kind === 'url' ? p.source.url : `data:${p.source.mediaType};base64,${p.source.data}`;
}

function userMessages(m: Message, i: number): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  const rest: Array<Record<string, unknown>> = [];
  for (const p of m.content) {
    if (p.type === 'tool_result') {
      if (p.isError) unsupported(fmt, `messages[${i}].tool_result.is_error`);
      const text = p.content
        .map((c) => (c.type === 'text' ? c.text : unsupported(fmt, `messages[${i}].tool_result.content image`)))
        .join('');
      // Tool messages must follow the assistant turn directly, before any new user text.
      out.push({ role: 'tool', tool_call_id: p.toolUseId, content: text });
    } else if (p.type === 'text') rest.push({ type: 'text', text: p.text });
    else if (p.type === 'image') rest.push({ type: 'image_url', image_url: { url: imageUrl(p) } });
    else unsupported(fmt, `messages[${i}].tool_use in a user message`);
  }
  const only = rest[0];
  if (rest.length === 1 && only?.type === 'text') out.push({ role: 'user', content: only.text });
  else if (rest.length > 0 || out.length === 0) out.push({ role: 'user', content: rest });
  return out;
}

function assistantMessage(m: Message, i: number): Record<string, unknown> {
  const texts: string[] = [];
  const toolCalls: Array<Record<string, unknown>> = [];
  for (const p of m.content) {
    if (p.type === 'text') {
      if (toolCalls.length > 0)
        unsupported(fmt, `messages[${i}].content`, 'text after a tool call in one assistant turn');
      texts.push(p.text);
    } else if (p.type === 'tool_use')
      toolCalls.push({ id: p.id, type: 'function', function: { name: p.name, arguments: JSON.stringify(p.input) } });
    // Chat Completions has no field for earlier reasoning: it is left out (docs/wire.md, "Reasoning across formats").
    else if (p.type === 'thinking') continue;
    else unsupported(fmt, `messages[${i}].${p.type} in an assistant message`);
  }
  const content =
    texts.length === 0 ? null : texts.length === 1 ? texts[0] : texts.map((text) => ({ type: 'text', text }));
  return { role: 'assistant', content, ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}) };
}

/**
 * Structured-output settings the target model is known to lack are refused here, naming the model;
 * an unknown model gets the request as asked and OpenAI's own validation decides. Shared with the
 * Responses encoder.
 */
export function checkOpenAiStructured(
  req: CanonicalRequest,
  model: string,
  caps: ModelCapabilities | undefined,
  format: 'openai' | 'openai-responses',
): void {
  const so = caps?.structuredOutput;
  if (!so) return;
  const rf: ResponseFormat | undefined = req.responseFormat;
  if (rf?.type === 'json_schema' && so.jsonSchema === false)
    unsupported(format, 'response_format json_schema', `${model} has no structured outputs`);
  if (rf?.type === 'json' && so.jsonMode === false)
    unsupported(format, 'response_format json_object', `${model} has no JSON mode`);
  req.tools?.forEach((t: ToolDef, i) => {
    if (t.strict === true && so.strictTools === false)
      unsupported(format, `tools[${i}].strict`, `${model} has no strict function calling`);
  });
}

// o-series models refuse `max_tokens`; `max_completion_tokens` works for every current model.
const SETTINGS: SettingNames = {
  parallelToolCalls: 'parallel_tool_calls',
  temperature: 'temperature',
  topP: 'top_p',
  maxTokens: 'max_completion_tokens',
  stop: 'stop',
  seed: 'seed',
  presencePenalty: 'presence_penalty',
  frequencyPenalty: 'frequency_penalty',
};

export function encodeOpenAiRequest(req: CanonicalRequest, model: string, opts: EncodeOptions = {}): EncodedRequest {
  checkOpenAiStructured(req, model, opts.capabilities, fmt);
  if (req.topK !== undefined) unsupported(fmt, 'top_k');
  const messages: Array<Record<string, unknown>> = [];
  if (req.system !== undefined) messages.push({ role: 'system', content: req.system });
  req.messages.forEach((m, i) => {
    if (m.role === 'user') messages.push(...userMessages(m, i));
    else messages.push(assistantMessage(m, i));
  });
  const body: Record<string, unknown> = { model, messages };
  if (req.tools) {
    body.tools = req.tools.map((t) => ({
      type: 'function',
      function: {
        name: t.name,
        ...(t.description !== undefined ? { description: t.description } : {}),
        parameters: t.inputSchema,
        ...(t.strict !== undefined ? { strict: t.strict } : {}),
      },
    }));
  }
  const tc = req.toolChoice;
  if (tc)
    body.tool_choice =
      tc.type === 'any' ? 'required' : tc.type === 'tool' ? { type: 'function', function: { name: tc.name } } : tc.type;
  copySettings(body, req, SETTINGS);
  const rf = req.responseFormat;
  if (rf) {
    body.response_format =
      rf.type === 'text'
        ? { type: 'text' }
        : rf.type === 'json'
          ? { type: 'json_object' }
          : {
              type: 'json_schema',
              json_schema: {
                name: rf.name ?? 'response',
                ...(rf.description !== undefined ? { description: rf.description } : {}),
                schema: rf.schema,
                ...(rf.strict !== undefined ? { strict: rf.strict } : {}),
              },
            };
  }
  const plan = planReasoning(req.reasoning, fmt, model, opts.capabilities);
  if (plan?.kind === 'effort') body.reasoning_effort = plan.effort;
  if (req.stream) {
    body.stream = true;
    // Usage is always requested upstream: it feeds cost records whatever the client asked.
    body.stream_options = { include_usage: true };
  }
  if (req.metadata) {
    const { user_id, ...rest } = req.metadata;
    if (user_id !== undefined) body.user = user_id;
    if (Object.keys(rest).length > 0) body.metadata = rest;
  }
  return { path: '/chat/completions', body };
}
