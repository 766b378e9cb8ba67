/**
 * OpenAI `POST /embeddings`: `{model, input: string[], dimensions?}` -> `data[].embedding`, matched
 * to inputs by `index`, with the answering `model` and `usage.prompt_tokens`. Azure OpenAI serves
 * the same body and answer under the deployment's URL (see azure-openai.ts).
 */
import { z } from 'zod';
import { parseUpstream } from '../wire/shared/validate.js';
import { badEmbeddings, checkVectors, type EmbeddingsWire } from './http/embeddings-wire.js';
import type { EmbedRequest, EmbedResult } from './types.js';

/** Servers that ignore `encoding_format: "float"` may still answer base64 (little-endian float32). */
const vector = z.union([z.array(z.number()), z.string()]);

// `model` and `usage` are documented; OpenAI-compatible servers may leave them out, which reads as unknown.
const OpenAiEmbeddingsResponse = z.object({
  data: z.array(z.object({ index: z.number().int().nonnegative(), embedding: vector })),
  model: z.string().min(1).nullish(),
  usage: z.object({ prompt_tokens: z.number().int().nonnegative().nullish() }).loose().nullish(),
});

function decodeBase64(s: string): number[] {
  const buf = Buffer.from(s, 'base64');
  const out: number[] = [];
  for (let i = 0; i + 4 <= buf.length; i += 4) out.push(buf.readFloatLE(i));
  return out;
}

export function parseOpenAiEmbeddings(json: unknown, count: number, provider: string): EmbedResult {
  const parsed = parseUpstream(OpenAiEmbeddingsResponse, json, 'embeddings response');
  const byIndex = new Map<number, number[]>();
  for (const d of parsed.data) {
    if (byIndex.has(d.index)) throw badEmbeddings(provider, `repeats index ${d.index}`);
    byIndex.set(d.index, typeof d.embedding === 'string' ? decodeBase64(d.embedding) : d.embedding);
  }
  const vectors: number[][] = [];
  for (let i = 0; i < byIndex.size; i++) {
    const v = byIndex.get(i);
    if (!v) throw badEmbeddings(provider, `has no vector for index ${i}`);
    vectors.push(v);
  }
  const promptTokens = parsed.usage?.prompt_tokens;
  return {
    vectors: checkVectors(vectors, count, provider),
    model: parsed.model ?? null,
    usage: promptTokens == null ? null : { inputTokens: promptTokens },
  };
}

/** The body both OpenAI and Azure send; `model` is left out where the URL names the deployment. */
export function openAiEmbeddingsBody(req: EmbedRequest, model: string | null): Record<string, unknown> {
  return {
    ...(model === null ? {} : { model }),
    input: req.texts,
    encoding_format: 'float',
    ...(req.dimensions === undefined ? {} : { dimensions: req.dimensions }),
  };
}

/** The documented per-request input limit. */
export const OPENAI_MAX_INPUTS = 2048;

export const openaiEmbeddings: EmbeddingsWire = {
  maxBatch: OPENAI_MAX_INPUTS,
  path: () => '/embeddings',
  body: (req, model) => openAiEmbeddingsBody(req, model),
  parse: parseOpenAiEmbeddings,
};
