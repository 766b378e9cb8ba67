import type { ClientCodec } from '../codec.js';
import { encodeResponsesError } from './errors.js';
import { decodeResponsesRequest } from './request-decode.js';
import { encodeResponsesResponse } from './response-encode.js';
import { createResponsesStreamEncoder } from './stream-encode.js';

/**
 * OpenAI Responses (`POST /v1/responses`), client side only: the gateway answers Responses clients,
 * and providers keep being called in Chat Completions (or their own format), so this codec has no
 * provider-facing half.
 */
export const openaiResponsesCodec: ClientCodec<'openai-responses'> = {
  format: 'openai-responses',
  decodeRequest: (body) => decodeResponsesRequest(body),
  encodeResponse: encodeResponsesResponse,
  createStreamEncoder: createResponsesStreamEncoder,
  encodeError: encodeResponsesError,
};
