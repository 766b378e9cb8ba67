import type { EmbedResult } from './types.js';

/**
 * Several upstream answers of one call (batches, or option groups) as one result, vectors in the
 * order given. Usage adds up only when every part reported it (a partial sum would undercount);
 * the model is the first one named.
 */
export function joinEmbedResults(parts: readonly EmbedResult[]): EmbedResult {
  const vectors: number[][] = [];
  let inputTokens = 0;
  let counted = parts.length > 0;
  for (const p of parts) {
    vectors.push(...p.vectors);
    if (p.usage) inputTokens += p.usage.inputTokens;
    else counted = false;
  }
  return {
    vectors,
    model: parts.find((p) => p.model !== null)?.model ?? null,
    usage: counted ? { inputTokens } : null,
  };
}
