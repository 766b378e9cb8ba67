/** The embeddings endpoints the gateway speaks (see wire/endpoints.ts), each with its client codec. */
import { matchEmbeddingsEndpoint } from '../wire/endpoints.js';
import type { EmbeddingsCodec, EmbeddingsPathContext } from './embeddings-codec.js';
import { geminiEmbeddingsCodec } from './embeddings-gemini.js';
import { openAiEmbeddingsCodec } from './embeddings-openai.js';

export function matchEmbeddings(pathname: string): { codec: EmbeddingsCodec; ctx: EmbeddingsPathContext } | null {
  const e = matchEmbeddingsEndpoint(pathname);
  if (!e) return null;
  if (e.wire === 'openai') return { codec: openAiEmbeddingsCodec, ctx: {} };
  return { codec: geminiEmbeddingsCodec, ctx: { pathModel: e.pathModel, batch: e.batch } };
}
