/**
 * The embeddings endpoints the gateway speaks (see wire/endpoints.ts), each with its client codec
 * from wire/: the gateway adds only how it refuses what a route on another provider could not honour.
 */
import { UnsupportedError } from '../core/errors.js';
import { matchEmbeddingsEndpoint } from '../wire/endpoints.js';
import { decodeGeminiEmbeddingsRequest, encodeGeminiEmbeddingsResponse } from '../wire/gemini/embeddings.js';
import { decodeOpenAiEmbeddingsRequest, encodeOpenAiEmbeddingsResponse } from '../wire/openai/embeddings.js';
import type { EmbeddingsCodec, EmbeddingsPathContext } from './embeddings-codec.js';

export const openAiEmbeddingsCodec: EmbeddingsCodec = {
  errorFormat: 'openai',
  usageWire: 'openai-embeddings',
  decode(body) {
    const { request, base64 } = decodeOpenAiEmbeddingsRequest(body, {
      refuseTokenIds() {
        // Token ids belong to one tokenizer; a route may answer from a provider that uses another.
        throw new UnsupportedError('input: token-id arrays are not supported by the modelpin gateway (a route may be served by a model with another tokenizer); send the text', {
          details: { param: 'input' },
        });
      },
    });
    // The route the client named, as chat answers do.
    return { request, encode: ({ vectors, inputTokens }) => encodeOpenAiEmbeddingsResponse({ vectors, inputTokens, model: request.model, base64 }) };
  },
};

export const geminiEmbeddingsCodec: EmbeddingsCodec = {
  errorFormat: 'gemini',
  usageWire: 'gemini-embeddings',
  decode(body, ctx) {
    const batch = ctx.batch === true;
    const request = decodeGeminiEmbeddingsRequest(body, ctx.pathModel ?? '', batch, {
      refuseNonText(field) {
        throw new UnsupportedError(`${field}: only text parts can be embedded through the modelpin gateway`, { details: { field, param: field } });
      },
    });
    return { request, encode: ({ vectors }) => encodeGeminiEmbeddingsResponse(vectors, batch) };
  },
};

export function matchEmbeddings(pathname: string): { codec: EmbeddingsCodec; ctx: EmbeddingsPathContext } | null {
  const e = matchEmbeddingsEndpoint(pathname);
  if (!e) return null;
  if (e.wire === 'openai') return { codec: openAiEmbeddingsCodec, ctx: {} };
  return { codec: geminiEmbeddingsCodec, ctx: { pathModel: e.pathModel, batch: e.batch } };
}
