import type { StopReason, Usage } from '../canonical.js';
import type { UsageMetadata } from './schemas.js';

const FILTERED = new Set([
  'SAFETY',
  'RECITATION',
  'BLOCKLIST',
  'PROHIBITED_CONTENT',
  'SPII',
  'IMAGE_SAFETY',
  'LANGUAGE',
]);

export function fromFinishReason(r: string | undefined, hasToolCalls: boolean): StopReason {
  if (r === 'STOP') return hasToolCalls ? 'tool_use' : 'end_turn';
  if (r === 'MAX_TOKENS') return 'max_tokens';
  if (r !== undefined && FILTERED.has(r)) return 'content_filter';
  if (r === 'MALFORMED_FUNCTION_CALL') return 'error';
  return 'other';
}

const TO: Record<StopReason, string> = {
  end_turn: 'STOP',
  stop_sequence: 'STOP',
  tool_use: 'STOP',
  max_tokens: 'MAX_TOKENS',
  content_filter: 'SAFETY',
  error: 'OTHER',
  other: 'OTHER',
};
export const toFinishReason = (r: StopReason): string => TO[r];

/**
 * Gemini reports thoughts beside the answer (`candidatesTokenCount` excludes `thoughtsTokenCount`);
 * both are billed as output, so canonical outputTokens is their sum and reasoningTokens the thoughts.
 */
export function fromUsageMetadata(u: UsageMetadata | undefined): Usage {
  return {
    inputTokens: u?.promptTokenCount ?? 0,
    outputTokens: (u?.candidatesTokenCount ?? 0) + (u?.thoughtsTokenCount ?? 0),
    ...(u?.cachedContentTokenCount !== undefined ? { cachedInputTokens: u.cachedContentTokenCount } : {}),
    ...(u?.thoughtsTokenCount !== undefined ? { reasoningTokens: u.thoughtsTokenCount } : {}),
  };
}

export function toUsageMetadata(u: Usage): Record<string, number> {
  const thoughts = Math.min(u.reasoningTokens ?? 0, u.outputTokens);
  return {
    promptTokenCount: u.inputTokens,
    candidatesTokenCount: u.outputTokens - thoughts,
    totalTokenCount: u.inputTokens + u.outputTokens,
    ...(u.cachedInputTokens !== undefined ? { cachedContentTokenCount: u.cachedInputTokens } : {}),
    ...(u.reasoningTokens !== undefined ? { thoughtsTokenCount: thoughts } : {}),
  };
}

/** Gemini's `createTime` (RFC 3339) as unix seconds, 0 when absent. */
export function createdFrom(createTime: string | undefined): number {
  if (!createTime) return 0;
  const t = Date.parse(createTime);
  return Number.isNaN(t) ? 0 : Math.floor(t / 1000);
}
