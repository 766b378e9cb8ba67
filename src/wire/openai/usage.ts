import type { Usage } from '../canonical.js';
import type { ChatCompletion } from './schemas.js';

/** OpenAI `prompt_tokens` already includes cached tokens, as canonical `inputTokens` does. */
export function fromOpenAiUsage(u: NonNullable<ChatCompletion['usage']>): Usage {
  const cached = u.prompt_tokens_details?.cached_tokens;
  return { inputTokens: u.prompt_tokens, outputTokens: u.completion_tokens, ...(cached != null ? { cachedInputTokens: cached } : {}) };
}

export function toOpenAiUsage(u: Usage): Record<string, unknown> {
  return {
    prompt_tokens: u.inputTokens,
    completion_tokens: u.outputTokens,
    total_tokens: u.inputTokens + u.outputTokens,
    ...(u.cachedInputTokens !== undefined ? { prompt_tokens_details: { cached_tokens: u.cachedInputTokens } } : {}),
  };
}
