/**
 * The embeddings endpoints the gateway speaks (see wire/endpoints.ts), each with its codec from
 * wire/: the gateway adds only how it refuses what a route on another provider could not honour.
 */
import { UnsupportedError } from '../core/errors.js';
import { embeddingsCodecs, type EmbeddingsFormat, type EmbeddingsPolicy } from '../wire/embeddings-codecs.js';
import { matchEmbeddingsEndpoint } from '../wire/endpoints.js';
import type { EmbeddingsCodec, EmbeddingsPathContext } from './embeddings-codec.js';

const GATEWAY_POLICY: EmbeddingsPolicy = {
  refuseTokenIds() {
    // Token ids belong to one tokenizer; a route may answer from a provider that uses another.
    throw new UnsupportedError(
      'input: token-id arrays are not supported by the modelpin gateway (a route may be served by a model with another tokenizer); send the text',
      {
        details: { param: 'input' },
      },
    );
  },
  refuseNonText(field) {
    throw new UnsupportedError(`${field}: only text parts can be embedded through the modelpin gateway`, {
      details: { field, param: field },
    });
  },
};

function gatewayCodec(format: EmbeddingsFormat): EmbeddingsCodec {
  return {
    errorFormat: format,
    usageWire: format === 'openai' ? 'openai-embeddings' : 'gemini-embeddings',
    decode(body, ctx) {
      const decoded = embeddingsCodecs[format].decode(body, ctx, GATEWAY_POLICY);
      // The route the client named, as chat answers do.
      return {
        request: decoded.request,
        encode: ({ vectors, inputTokens }) => decoded.encode({ vectors, inputTokens, model: decoded.request.model }),
      };
    },
  };
}

const CODECS: Record<EmbeddingsFormat, EmbeddingsCodec> = {
  openai: gatewayCodec('openai'),
  gemini: gatewayCodec('gemini'),
};

export function matchEmbeddings(pathname: string): { codec: EmbeddingsCodec; ctx: EmbeddingsPathContext } | null {
  const e = matchEmbeddingsEndpoint(pathname);
  if (!e) return null;
  if (e.wire === 'openai') return { codec: CODECS.openai, ctx: {} };
  return { codec: CODECS.gemini, ctx: { pathModel: e.pathModel, batch: e.batch } };
}
