import { ProviderError } from '../../core/errors.js';
import type { CanonicalResponse, TextPart, ThinkingPart, ToolUsePart } from '../canonical.js';
import { getHeader } from '../shared/retry-after.js';
import { parseUpstream } from '../shared/validate.js';
import { fromAnthropicUsage, fromStopReason } from './mapping.js';
import { MessageResponse } from './schemas.js';

export function decodeAnthropicResponse(body: unknown, headers?: Record<string, string>): CanonicalResponse {
  const r = parseUpstream(MessageResponse, body, 'message');
  const content: Array<TextPart | ToolUsePart | ThinkingPart> = [];
  for (const b of r.content) {
    if (b.type === 'text') content.push({ type: 'text', text: (b as { text: string }).text });
    else if (b.type === 'tool_use') {
      const t = b as { id: string; name: string; input: Record<string, unknown> };
      content.push({ type: 'tool_use', id: t.id, name: t.name, input: t.input });
    } else if (b.type === 'thinking') {
      const t = b as { thinking?: string; signature?: string };
      content.push({
        type: 'thinking',
        text: t.thinking ?? '',
        ...(t.signature ? { signature: { format: 'anthropic', value: t.signature } } : {}),
      });
    } else if (b.type === 'redacted_thinking') {
      content.push({
        type: 'thinking',
        text: '',
        redacted: true,
        signature: { format: 'anthropic', value: (b as { data?: string }).data ?? '' },
      });
    } else {
      throw new ProviderError(
        'upstream_bad_response',
        `upstream message has an unsupported content block type ${b.type}`,
      );
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
