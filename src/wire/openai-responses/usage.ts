import type { Usage } from '../canonical.js';
import type { ResponsesUsage } from './upstream-schemas.js';

/**
 * Canonical usage -> Responses `usage`. `input_tokens` includes cached tokens, as canonical
 * `inputTokens` does. Reasoning tokens are not tracked separately by the canonical model (a
 * provider's thinking tokens already count as output), so `reasoning_tokens` is 0.
 */
export function toResponsesUsage(u: Usage): Record<string, unknown> {
  return {
    input_tokens: u.inputTokens,
    input_tokens_details: { cached_tokens: u.cachedInputTokens ?? 0 },
    output_tokens: u.outputTokens,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: u.inputTokens + u.outputTokens,
  };
}

/** Responses `usage` -> canonical; `input_tokens` already includes cached tokens. */
export function fromResponsesUsage(u: ResponsesUsage): Usage {
  const cached = u.input_tokens_details?.cached_tokens;
  return { inputTokens: u.input_tokens, outputTokens: u.output_tokens, ...(cached != null ? { cachedInputTokens: cached } : {}) };
}
