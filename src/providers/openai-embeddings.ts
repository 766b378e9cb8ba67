/**
 * OpenAI `POST /embeddings`: `{model, input: string[], dimensions?}` -> `data[].embedding`, matched
 * to inputs by `index`, with the answering `model` and `usage.prompt_tokens`. Azure OpenAI serves
 * the same body and answer under the deployment's URL (see azure-openai.ts).
 */
import {
  encodeOpenAiEmbeddingsRequest,
  OPENAI_MAX_EMBEDDING_INPUTS,
  OpenAiEmbeddingsResponse,
} from '../wire/openai/embeddings.js';
import { parseUpstream } from '../wire/shared/validate.js';
import { badEmbeddings, checkVectors, type EmbeddingsWire } from './http/embeddings-wire.js';
import type { EmbedResult } from './types.js';

export function parseOpenAiEmbeddings(json: unknown, count: number, provider: string): EmbedResult {
  const parsed = parseUpstream(OpenAiEmbeddingsResponse, json, 'embeddings response');
  const byIndex = new Map<number, number[]>();
  for (const d of parsed.data) {
    if (byIndex.has(d.index)) throw badEmbeddings(provider, `repeats index ${d.index}`);
    byIndex.set(d.index, d.embedding);
  }
  const vectors: number[][] = [];
  for (let i = 0; i < byIndex.size; i++) {
    const v = byIndex.get(i);
    if (!v) throw badEmbeddings(provider, `has no vector for index ${i}`);
    vectors.push(v);
  }
  const promptTokens = parsed.usage?.prompt_tokens;
  return {
    vectors: checkVectors(vectors, count, provider),
    model: parsed.model ?? null,
    usage: promptTokens == null ? null : { inputTokens: promptTokens },
  };
}

export const openaiEmbeddings: EmbeddingsWire = {
  maxBatch: OPENAI_MAX_EMBEDDING_INPUTS,
  path: () => '/embeddings',
  body: (req, model) => encodeOpenAiEmbeddingsRequest(req, model),
  parse: parseOpenAiEmbeddings,
};
