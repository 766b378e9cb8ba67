import type { Usage } from '../canonical.js';
import type { ChatCompletion } from './schemas.js';

/** OpenAI `prompt_tokens` already includes cached tokens, as canonical `inputTokens` does. */
export function fromOpenAiUsage(u: NonNullable<ChatCompletion['usage']>): Usage {
  const out: Usage = { inputTokens: u.prompt_tokens, outputTokens: u.completion_tokens };
  const cached = u.prompt_tokens_details?.cached_tokens;
  const written = u.prompt_tokens_details?.cache_write_tokens;
  const reasoning = u.completion_tokens_details?.reasoning_tokens;
  if (cached != null) out.cachedInputTokens = cached;
  if (written != null) out.cacheCreationInputTokens = written;
  // Reasoning tokens are already inside completion_tokens; 0 is what non-reasoning models report.
  if (reasoning) out.reasoningTokens = reasoning;
  return out;
}

export function toOpenAiUsage(u: Usage): Record<string, unknown> {
  return {
    prompt_tokens: u.inputTokens,
    completion_tokens: u.outputTokens,
    total_tokens: u.inputTokens + u.outputTokens,
    ...(u.cachedInputTokens !== undefined || u.cacheCreationInputTokens !== undefined
      ? {
          prompt_tokens_details: {
            cached_tokens: u.cachedInputTokens ?? 0,
            ...(u.cacheCreationInputTokens !== undefined ? { cache_write_tokens: u.cacheCreationInputTokens } : {}),
          },
        }
      : {}),
    ...(u.reasoningTokens !== undefined ? { completion_tokens_details: { reasoning_tokens: u.reasoningTokens } } : {}),
  };
}
