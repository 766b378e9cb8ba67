/**
 * `input` (a string or a list of items) -> canonical system text and messages. Items of one turn
 * are merged: an assistant message followed by its function calls is one assistant message, and
 * consecutive function_call_output items are one user message of tool results.
 */
import type { ContentPart, Message, ToolResultPart } from '../canonical.js';
import { failRequest } from '../shared/validate.js';
import { fillToolResultNames, parseToolArguments } from '../shared/tool-names.js';
import { contentPart, messageContent, systemText } from './content-parts.js';
import { refuse } from './refuse.js';
import type { InputItem } from './schemas.js';

const ITEM_WHY =
  'built-in tool, reasoning and stored-item references have no counterpart at other providers; only message, function_call and function_call_output items are supported';

export interface DecodedInput {
  system?: string;
  messages: Message[];
}

function appendTo(
  out: Message[],
  role: Message['role'],
  parts: ContentPart[],
  merge: (last: Message) => boolean,
): void {
  const last = out[out.length - 1];
  if (last && last.role === role && merge(last)) last.content.push(...parts);
  else out.push({ role, content: parts });
}

const onlyToolResults = (m: Message): boolean => m.content.every((p) => p.type === 'tool_result');

function toolResult(item: Extract<InputItem, { type: 'function_call_output' }>, path: string): ToolResultPart {
  const content =
    typeof item.output === 'string'
      ? [{ type: 'text' as const, text: item.output }]
      : item.output.map((p, j) => contentPart(p, 'user', `${path}.output[${j}]`));
  return { type: 'tool_result', toolUseId: item.call_id, content };
}

export function decodeInput(input: string | InputItem[], instructions: string | undefined): DecodedInput {
  const system: string[] = instructions !== undefined ? [instructions] : [];
  const out: Message[] = [];
  if (typeof input === 'string') out.push({ role: 'user', content: [{ type: 'text', text: input }] });
  else {
    input.forEach((item, i) => {
      const path = `input[${i}]`;
      switch (item.type) {
        case 'message': {
          if (item.role === 'system' || item.role === 'developer') {
            if (out.length > 0)
              refuse(path, 'a system or developer message after the conversation started cannot be translated');
            system.push(systemText(item.content, item.role, path));
            return;
          }
          const parts = messageContent(item.content, item.role, path);
          // An assistant message continues the assistant turn it follows (output items sent back one by one).
          if (item.role === 'assistant') appendTo(out, 'assistant', parts, () => true);
          else out.push({ role: 'user', content: parts });
          return;
        }
        case 'function_call': {
          const args = parseToolArguments(item.arguments);
          if (!args) return failRequest(`${path}.arguments: expected a JSON object`, `${path}.arguments`);
          appendTo(
            out,
            'assistant',
            [{ type: 'tool_use', id: item.call_id, name: item.name, input: args }],
            () => true,
          );
          return;
        }
        case 'function_call_output':
          appendTo(out, 'user', [toolResult(item, path)], onlyToolResults);
          return;
        default:
          return refuse(`${path}.type`, `${item.type} items are not supported: ${ITEM_WHY}`);
      }
    });
  }
  if (out.length === 0) failRequest('input: expected at least one item besides system and developer messages', 'input');
  const messages = fillToolResultNames(out);
  return system.length > 0 ? { system: system.join('\n\n'), messages } : { messages };
}
