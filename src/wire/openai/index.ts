import type { WireCodec } from '../codec.js';
import { decodeOpenAiError, encodeOpenAiError } from './errors.js';
import { decodeOpenAiRequest } from './request-decode.js';
import { encodeOpenAiRequest } from './request-encode.js';
import { decodeOpenAiResponse } from './response-decode.js';
import { encodeOpenAiResponse } from './response-encode.js';
import { createOpenAiStreamDecoder } from './stream-decode.js';
import { createOpenAiStreamEncoder } from './stream-encode.js';

/** OpenAI Chat Completions (`POST /v1/chat/completions`). */
export const openaiCodec: WireCodec = {
  format: 'openai',
  decodeRequest: (body) => decodeOpenAiRequest(body),
  encodeRequest: encodeOpenAiRequest,
  decodeResponse: decodeOpenAiResponse,
  encodeResponse: encodeOpenAiResponse,
  createStreamDecoder: createOpenAiStreamDecoder,
  createStreamEncoder: createOpenAiStreamEncoder,
  encodeError: encodeOpenAiError,
  decodeError: decodeOpenAiError,
};
