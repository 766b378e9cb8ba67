/**
 * The client side of an embeddings call, per format (OpenAI `POST /v1/embeddings`, Gemini
 * `:embedContent` / `:batchEmbedContents`): read the request, write the answer.
 */
import type { EmbeddingsRequest } from '../wire/embeddings.js';
import type { EmbeddingsPath } from '../wire/embeddings-codecs.js';
import type { ClientWireFormat } from '../wire/canonical.js';
import type { UsageWire } from './usage-record.js';

export type { EmbeddingsRequest };

/** What the client is answered: the vectors as the provider answered them and the input tokens counted for them. */
export interface EmbeddingsAnswer {
  vectors: number[][];
  inputTokens: number;
}

export interface DecodedEmbeddings {
  request: EmbeddingsRequest;
  /** The success body in the client's format (OpenAI base64 or float, Gemini single or batch). */
  encode(answer: EmbeddingsAnswer): Record<string, unknown>;
}

export type EmbeddingsPathContext = EmbeddingsPath;

export interface EmbeddingsCodec {
  /** Errors are answered with this chat codec's error body, which the same SDK reads. */
  readonly errorFormat: ClientWireFormat;
  /** `wire` of the usage record and of the requests metric. */
  readonly usageWire: UsageWire;
  /** Validates with zod; throws RequestError (400) naming the field. */
  decode(body: unknown, ctx: EmbeddingsPathContext): DecodedEmbeddings;
}
