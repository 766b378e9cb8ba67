/**
 * OpenAI `POST /v1/embeddings`, both sides. A client sends (`client.embeddings.create`) `input` a
 * string or a list of strings, `encoding_format` float or base64 (the SDK asks for base64 unless
 * told otherwise and decodes it itself) and `dimensions`; it is answered `data[].embedding` with
 * `usage.prompt_tokens`. Upstream, modelpin sends a list of strings as floats and reads the same answer.
 */
import { z } from 'zod';
import type { EmbeddingsRequest } from '../embeddings.js';
import { failRequest, parseClient } from '../shared/validate.js';

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

const isTokenIds = (x: unknown): boolean =>
  typeof x === 'number' || (Array.isArray(x) && x.every((t) => typeof t === 'number'));

/** How the server refuses token ids: they belong to one tokenizer, and the server may not embed with that one. */
export interface OpenAiEmbeddingsPolicy {
  refuseTokenIds(): never;
}

function texts(input: unknown, policy: OpenAiEmbeddingsPolicy): string[] {
  if (input === undefined || input === null) failRequest('input: required', 'input');
  const list: unknown[] =
    typeof input === 'string'
      ? [input]
      : Array.isArray(input)
        ? input
        : failRequest('input: expected a string or an array of strings', 'input');
  if (list.length === 0) failRequest('input: at least one text is required', 'input');
  if (list.length > OPENAI_MAX_EMBEDDING_INPUTS)
    failRequest(`input: at most ${OPENAI_MAX_EMBEDDING_INPUTS} inputs per request, got ${list.length}`, 'input');
  const out: string[] = [];
  list.forEach((x, i) => {
    if (isTokenIds(x)) policy.refuseTokenIds();
    if (typeof x !== 'string') failRequest(`input[${i}]: expected a string`, 'input');
    if (x.length === 0) failRequest(`input[${i}]: an empty string cannot be embedded`, 'input');
    out.push(x);
  });
  return out;
}

export interface DecodedOpenAiEmbeddings {
  request: EmbeddingsRequest;
  /** The client asked for base64 vectors (the SDKs' default). */
  base64: boolean;
}

/** A client's body; validates with zod and throws RequestError (400) naming the field. */
export function decodeOpenAiEmbeddingsRequest(body: unknown, policy: OpenAiEmbeddingsPolicy): DecodedOpenAiEmbeddings {
  const r = parseClient(Request, body);
  const list = texts(r.input, policy);
  const options = r.dimensions == null ? {} : { dimensions: r.dimensions };
  return {
    // The OpenAI body has no per-input options: every text shares them, and each field is named as sent.
    request: { model: r.model, texts: list, options: list.map(() => options), param: (_i, option) => option },
    base64: r.encoding_format === 'base64',
  };
}

/** Little-endian float32, as the OpenAI API encodes `encoding_format: "base64"` (the SDKs' default). */
export function float32Base64(v: readonly number[]): string {
  const buf = Buffer.alloc(v.length * 4);
  for (let i = 0; i < v.length; i++) buf.writeFloatLE(v[i] as number, i * 4);
  return buf.toString('base64');
}

function decodeFloat32Base64(s: string): number[] {
  const buf = Buffer.from(s, 'base64');
  const out: number[] = [];
  for (let i = 0; i + 4 <= buf.length; i += 4) out.push(buf.readFloatLE(i));
  return out;
}

/** The success body; `model` is what the client is told answered. */
export function encodeOpenAiEmbeddingsResponse(a: {
  vectors: number[][];
  model: string;
  inputTokens: number;
  base64: boolean;
}): Record<string, unknown> {
  return {
    object: 'list',
    data: a.vectors.map((v, index) => ({ object: 'embedding', index, embedding: a.base64 ? float32Base64(v) : v })),
    model: a.model,
    usage: { prompt_tokens: a.inputTokens, total_tokens: a.inputTokens },
  };
}

/** The body both OpenAI and Azure are sent; `model` is left out where the URL names the deployment. */
export function encodeOpenAiEmbeddingsRequest(
  req: { texts: string[]; dimensions?: number },
  model: string | null,
): Record<string, unknown> {
  return {
    ...(model === null ? {} : { model }),
    input: req.texts,
    encoding_format: 'float',
    ...(req.dimensions === undefined ? {} : { dimensions: req.dimensions }),
  };
}

/** Servers that ignore `encoding_format: "float"` may still answer base64 (little-endian float32). */
const vector = z.union([z.array(z.number()), z.string().transform(decodeFloat32Base64)]);

// `model` and `usage` are documented; OpenAI-compatible servers may leave them out, which reads as unknown.
export const OpenAiEmbeddingsResponse = z.object({
  data: z.array(z.object({ index: z.number().int().nonnegative(), embedding: vector })),
  model: z.string().min(1).nullish(),
  usage: z.object({ prompt_tokens: z.number().int().nonnegative().nullish() }).loose().nullish(),
});
