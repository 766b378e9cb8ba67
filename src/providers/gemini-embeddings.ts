/**
 * Gemini `POST /models/{model}:batchEmbedContents`: one request per text, each naming the model
 * as `models/{model}` and carrying the call's `outputDimensionality`, `taskType` and `title` ->
 * `embeddings[].values`, in request order. The answer names no model and counts no tokens.
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
  body: (req, model) => {
    const options = {
      ...(req.taskType === undefined ? {} : { taskType: req.taskType }),
      ...(req.title === undefined ? {} : { title: req.title }),
      ...(req.dimensions === undefined ? {} : { outputDimensionality: req.dimensions }),
    };
    return { requests: req.texts.map((text) => ({ model: `models/${bare(model)}`, content: { parts: [{ text }] }, ...options })) };
  },
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
