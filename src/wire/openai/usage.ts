import type { Usage } from '../canonical.js';
import type { ChatCompletion } from './schemas.js';

/** The input-side split as Chat Completions (`prompt_tokens_details`) and Responses (`input_tokens_details`) both send it. */
export interface InputTokenDetails {
  cached_tokens?: number | null | undefined;
  cache_write_tokens?: number | null | undefined;
}

/**
 * Canonical usage from OpenAI's counts, named apart by Chat Completions and Responses but counted
 * alike: input already includes cached tokens and output reasoning tokens, as canonical usage does.
 */
export function usageFromOpenAiCounts(
  input: number,
  output: number,
  details: InputTokenDetails | null | undefined,
  reasoning: number | null | undefined,
): Usage {
  const out: Usage = { inputTokens: input, outputTokens: output };
  if (details?.cached_tokens != null) out.cachedInputTokens = details.cached_tokens;
  if (details?.cache_write_tokens != null) out.cacheCreationInputTokens = details.cache_write_tokens;
  // 0 reasoning tokens is what non-reasoning models report.
  if (reasoning) out.reasoningTokens = reasoning;
  return out;
}

export function fromOpenAiUsage(u: NonNullable<ChatCompletion['usage']>): Usage {
  return usageFromOpenAiCounts(
    u.prompt_tokens,
    u.completion_tokens,
    u.prompt_tokens_details,
    u.completion_tokens_details?.reasoning_tokens,
  );
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
