/** Responses `response` object (upstream, plain answer) -> canonical response. */
import { ProviderError } from '../../core/errors.js';
import type { CanonicalResponse, TextPart, ToolUsePart } from '../canonical.js';
import { requestIdFrom } from '../openai/response-decode.js';
import { parseToolArguments } from '../shared/tool-names.js';
import { parseUpstream } from '../shared/validate.js';
import { decodeResponseFailure } from './errors.js';
import { stopReasonOf } from './status.js';
import { OutputFunctionCall, OutputMessage, ResponseObject, type OutputItem } from './upstream-schemas.js';
import { fromResponsesUsage } from './usage.js';

export function toolUseFrom(item: { call_id: string; name: string; arguments: string }): ToolUsePart {
  const input = parseToolArguments(item.arguments);
  if (!input)
    throw new ProviderError(
      'upstream_bad_response',
      `upstream function call ${item.name} has arguments that are not a JSON object`,
    );
  return { type: 'tool_use', id: item.call_id, name: item.name, input };
}

/** Output items -> canonical parts: one text part per message item, one tool_use per function call; a refusal is text too. */
function contentOf(output: OutputItem[]): { content: Array<TextPart | ToolUsePart>; refused: boolean } {
  const content: Array<TextPart | ToolUsePart> = [];
  let refused = false;
  for (const item of output) {
    if (item.type === 'message') {
      let text = '';
      for (const c of parseUpstream(OutputMessage, item, 'output message').content) {
        if (c.type === 'refusal') refused = true;
        text += c.type === 'output_text' ? c.text : c.refusal;
      }
      content.push({ type: 'text', text });
    } else if (item.type === 'function_call') {
      content.push(toolUseFrom(parseUpstream(OutputFunctionCall, item, 'function call')));
    }
  }
  return { content, refused };
}

export function decodeResponsesResponse(body: unknown, headers?: Record<string, string>): CanonicalResponse {
  const r = parseUpstream(ResponseObject, body, 'response');
  if (r.status === 'failed') throw decodeResponseFailure(r.error ?? {});
  const { content, refused } = contentOf(r.output);
  const calledTools = content.some((p) => p.type === 'tool_use');
  return {
    id: r.id,
    model: r.model,
    content,
    stopReason: refused ? 'content_filter' : stopReasonOf(r.status, r.incomplete_details?.reason, calledTools),
    usage: r.usage ? fromResponsesUsage(r.usage) : { inputTokens: 0, outputTokens: 0 },
    providerRequestId: requestIdFrom(headers) ?? r.id,
    created: r.created_at ?? 0,
  };
}
