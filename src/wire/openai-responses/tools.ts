/** `tools`, `tool_choice` and `text.format` -> canonical. */
import type { ResponseFormat, ToolChoice, ToolDef } from '../canonical.js';
import { refuse } from './refuse.js';
import type { ResponsesRequest, TextFormat, ToolChoice as WireToolChoice } from './schemas.js';

export function decodeTools(tools: NonNullable<ResponsesRequest['tools']>): ToolDef[] {
  return tools.map((t, i) => {
    if (t.type !== 'function')
      return refuse(
        `tools[${i}].type`,
        `${t.type} is a tool OpenAI runs itself; only function tools can be served by any provider`,
      );
    if (t.defer_loading === true)
      refuse(`tools[${i}].defer_loading`, 'deferred tools need the tool_search built-in tool');
    return {
      name: t.name,
      ...(t.description != null ? { description: t.description } : {}),
      inputSchema: t.parameters ?? { type: 'object', properties: {} },
      ...(t.strict === true ? { strict: true } : {}),
    };
  });
}

export function decodeToolChoice(tc: WireToolChoice): ToolChoice {
  if (tc === 'auto' || tc === 'none') return { type: tc };
  if (tc === 'required') return { type: 'any' };
  if (tc.type === 'function') return { type: 'tool', name: tc.name };
  return refuse(
    'tool_choice.type',
    `${tc.type} names a built-in tool or a tool subset; use auto, none, required or {type: "function", name}`,
  );
}

export function decodeTextFormat(f: TextFormat): ResponseFormat {
  if (f.type === 'text') return { type: 'text' };
  if (f.type === 'json_object') return { type: 'json' };
  return {
    type: 'json_schema',
    name: f.name,
    ...(f.description !== undefined ? { description: f.description } : {}),
    schema: f.schema,
    ...(f.strict != null ? { strict: f.strict } : {}),
  };
}
