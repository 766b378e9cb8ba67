/** The embeddings endpoints the gateway speaks: OpenAI `/v1/embeddings`, Gemini `:embedContent` and `:batchEmbedContents`. */
import type { EmbeddingsCodec, EmbeddingsPathContext } from './embeddings-codec.js';
import { geminiEmbeddingsCodec } from './embeddings-gemini.js';
import { openAiEmbeddingsCodec } from './embeddings-openai.js';

const GEMINI = /^\/(?:v1beta|v1|v1alpha)\/models\/([^/:]+(?:\/[^/:]+)?):(embedContent|batchEmbedContents)$/;

export function matchEmbeddings(pathname: string): { codec: EmbeddingsCodec; ctx: EmbeddingsPathContext } | null {
  if (pathname === '/v1/embeddings' || pathname === '/embeddings') return { codec: openAiEmbeddingsCodec, ctx: {} };
  const m = GEMINI.exec(pathname);
  const model = m ? decoded(m[1] ?? '') : null;
  if (!m || model === null) return null;
  return { codec: geminiEmbeddingsCodec, ctx: { pathModel: model.replace(/^models\//, ''), batch: m[2] === 'batchEmbedContents' } };
}

/** A broken percent escape is no model name: the path is then simply not an endpoint. */
function decoded(s: string): string | null {
  try {
    return decodeURIComponent(s);
  } catch {
    return null;
  }
}
