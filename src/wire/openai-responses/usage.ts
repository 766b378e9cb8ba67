import type { Usage } from '../canonical.js';
import { usageFromOpenAiCounts } from '../openai/usage.js';
import type { ResponsesUsage } from './upstream-schemas.js';

/** Canonical usage -> Responses `usage`. `input_tokens` includes cached tokens, `output_tokens` reasoning tokens, as canonical usage does. */
export function toResponsesUsage(u: Usage): Record<string, unknown> {
  return {
    input_tokens: u.inputTokens,
    input_tokens_details: {
      cached_tokens: u.cachedInputTokens ?? 0,
      ...(u.cacheCreationInputTokens !== undefined ? { cache_write_tokens: u.cacheCreationInputTokens } : {}),
    },
    output_tokens: u.outputTokens,
    output_tokens_details: { reasoning_tokens: u.reasoningTokens ?? 0 },
    total_tokens: u.inputTokens + u.outputTokens,
  };
}

/** Responses `usage` -> canonical. */
export function fromResponsesUsage(u: ResponsesUsage): Usage {
  return usageFromOpenAiCounts(
    u.input_tokens,
    u.output_tokens,
    u.input_tokens_details,
    u.output_tokens_details?.reasoning_tokens,
  );
}
