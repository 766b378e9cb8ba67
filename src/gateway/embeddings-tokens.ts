/**
 * Input tokens of an embeddings call. Provider clients return vectors only, so the gateway counts
 * the texts itself with the simulator's documented tokenizer: exact for simulator targets, an
 * estimate (close to, not equal to, a provider's BPE count) for real ones.
 */
import { countTokens } from '../sim/tokenizer.js';

export function estimateInputTokens(texts: readonly string[]): number {
  let n = 0;
  for (const t of texts) n += countTokens(t);
  return n;
}
