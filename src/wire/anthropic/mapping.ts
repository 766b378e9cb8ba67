import type { StopReason, Usage } from '../canonical.js';
import { readStopReason } from '../shared/stop-reason.js';
import type { AnthropicUsage } from './schemas.js';

const FROM: Record<string, StopReason> = {
  end_turn: 'end_turn',
  max_tokens: 'max_tokens',
  stop_sequence: 'stop_sequence',
  tool_use: 'tool_use',
  model_context_window_exceeded: 'max_tokens',
  refusal: 'content_filter',
};
export const fromStopReason = (r: string | null | undefined): StopReason => readStopReason(FROM, r);

const TO: Record<StopReason, string> = {
  end_turn: 'end_turn',
  max_tokens: 'max_tokens',
  stop_sequence: 'stop_sequence',
  tool_use: 'tool_use',
  content_filter: 'refusal',
  error: 'end_turn',
  other: 'end_turn',
};
export const toStopReason = (r: StopReason): string => TO[r];

/**
 * Anthropic's `input_tokens` excludes cache reads and writes; canonical `inputTokens` is the
 * whole prompt (as OpenAI and Gemini count it), so the cache counts are added back.
 */
export function fromAnthropicUsage(u: AnthropicUsage | null | undefined): Usage {
  const read = u?.cache_read_input_tokens ?? undefined;
  const write = u?.cache_creation_input_tokens ?? undefined;
  // Thinking is inside output_tokens already; the split is reported where the API sends it.
  const thinking = u?.output_tokens_details?.thinking_tokens ?? undefined;
  return {
    inputTokens: (u?.input_tokens ?? 0) + (read ?? 0) + (write ?? 0),
    outputTokens: u?.output_tokens ?? 0,
    ...(read !== undefined ? { cachedInputTokens: read } : {}),
    ...(write !== undefined ? { cacheCreationInputTokens: write } : {}),
    ...(thinking !== undefined ? { reasoningTokens: thinking } : {}),
  };
}

export function toAnthropicUsage(u: Usage): Record<string, unknown> {
  const read = u.cachedInputTokens ?? 0;
  const write = u.cacheCreationInputTokens ?? 0;
  return {
    input_tokens: Math.max(0, u.inputTokens - read - write),
    output_tokens: u.outputTokens,
    ...(u.cacheCreationInputTokens !== undefined ? { cache_creation_input_tokens: u.cacheCreationInputTokens } : {}),
    ...(u.cachedInputTokens !== undefined ? { cache_read_input_tokens: u.cachedInputTokens } : {}),
    ...(u.reasoningTokens !== undefined ? { output_tokens_details: { thinking_tokens: u.reasoningTokens } } : {}),
  };
}
