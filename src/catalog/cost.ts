/** Cost of one call from catalog prices. Null when there is no price: an unknown cost is never reported as $0. */
import type { Usage } from '../wire/canonical.js';

export interface PriceInput {
  input: number;
  output: number;
  cachedInput?: number;
  cacheWriteInput?: number;
}

/**
 * Reasoning tokens are inside outputTokens and billed at the output rate by every provider, so they
 * need no term of their own.
 */
export function costUsd(price: PriceInput | null, usage: Usage): number | null {
  if (!price) return null;
  const cached = Math.max(0, Math.min(usage.cachedInputTokens ?? 0, usage.inputTokens));
  const written = Math.max(0, Math.min(usage.cacheCreationInputTokens ?? 0, usage.inputTokens - cached));
  // Cache reads and writes are part of inputTokens; each is billed at its own rate only when the catalog knows it.
  const cachedRate = price.cachedInput ?? price.input;
  const writeRate = price.cacheWriteInput ?? price.input;
  const usd = ((usage.inputTokens - cached - written) * price.input + cached * cachedRate + written * writeRate + usage.outputTokens * price.output) / 1_000_000;
  return Math.round(usd * 1e9) / 1e9;
}
