/**
 * OpenAI `POST /embeddings`: `{model, input: string[]}` -> `data[].embedding`, matched to inputs by `index`.
 * Azure OpenAI serves the same body and answer under the deployment's URL (see azure-openai.ts).
 */
import { z } from 'zod';
import { parseUpstream } from '../wire/shared/validate.js';
import { badEmbeddings, checkVectors, type EmbeddingsWire } from './http/embeddings-wire.js';

/** Servers that ignore `encoding_format: "float"` may still answer base64 (little-endian float32). */
const vector = z.union([z.array(z.number()), z.string()]);

const OpenAiEmbeddingsResponse = z.object({
  data: z.array(z.object({ index: z.number().int().nonnegative(), embedding: vector })),
});

function decodeBase64(s: string): number[] {
  const buf = Buffer.from(s, 'base64');
  const out: number[] = [];
  for (let i = 0; i + 4 <= buf.length; i += 4) out.push(buf.readFloatLE(i));
  return out;
}

export function parseOpenAiEmbeddings(json: unknown, count: number, provider: string): number[][] {
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
  return checkVectors(vectors, count, provider);
}

/** The documented per-request input limit. */
export const OPENAI_MAX_INPUTS = 2048;

export const openaiEmbeddings: EmbeddingsWire = {
  maxBatch: OPENAI_MAX_INPUTS,
  path: () => '/embeddings',
  body: (texts, model) => ({ model, input: texts, encoding_format: 'float' }),
  parse: parseOpenAiEmbeddings,
};
