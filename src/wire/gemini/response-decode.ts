import { ProviderError } from '../../core/errors.js';
import type { CanonicalResponse, TextPart, ThinkingPart, ToolUsePart } from '../canonical.js';
import { getHeader } from '../shared/retry-after.js';
import { parseUpstream } from '../shared/validate.js';
import { createdFrom, fromFinishReason, fromUsageMetadata } from './mapping.js';
import { GenerateContentResponse, type Part } from './schemas.js';

/** One response part -> canonical part; a thought signature stays on the part it came with. */
export function partFrom(p: Part, callIndex: number): TextPart | ToolUsePart | ThinkingPart | undefined {
  const sig =
    p.thoughtSignature !== undefined ? { signature: { format: 'gemini' as const, value: p.thoughtSignature } } : {};
  if (p.thought)
    return { type: 'thinking', text: p.text ?? '', signature: sig.signature ?? { format: 'gemini', value: '' } };
  if (p.functionCall)
    return {
      type: 'tool_use',
      id: p.functionCall.id ?? `call_${callIndex}`,
      name: p.functionCall.name,
      input: p.functionCall.args ?? {},
      ...sig,
    };
  if (p.text !== undefined) return { type: 'text', text: p.text, ...sig };
  // A part holding only a signature (Gemini sends one after streamed text) belongs to the text before it.
  if (p.thoughtSignature !== undefined) return { type: 'text', text: '', ...sig };
  throw new ProviderError(
    'upstream_bad_response',
    `upstream response has an unsupported part kind ${Object.keys(p).join(',')}`,
  );
}

export function decodeGeminiResponse(body: unknown, headers?: Record<string, string>): CanonicalResponse {
  const r = parseUpstream(GenerateContentResponse, body, 'generateContent response');
  const cand = r.candidates?.[0];
  const content: Array<TextPart | ToolUsePart | ThinkingPart> = [];
  let calls = 0;
  for (const p of cand?.content?.parts ?? []) {
    const part = partFrom(p, calls);
    if (part?.type === 'tool_use') calls++;
    if (part) content.push(part);
  }
  const blocked = !cand && r.promptFeedback?.blockReason !== undefined;
  const requestId =
    (headers && (getHeader(headers, 'x-request-id') ?? getHeader(headers, 'request-id'))) ?? r.responseId;
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
