import type { WireCodec } from '../codec.js';
import { decodeAnthropicError, encodeAnthropicError } from './errors.js';
import { decodeAnthropicRequest } from './request-decode.js';
import { encodeAnthropicRequest } from './request-encode.js';
import { decodeAnthropicResponse } from './response-decode.js';
import { encodeAnthropicResponse } from './response-encode.js';
import { createAnthropicStreamDecoder } from './stream-decode.js';
import { createAnthropicStreamEncoder } from './stream-encode.js';

/** Anthropic Messages (`POST /v1/messages`). */
export const anthropicCodec: WireCodec = {
  format: 'anthropic',
  decodeRequest: (body, ctx) => decodeAnthropicRequest(body, ctx),
  encodeRequest: encodeAnthropicRequest,
  decodeResponse: decodeAnthropicResponse,
  encodeResponse: encodeAnthropicResponse,
  createStreamDecoder: createAnthropicStreamDecoder,
  createStreamEncoder: (model) => createAnthropicStreamEncoder(model),
  encodeError: encodeAnthropicError,
  decodeError: decodeAnthropicError,
};
