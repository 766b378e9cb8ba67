/**
 * The embeddings codec of each format a client can embed in, for the gateway and the simulator
 * alike: the server says only how it refuses what it cannot embed.
 */
import type { EmbeddingsRequest } from './embeddings.js';
import { decodeGeminiEmbeddingsRequest, encodeGeminiEmbeddingsResponse } from './gemini/embeddings.js';
import { decodeOpenAiEmbeddingsRequest, encodeOpenAiEmbeddingsResponse } from './openai/embeddings.js';

export type EmbeddingsFormat = 'openai' | 'gemini';

/** How a server refuses input it cannot embed: token ids (OpenAI), parts that are not text (Gemini, `field` names the part). */
export interface EmbeddingsPolicy {
  refuseTokenIds(): never;
  refuseNonText(field: string): never;
}

export interface EmbeddingsPath {
  /** Gemini names the model in the URL. */
  pathModel?: string;
  /** Gemini `:batchEmbedContents` rather than `:embedContent`. */
  batch?: boolean;
}

export interface DecodedEmbeddingsRequest {
  request: EmbeddingsRequest;
  /** The success body in the client's format; `model` is what the client is told answered (OpenAI). */
  encode(answer: { vectors: number[][]; inputTokens: number; model: string }): Record<string, unknown>;
}

export interface EmbeddingsWireCodec {
  /** Validates with zod; throws RequestError (400) naming the field. */
  decode(body: unknown, path: EmbeddingsPath, policy: EmbeddingsPolicy): DecodedEmbeddingsRequest;
}

export const embeddingsCodecs: Record<EmbeddingsFormat, EmbeddingsWireCodec> = {
  openai: {
    decode(body, _path, policy) {
      const { request, base64 } = decodeOpenAiEmbeddingsRequest(body, policy);
      return {
        request,
        encode: ({ vectors, inputTokens, model }) =>
          encodeOpenAiEmbeddingsResponse({ vectors, inputTokens, model, base64 }),
      };
    },
  },
  gemini: {
    decode(body, path, policy) {
      const batch = path.batch === true;
      const request = decodeGeminiEmbeddingsRequest(body, path.pathModel ?? '', batch, policy);
      return { request, encode: ({ vectors }) => encodeGeminiEmbeddingsResponse(vectors, batch) };
    },
  },
};
