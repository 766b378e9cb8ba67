import { ProviderError } from '../../core/errors.js';
import type { CanonicalResponse, StopReason, TextPart, ToolUsePart } from '../canonical.js';
import { getHeader } from '../shared/retry-after.js';
import { parseToolArguments } from '../shared/tool-names.js';
import { parseUpstream } from '../shared/validate.js';
import { ChatCompletion, type ToolCall } from './schemas.js';
import { fromFinishReason } from './stop-reason.js';
import { fromOpenAiUsage } from './usage.js';
import type { z } from 'zod';

export function toolUse(tc: z.infer<typeof ToolCall>): ToolUsePart {
  const input = parseToolArguments(tc.function.arguments);
  if (!input)
    throw new ProviderError(
      'upstream_bad_response',
      `upstream tool call ${tc.function.name} has arguments that are not a JSON object`,
    );
  return { type: 'tool_use', id: tc.id, name: tc.function.name, input };
}

export function requestIdFrom(headers: Record<string, string> | undefined): string | undefined {
  if (!headers) return undefined;
  return getHeader(headers, 'x-request-id') ?? getHeader(headers, 'request-id');
}

export function decodeOpenAiResponse(body: unknown, headers?: Record<string, string>): CanonicalResponse {
  const r = parseUpstream(ChatCompletion, body, 'chat completion');
  const choice = r.choices[0];
  if (!choice) throw new ProviderError('upstream_bad_response', 'upstream chat completion has no choices');
  const msg = choice.message;
  const calls = msg.tool_calls ?? [];
  const content: Array<TextPart | ToolUsePart> = [];
  let stopReason: StopReason = fromFinishReason(choice.finish_reason);
  if (msg.content != null && (msg.content !== '' || calls.length === 0))
    content.push({ type: 'text', text: msg.content });
  if (msg.refusal) {
    content.push({ type: 'text', text: msg.refusal });
    stopReason = 'content_filter';
  }
  for (const tc of calls) content.push(toolUse(tc));
  const requestId = requestIdFrom(headers) ?? r.id;
  return {
    id: r.id,
    model: r.model,
    content,
    stopReason,
    usage: r.usage ? fromOpenAiUsage(r.usage) : { inputTokens: 0, outputTokens: 0 },
    ...(r.system_fingerprint ? { systemFingerprint: r.system_fingerprint } : {}),
    providerRequestId: requestId,
    created: r.created,
  };
}
