import type { WireCodec } from '../codec.js';
import { decodeOpenAiError } from '../openai/errors.js';
import { encodeResponsesError } from './errors.js';
import { decodeResponsesRequest } from './request-decode.js';
import { encodeResponsesRequest } from './request-encode.js';
import { decodeResponsesResponse } from './response-decode.js';
import { encodeResponsesResponse } from './response-encode.js';
import { createResponsesStreamDecoder } from './stream-decode.js';
import { createResponsesStreamEncoder } from './stream-encode.js';

/**
 * OpenAI Responses (`POST /v1/responses`), both sides: the gateway answers Responses clients, and
 * an OpenAI provider configured with `api: responses` is called in it. Error bodies are the
 * Chat Completions ones.
 */
export const openaiResponsesCodec: WireCodec<'openai-responses'> = {
  format: 'openai-responses',
  decodeRequest: (body) => decodeResponsesRequest(body),
  encodeRequest: encodeResponsesRequest,
  decodeResponse: decodeResponsesResponse,
  encodeResponse: encodeResponsesResponse,
  createStreamDecoder: createResponsesStreamDecoder,
  createStreamEncoder: createResponsesStreamEncoder,
  encodeError: encodeResponsesError,
  decodeError: decodeOpenAiError,
};
