/**
 * Gemini `POST /models/{model}:batchEmbedContents` (see wire/gemini/embeddings.ts) ->
 * `embeddings[].values`, in request order. The answer names no model and counts no tokens.
 */
import {
  encodeGeminiEmbeddingsRequest,
  GEMINI_MAX_EMBEDDING_REQUESTS,
  geminiBatchEmbedPath,
  GeminiBatchEmbedResponse,
} from '../wire/gemini/embeddings.js';
import { parseUpstream } from '../wire/shared/validate.js';
import { checkVectors, type EmbeddingsWire } from './http/embeddings-wire.js';

export const geminiEmbeddings: EmbeddingsWire = {
  maxBatch: GEMINI_MAX_EMBEDDING_REQUESTS,
  path: geminiBatchEmbedPath,
  body: encodeGeminiEmbeddingsRequest,
  parse: (json, count, provider) => {
    const parsed = parseUpstream(GeminiBatchEmbedResponse, json, 'embeddings response');
    return {
      vectors: checkVectors(
        parsed.embeddings.map((e) => e.values),
        count,
        provider,
      ),
      model: null,
      usage: null,
    };
  },
};
