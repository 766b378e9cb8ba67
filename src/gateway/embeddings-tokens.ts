/**
 * Input tokens of an embeddings call whose provider reports none (Gemini's batchEmbedContents
 * answers vectors only): the gateway counts the texts with the simulator's documented tokenizer,
 * an estimate close to, not equal to, the provider's own count. Providers that report usage
 * (OpenAI, Azure OpenAI, OpenAI-compatible servers that send `usage`, the simulator) are recorded
 * as they report it.
 */
import { countTokens } from '../core/tokenizer.js';

export function estimateInputTokens(texts: readonly string[]): number {
  let n = 0;
  for (const t of texts) n += countTokens(t);
  return n;
}
