/**
 * OpenAI `POST /v1/embeddings` as clients send it (`client.embeddings.create`): `input` a string or
 * a list of strings, `encoding_format` float or base64 (the SDK asks for base64 unless told
 * otherwise and decodes it itself), `dimensions` (passed to the provider).
 */
import { z } from 'zod';
import { UnsupportedError } from '../core/errors.js';
import { failRequest, parseClient } from '../wire/shared/validate.js';
import type { EmbeddingsCodec } from './embeddings-codec.js';
import { float32Base64 } from './embeddings-vectors.js';

/** The documented per-request input limit. */
export const OPENAI_MAX_EMBEDDING_INPUTS = 2048;

const Request = z
  .object({
    model: z.string().min(1),
    // Checked below, so that token ids and missing input get their own answer rather than a union error.
    input: z.unknown(),
    encoding_format: z.enum(['float', 'base64']).nullish(),
    dimensions: z.number().int().positive().nullish(),
    user: z.string().nullish(),
  })
  .loose();

const isTokenIds = (x: unknown): boolean => typeof x === 'number' || (Array.isArray(x) && x.every((t) => typeof t === 'number'));

function texts(input: unknown): string[] {
  if (input === undefined || input === null) failRequest('input: required', 'input');
  const list: unknown[] = typeof input === 'string' ? [input] : Array.isArray(input) ? input : failRequest('input: expected a string or an array of strings', 'input');
  if (list.length === 0) failRequest('input: at least one text is required', 'input');
  if (list.length > OPENAI_MAX_EMBEDDING_INPUTS) failRequest(`input: at most ${OPENAI_MAX_EMBEDDING_INPUTS} inputs per request, got ${list.length}`, 'input');
  const out: string[] = [];
  list.forEach((x, i) => {
    if (isTokenIds(x)) {
      // Token ids belong to one tokenizer; a route may answer from a provider that uses another.
      throw new UnsupportedError('input: token-id arrays are not supported by the modelpin gateway (a route may be served by a model with another tokenizer); send the text', {
        details: { param: 'input' },
      });
    }
    if (typeof x !== 'string') failRequest(`input[${i}]: expected a string`, 'input');
    if (x.length === 0) failRequest(`input[${i}]: an empty string cannot be embedded`, 'input');
    out.push(x);
  });
  return out;
}

export const openAiEmbeddingsCodec: EmbeddingsCodec = {
  errorFormat: 'openai',
  usageWire: 'openai-embeddings',
  decode(body) {
    const r = parseClient(Request, body);
    const list = texts(r.input);
    const options = r.dimensions == null ? {} : { dimensions: r.dimensions };
    const base64 = r.encoding_format === 'base64';
    return {
      // The OpenAI body has no per-input options: every text shares them, and each field is named as sent.
      request: { model: r.model, texts: list, options: list.map(() => options), param: (_i, option) => option },
      encode: ({ vectors, inputTokens }) => ({
        object: 'list',
        data: vectors.map((v, index) => ({ object: 'embedding', index, embedding: base64 ? float32Base64(v) : v })),
        // The route the client named, as chat answers do.
        model: r.model,
        usage: { prompt_tokens: inputTokens, total_tokens: inputTokens },
      }),
    };
  },
};
