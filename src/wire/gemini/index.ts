import type { WireCodec } from '../codec.js';
import { decodeGeminiError, encodeGeminiError } from './errors.js';
import { decodeGeminiRequest } from './request-decode.js';
import { encodeGeminiRequest } from './request-encode.js';
import { decodeGeminiResponse } from './response-decode.js';
import { encodeGeminiResponse } from './response-encode.js';
import { createGeminiStreamDecoder } from './stream-decode.js';
import { createGeminiStreamEncoder } from './stream-encode.js';

/** Gemini `models/{model}:generateContent` and `:streamGenerateContent?alt=sse`. */
export const geminiCodec: WireCodec = {
  format: 'gemini',
  decodeRequest: decodeGeminiRequest,
  encodeRequest: encodeGeminiRequest,
  decodeResponse: decodeGeminiResponse,
  encodeResponse: encodeGeminiResponse,
  createStreamDecoder: createGeminiStreamDecoder,
  createStreamEncoder: (model) => createGeminiStreamEncoder(model),
  encodeError: encodeGeminiError,
  decodeError: decodeGeminiError,
};
