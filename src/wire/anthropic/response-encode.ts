import type { CanonicalResponse } from '../canonical.js';
import { toAnthropicUsage, toStopReason } from './mapping.js';

export function encodeAnthropicResponse(res: CanonicalResponse, model: string): Record<string, unknown> {
  return {
    id: res.id,
    type: 'message',
    role: 'assistant',
    model,
    content: res.content.map((p) => (p.type === 'text' ? { type: 'text', text: p.text } : { type: 'tool_use', id: p.id, name: p.name, input: p.input })),
    stop_reason: toStopReason(res.stopReason),
    stop_sequence: res.stopSequence ?? null,
    usage: toAnthropicUsage(res.usage),
  };
}
