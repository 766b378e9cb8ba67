/**
 * Gemini `POST /models/{model}:batchEmbedContents`: one request per text, each naming the model
 * as `models/{model}` -> `embeddings[].values`, in request order.
 */
import { z } from 'zod';
import { parseUpstream } from '../wire/shared/validate.js';
import { checkVectors, type EmbeddingsWire } from './http/embeddings-wire.js';

const GeminiBatchEmbedResponse = z.object({
  embeddings: z.array(z.object({ values: z.array(z.number()) })),
});

const bare = (model: string): string => model.replace(/^models\//, '');

export const geminiEmbeddings: EmbeddingsWire = {
  // The API takes at most 100 requests per batch.
  maxBatch: 100,
  path: (model) => `/models/${encodeURIComponent(bare(model))}:batchEmbedContents`,
  body: (texts, model) => ({
    requests: texts.map((text) => ({ model: `models/${bare(model)}`, content: { parts: [{ text }] } })),
  }),
  parse: (json, count, provider) => {
    const parsed = parseUpstream(GeminiBatchEmbedResponse, json, 'embeddings response');
    return checkVectors(
      parsed.embeddings.map((e) => e.values),
      count,
      provider,
    );
  },
};
