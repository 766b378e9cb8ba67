import { ProviderError } from '../../core/errors.js';
import type { CanonicalResponse, TextPart, ToolUsePart } from '../canonical.js';
import { getHeader } from '../shared/retry-after.js';
import { parseUpstream } from '../shared/validate.js';
import { createdFrom, fromFinishReason, fromUsageMetadata } from './mapping.js';
import { GenerateContentResponse, type Part } from './schemas.js';

/** One response part -> canonical part; thought summaries are skipped (never requested). */
export function partFrom(p: Part, callIndex: number): TextPart | ToolUsePart | undefined {
  if (p.thought) return undefined;
  if (p.functionCall) return { type: 'tool_use', id: p.functionCall.id ?? `call_${callIndex}`, name: p.functionCall.name, input: p.functionCall.args ?? {} };
  if (p.text !== undefined) return { type: 'text', text: p.text };
  throw new ProviderError('upstream_bad_response', `upstream response has an unsupported part kind ${Object.keys(p).join(',')}`);
}

export function decodeGeminiResponse(body: unknown, headers?: Record<string, string>): CanonicalResponse {
  const r = parseUpstream(GenerateContentResponse, body, 'generateContent response');
  const cand = r.candidates?.[0];
  const content: Array<TextPart | ToolUsePart> = [];
  let calls = 0;
  for (const p of cand?.content?.parts ?? []) {
    const part = partFrom(p, calls);
    if (part?.type === 'tool_use') calls++;
    if (part) content.push(part);
  }
  const blocked = !cand && r.promptFeedback?.blockReason !== undefined;
  const requestId = (headers && (getHeader(headers, 'x-request-id') ?? getHeader(headers, 'request-id'))) ?? r.responseId;
  return {
    id: r.responseId ?? '',
    model: r.modelVersion ?? '',
    content,
    stopReason: blocked ? 'content_filter' : fromFinishReason(cand?.finishReason, calls > 0),
    usage: fromUsageMetadata(r.usageMetadata),
    ...(requestId !== undefined ? { providerRequestId: requestId } : {}),
    created: createdFrom(r.createTime),
  };
}
