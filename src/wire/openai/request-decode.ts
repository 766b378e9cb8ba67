import { UnsupportedError } from '../../core/errors.js';
import type {
  CanonicalRequest,
  ContentPart,
  ImageSource,
  Message,
  ResponseFormat,
  TextPart,
  ToolChoice,
} from '../canonical.js';
import { checkFields } from '../shared/field-table.js';
import { failRequest, parseClient } from '../shared/validate.js';
import { fillToolResultNames, parseToolArguments } from '../shared/tool-names.js';
import { OPENAI_FIELDS } from './fields.js';
import { ChatRequest, type ChatMessage } from './schemas.js';
import { simpleChatRequest } from './simple-request.js';

function refuse(field: string, why = 'not supported by the modelpin gateway'): never {
  throw new UnsupportedError(`${field}: ${why}`, { details: { field, param: field } });
}

export function parseDataUrl(url: string): ImageSource {
  const m = /^data:([^;,]+);base64,(.*)$/s.exec(url);
  return m ? { kind: 'base64', mediaType: m[1] ?? '', data: m[2] ?? '' } : { kind: 'url', url };
}

function textOf(content: string | Array<{ type: 'text'; text: string }>): TextPart[] {
  return typeof content === 'string'
    ? [{ type: 'text', text: content }]
    : content.map((p) => ({ type: 'text', text: p.text }));
}

function userContent(msg: Extract<ChatMessage, { role: 'user' }>, i: number): ContentPart[] {
  if (typeof msg.content === 'string') return [{ type: 'text', text: msg.content }];
  return msg.content.map((p, j): ContentPart => {
    if (p.type === 'text') return { type: 'text', text: (p as { text: string }).text };
    if (p.type === 'image_url')
      return { type: 'image', source: parseDataUrl((p as { image_url: { url: string } }).image_url.url) };
    return refuse(`messages[${i}].content[${j}].type`, `${p.type} parts are not supported`);
  });
}

function assistantContent(msg: Extract<ChatMessage, { role: 'assistant' }>, i: number): ContentPart[] {
  const out: ContentPart[] = [];
  if (typeof msg.content === 'string') {
    if (msg.content !== '' || !msg.tool_calls?.length) out.push({ type: 'text', text: msg.content });
  } else if (msg.content) {
    msg.content.forEach((p, j) => {
      if (p.type === 'refusal') refuse(`messages[${i}].content[${j}]`, 'refusal parts are not supported');
      out.push({ type: 'text', text: p.text });
    });
  }
  if (msg.refusal) refuse(`messages[${i}].refusal`);
  (msg.tool_calls ?? []).forEach((tc, j) => {
    const input = parseToolArguments(tc.function.arguments);
    if (!input)
      failRequest(
        `messages[${i}].tool_calls[${j}].function.arguments: expected a JSON object`,
        `messages[${i}].tool_calls[${j}].function.arguments`,
      );
    out.push({ type: 'tool_use', id: tc.id, name: tc.function.name, input });
  });
  return out;
}

function toolChoice(tc: ChatRequest['tool_choice']): ToolChoice | undefined {
  if (tc === undefined) return undefined;
  if (tc === 'auto' || tc === 'none') return { type: tc };
  if (tc === 'required') return { type: 'any' };
  return { type: 'tool', name: tc.function.name };
}

function responseFormat(rf: ChatRequest['response_format']): ResponseFormat | undefined {
  if (!rf) return undefined;
  if (rf.type === 'text') return { type: 'text' };
  if (rf.type === 'json_object') return { type: 'json' };
  const js = rf.json_schema;
  return {
    type: 'json_schema',
    name: js.name,
    ...(js.description !== undefined ? { description: js.description } : {}),
    schema: js.schema ?? {},
    ...(js.strict === null || js.strict === undefined ? {} : { strict: js.strict }),
  };
}

function messages(list: ChatMessage[]): { system?: string; messages: Message[] } {
  const system: string[] = [];
  const out: Message[] = [];
  list.forEach((m, i) => {
    if ('name' in m && m.name !== undefined) refuse(`messages[${i}].name`);
    if (m.role === 'system' || m.role === 'developer') {
      if (out.length > 0)
        refuse(`messages[${i}]`, 'a system message after the conversation started cannot be translated');
      system.push(
        textOf(m.content)
          .map((p) => p.text)
          .join(''),
      );
      return;
    }
    if (m.role === 'tool') {
      const part: ContentPart = { type: 'tool_result', toolUseId: m.tool_call_id, content: textOf(m.content) };
      const last = out[out.length - 1];
      // Consecutive tool messages answer one assistant turn: one canonical user message.
      if (last && last.role === 'user' && last.content.every((p) => p.type === 'tool_result')) last.content.push(part);
      else out.push({ role: 'user', content: [part] });
      return;
    }
    if (m.role === 'user') out.push({ role: 'user', content: userContent(m, i) });
    else if (m.role === 'assistant') out.push({ role: 'assistant', content: assistantContent(m, i) });
  });
  const filled = fillToolResultNames(out);
  return system.length > 0 ? { system: system.join('\n\n'), messages: filled } : { messages: filled };
}

/** The end user behind a call: `safety_identifier` replaced `user`; both become canonical `metadata.user_id`. */
function endUser(r: ChatRequest): string | undefined {
  if (r.user != null && r.safety_identifier != null && r.user !== r.safety_identifier) {
    refuse('user', 'send one end-user id: user and safety_identifier differ');
  }
  return r.safety_identifier ?? r.user ?? undefined;
}

/** Any body: unknown and refused fields first, then the schema. */
function checkedChatRequest(body: unknown): ChatRequest {
  checkFields('openai', OPENAI_FIELDS, body);
  return parseClient(ChatRequest, body);
}

export function decodeOpenAiRequest(body: unknown): CanonicalRequest {
  const r = simpleChatRequest(body) ?? checkedChatRequest(body);
  if (r.n !== undefined && r.n !== null && r.n !== 1) refuse('n', 'only n=1 is supported');
  const maxTokens = r.max_completion_tokens ?? r.max_tokens;
  const stream = r.stream === true;
  // Built field by field rather than from conditional spreads: this runs on every gateway
  // request and each spread allocates a throwaway object.
  const m = messages(r.messages);
  const out: CanonicalRequest =
    m.system !== undefined
      ? { model: r.model, system: m.system, messages: m.messages, stream }
      : { model: r.model, messages: m.messages, stream };
  if (r.tools) {
    out.tools = r.tools.map((t) => ({
      name: t.function.name,
      ...(t.function.description !== undefined ? { description: t.function.description } : {}),
      inputSchema: t.function.parameters ?? { type: 'object', properties: {} },
      ...(t.function.strict === true ? { strict: true } : {}),
    }));
  }
  if (r.tool_choice !== undefined) out.toolChoice = toolChoice(r.tool_choice);
  if (r.parallel_tool_calls !== undefined) out.parallelToolCalls = r.parallel_tool_calls;
  if (r.temperature != null) out.temperature = r.temperature;
  if (r.top_p != null) out.topP = r.top_p;
  if (maxTokens != null) out.maxTokens = maxTokens;
  if (r.stop != null) out.stop = typeof r.stop === 'string' ? [r.stop] : r.stop;
  if (r.seed != null) out.seed = r.seed;
  if (r.presence_penalty != null) out.presencePenalty = r.presence_penalty;
  if (r.frequency_penalty != null) out.frequencyPenalty = r.frequency_penalty;
  if (r.response_format) out.responseFormat = responseFormat(r.response_format);
  if (r.reasoning_effort != null) out.reasoning = { effort: r.reasoning_effort };
  if (stream && r.stream_options?.include_usage !== undefined) out.streamUsage = r.stream_options.include_usage;
  const user = endUser(r);
  if (r.metadata || user !== undefined) {
    const metadata: Record<string, string> = {
      ...(r.metadata ?? {}),
      ...(user !== undefined ? { user_id: user } : {}),
    };
    if (Object.keys(metadata).length > 0) out.metadata = metadata;
  }
  return out;
}
