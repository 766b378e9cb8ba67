import { ProviderError } from '../../core/errors.js';
import type { CanonicalResponse, TextPart, ToolUsePart } from '../canonical.js';
import { getHeader } from '../shared/retry-after.js';
import { parseUpstream } from '../shared/validate.js';
import { fromAnthropicUsage, fromStopReason } from './mapping.js';
import { MessageResponse } from './schemas.js';

/** Reasoning blocks are the model's scratchpad, not answer content (modelpin never asks for them). */
export const SKIPPED_BLOCKS = new Set(['thinking', 'redacted_thinking']);

export function decodeAnthropicResponse(body: unknown, headers?: Record<string, string>): CanonicalResponse {
  const r = parseUpstream(MessageResponse, body, 'message');
  const content: Array<TextPart | ToolUsePart> = [];
  for (const b of r.content) {
    if (b.type === 'text') content.push({ type: 'text', text: (b as { text: string }).text });
    else if (b.type === 'tool_use') {
      const t = b as { id: string; name: string; input: Record<string, unknown> };
      content.push({ type: 'tool_use', id: t.id, name: t.name, input: t.input });
    } else if (!SKIPPED_BLOCKS.has(b.type)) {
      throw new ProviderError('upstream_bad_response', `upstream message has an unsupported content block type ${b.type}`);
    }
  }
  const requestId = (headers && (getHeader(headers, 'request-id') ?? getHeader(headers, 'x-request-id'))) ?? r.id;
  return {
    id: r.id,
    model: r.model,
    content,
    stopReason: fromStopReason(r.stop_reason),
    ...(r.stop_sequence ? { stopSequence: r.stop_sequence } : {}),
    usage: fromAnthropicUsage(r.usage),
    providerRequestId: requestId,
    // Anthropic sends no creation time; the provider client stamps it from its clock.
    created: 0,
  };
}
