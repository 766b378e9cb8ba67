import { ProviderError } from '../../core/errors.js';
import type { EmbedRequest, EmbedResult, ProviderSettings } from '../types.js';

/** How one provider's embeddings endpoint is called and read. Providers without one (Anthropic) have none. */
export interface EmbeddingsWire {
  /** Most inputs the endpoint takes in one request; longer lists are sent in several. */
  readonly maxBatch: number;
  /** Path + query below the base URL's path. */
  path(model: string, settings: ProviderSettings): string;
  /** The body for one batch: `req.texts` holds that batch's texts, the options are the call's. */
  body(req: EmbedRequest, model: string): unknown;
  /** The vectors in input order, with the model and usage the answer reports. Throws `upstream_bad_response` when the body is not the documented shape. */
  parse(json: unknown, count: number, provider: string): EmbedResult;
}

export function badEmbeddings(provider: string, why: string): ProviderError {
  return new ProviderError('upstream_bad_response', `${provider}: embeddings response ${why}`, { provider });
}

/** One vector per input, each non-empty and all the same length: anything else would make cosine meaningless. */
export function checkVectors(vectors: number[][], count: number, provider: string): number[][] {
  if (vectors.length !== count) throw badEmbeddings(provider, `has ${vectors.length} vectors for ${count} inputs`);
  const dims = vectors[0]?.length ?? 0;
  if (count > 0 && dims === 0) throw badEmbeddings(provider, 'has an empty vector');
  if (vectors.some((v) => v.length !== dims)) throw badEmbeddings(provider, 'has vectors of different lengths');
  return vectors;
}
