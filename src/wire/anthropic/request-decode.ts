import { UnsupportedError } from '../../core/errors.js';
import type { CanonicalRequest, ContentPart, ImagePart, Message, TextPart, ToolChoice } from '../canonical.js';
import { fillToolResultNames } from '../shared/tool-names.js';
import { parseClient } from '../shared/validate.js';
import { MessagesRequest, type Block } from './schemas.js';

/** Request fields with no canonical counterpart: refused by name rather than ignored. */
const REFUSED_FIELDS = ['thinking', 'container', 'mcp_servers', 'context_management', 'output_format'] as const;

function refuse(field: string, why = 'not supported by the modelpin gateway'): never {
  throw new UnsupportedError(`${field}: ${why}`, { details: { field, param: field } });
}

function image(b: Extract<Block, { type: 'image' }>): ImagePart {
  const s = b.source;
  return { type: 'image', source: s.type === 'base64' ? { kind: 'base64', mediaType: s.media_type, data: s.data } : { kind: 'url', url: s.url } };
}

function block(b: Block, path: string): ContentPart {
  switch (b.type) {
    case 'text':
      return { type: 'text', text: (b as { text: string }).text };
    case 'image':
      return image(b as Extract<Block, { type: 'image' }>);
    case 'tool_use': {
      const t = b as Extract<Block, { type: 'tool_use' }>;
      return { type: 'tool_use', id: t.id, name: t.name, input: t.input };
    }
    case 'tool_result': {
      const t = b as Extract<Block, { type: 'tool_result' }>;
      const content: Array<TextPart | ImagePart> =
        t.content === undefined
          ? []
          : typeof t.content === 'string'
            ? [{ type: 'text', text: t.content }]
            : t.content.map((c) => (c.type === 'text' ? { type: 'text', text: c.text } : image(c)));
      return { type: 'tool_result', toolUseId: t.tool_use_id, content, ...(t.is_error !== undefined ? { isError: t.is_error } : {}) };
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

export function decodeAnthropicRequest(body: unknown): CanonicalRequest {
  const r = parseClient(MessagesRequest, body);
  const raw = body as Record<string, unknown>;
  for (const f of REFUSED_FIELDS) if (raw[f] !== undefined && raw[f] !== null) refuse(f);
  const messages: Message[] = r.messages.map((m, i) => ({
    role: m.role,
    content: typeof m.content === 'string' ? [{ type: 'text', text: m.content }] : m.content.map((b, j) => block(b, `messages[${i}].content[${j}]`)),
  }));
  const tools = r.tools?.map((t, i) => {
    if (t.input_schema === undefined) refuse(`tools[${i}]`, `server tool ${t.type ?? t.name} is not supported`);
    return { name: t.name, ...(t.description !== undefined ? { description: t.description } : {}), inputSchema: t.input_schema };
  });
  const system = r.system === undefined ? undefined : typeof r.system === 'string' ? r.system : r.system.map((b) => b.text).join('\n\n');
  const userId = r.metadata?.user_id;
  return {
    model: r.model,
    ...(system !== undefined ? { system } : {}),
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
  };
}
