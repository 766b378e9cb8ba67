/** The Responses `response` object, in every state the stream and the plain answer show it. */
import type { CanonicalRequest, Usage } from '../canonical.js';
import { echoRequest } from './echo.js';
import type { Outcome } from './status.js';
import { toResponsesUsage } from './usage.js';

export interface ResponseState {
  id: string;
  /** Unix seconds. */
  createdAt: number;
  model: string;
  /** null while the answer is still being generated. */
  outcome: Outcome | null;
  output: Array<Record<string, unknown>>;
  usage: Usage | null;
  request?: CanonicalRequest;
}

/** Every output_text part, joined: the `output_text` field of the SDK's Response type. */
function outputText(output: Array<Record<string, unknown>>): string {
  let text = '';
  for (const item of output) {
    if (item.type !== 'message' || !Array.isArray(item.content)) continue;
    for (const part of item.content as Array<Record<string, unknown>>)
      if (part.type === 'output_text') text += String(part.text);
  }
  return text;
}

export function responseObject(s: ResponseState): Record<string, unknown> {
  return {
    id: s.id,
    object: 'response',
    created_at: s.createdAt,
    status: s.outcome?.status ?? 'in_progress',
    error: s.outcome?.error ?? null,
    incomplete_details: s.outcome?.incomplete_details ?? null,
    model: s.model,
    output: s.output,
    // The SDK adds `output_text` to plain answers itself, but a streamed final response only has it if
    // the server sends it. Left out while in progress: the SDK does not update it from deltas.
    ...(s.outcome ? { output_text: outputText(s.output) } : {}),
    usage: s.usage ? toResponsesUsage(s.usage) : null,
    ...echoRequest(s.request),
  };
}
