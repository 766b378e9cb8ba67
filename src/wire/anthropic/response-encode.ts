import type { CanonicalResponse, TextPart, ThinkingPart, ToolUsePart } from '../canonical.js';
import { toAnthropicUsage, toStopReason } from './mapping.js';

/**
 * A thinking part as an Anthropic block. Reasoning another provider produced is shown with an empty
 * signature (Anthropic would not accept its signature); a redacted one from elsewhere has nothing to show.
 */
export function thinkingBlock(p: ThinkingPart): Record<string, unknown> | null {
  const own = p.signature?.format === 'anthropic' ? p.signature.value : undefined;
  if (p.redacted) return own !== undefined ? { type: 'redacted_thinking', data: own } : null;
  return { type: 'thinking', thinking: p.text, signature: own ?? '' };
}

function block(p: TextPart | ToolUsePart | ThinkingPart): Record<string, unknown> | null {
  if (p.type === 'text') return { type: 'text', text: p.text };
  if (p.type === 'tool_use') return { type: 'tool_use', id: p.id, name: p.name, input: p.input };
  return thinkingBlock(p);
}

export function encodeAnthropicResponse(res: CanonicalResponse, model: string): Record<string, unknown> {
  return {
    id: res.id,
    type: 'message',
    role: 'assistant',
    model,
    content: res.content.map(block).filter((b) => b !== null),
    stop_reason: toStopReason(res.stopReason),
    stop_sequence: res.stopSequence ?? null,
    usage: toAnthropicUsage(res.usage),
  };
}
