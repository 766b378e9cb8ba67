/** Cost of one call from catalog prices. Null when there is no price: an unknown cost is never reported as $0. */
import type { Usage } from '../wire/canonical.js';

export interface PriceInput {
  input: number;
  output: number;
  cachedInput?: number;
}

export function costUsd(price: PriceInput | null, usage: Usage): number | null {
  if (!price) return null;
  const cached = Math.max(0, Math.min(usage.cachedInputTokens ?? 0, usage.inputTokens));
  // Cached tokens are part of inputTokens; bill them at the cached rate only when the catalog knows it.
  const cachedRate = price.cachedInput ?? price.input;
  const usd = ((usage.inputTokens - cached) * price.input + cached * cachedRate + usage.outputTokens * price.output) / 1_000_000;
  return Math.round(usd * 1e9) / 1e9;
}
