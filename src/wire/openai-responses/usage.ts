import type { Usage } from '../canonical.js';
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

/** Responses `usage` -> canonical; `input_tokens` already includes cached tokens and `output_tokens` reasoning tokens. */
export function fromResponsesUsage(u: ResponsesUsage): Usage {
  const out: Usage = { inputTokens: u.input_tokens, outputTokens: u.output_tokens };
  const cached = u.input_tokens_details?.cached_tokens;
  const written = u.input_tokens_details?.cache_write_tokens;
  const reasoning = u.output_tokens_details?.reasoning_tokens;
  if (cached != null) out.cachedInputTokens = cached;
  if (written != null) out.cacheCreationInputTokens = written;
  if (reasoning) out.reasoningTokens = reasoning;
  return out;
}
