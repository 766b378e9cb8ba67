import type { CanonicalRequest, CanonicalResponse } from '../canonical.js';
import { functionCallItem, functionCallItemId, messageItem, messageItemId, responseId } from './output-items.js';
import { responseObject } from './response-object.js';
import { itemStatus, outcomeOf } from './status.js';

/** Canonical answer -> Responses `response`: one message item per text part, one function_call item per tool call. */
export function encodeResponsesResponse(
  res: CanonicalResponse,
  model: string,
  request?: CanonicalRequest,
): Record<string, unknown> {
  const outcome = outcomeOf(res.stopReason);
  const id = responseId(res.id);
  // Reasoning text from other providers is not shown to Responses clients (docs/wire.md, "Reasoning across formats").
  const content = res.content.filter((p) => p.type !== 'thinking');
  const last = content.length - 1;
  const output = content.map((p, i) => {
    const status = itemStatus(outcome, i === last);
    return p.type === 'text'
      ? messageItem(messageItemId(id, i), p.text, status)
      : functionCallItem(functionCallItemId(id, i), p.id, p.name, JSON.stringify(p.input), status);
  });
  return responseObject({
    id,
    createdAt: res.created,
    model,
    outcome,
    output,
    usage: res.usage,
    ...(request ? { request } : {}),
  });
}
