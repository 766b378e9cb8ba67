/**
 * The client side of an embeddings call, per format (OpenAI `POST /v1/embeddings`, Gemini
 * `:embedContent` / `:batchEmbedContents`): read the request, write the answer.
 */
import type { EmbedOptions } from '../providers/types.js';
import type { ClientWireFormat } from '../wire/canonical.js';
import type { UsageWire } from './usage-record.js';

/** An embeddings request whatever format the client spoke. */
export interface EmbeddingsRequest {
  /** A route name or a raw model id, planned like a chat call's `model`. */
  model: string;
  /** At least one, none empty. */
  texts: string[];
  /** Per text, the options its provider call carries (a Gemini batch may set them per request). */
  options: EmbedOptions[];
  /** The request field that set `option` for text `index`, to name in an error. */
  param(index: number, option: keyof EmbedOptions): string;
}

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

export interface EmbeddingsPathContext {
  /** Gemini names the model in the URL. */
  pathModel?: string;
  /** Gemini `:batchEmbedContents` rather than `:embedContent`. */
  batch?: boolean;
}

export interface EmbeddingsCodec {
  /** Errors are answered with this chat codec's error body, which the same SDK reads. */
  readonly errorFormat: ClientWireFormat;
  /** `wire` of the usage record and of the requests metric. */
  readonly usageWire: UsageWire;
  /** Validates with zod; throws RequestError (400) naming the field. */
  decode(body: unknown, ctx: EmbeddingsPathContext): DecodedEmbeddings;
}
