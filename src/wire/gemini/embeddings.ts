/**
 * Gemini embeddings, both sides. A client sends `:embedContent` (`{content}` -> `{embedding:
 * {values}}`) or `:batchEmbedContents` (`{requests: [...]}` -> `{embeddings: [{values}]}`, what
 * `ai.models.embedContent` of the Gen AI SDK sends), the model in the URL; `outputDimensionality`,
 * `taskType` and `title` may differ per request. Upstream, modelpin always sends a batch.
 */
import { z } from 'zod';
import type { EmbedOptions, EmbeddingsRequest } from '../embeddings.js';
import { bareModel } from '../shared/model-name.js';
import { failRequest, parseClient } from '../shared/validate.js';

/** The API's limit of requests per batch. */
export const GEMINI_MAX_EMBEDDING_REQUESTS = 100;

const Content = z
  .object({ parts: z.array(z.record(z.string(), z.unknown())).min(1), role: z.string().nullish() })
  .loose();
const EmbedRequest = z
  .object({
    model: z.string().nullish(),
    content: Content,
    taskType: z.string().nullish(),
    title: z.string().nullish(),
    outputDimensionality: z.number().int().positive().nullish(),
  })
  .loose();
const BatchRequest = z.object({ requests: z.array(EmbedRequest) }).loose();

type EmbedRequest = z.infer<typeof EmbedRequest>;

/** How the server refuses a part that is not text (an image): `field` names it. */
export interface GeminiEmbeddingsPolicy {
  refuseNonText(field: string): never;
}

/** The text of one request: its text parts joined, as the API reads several parts. */
function textOf(r: EmbedRequest, at: string, model: string, policy: GeminiEmbeddingsPolicy): string {
  if (r.model != null && bareModel(r.model) !== model)
    failRequest(`${at}model: ${r.model} does not match the model in the URL (models/${model})`, `${at}model`);
  const texts = r.content.parts.map((p, j) =>
    typeof p.text === 'string' ? p.text : policy.refuseNonText(`${at}content.parts[${j}]`),
  );
  const text = texts.join(' ');
  if (text.length === 0) failRequest(`${at}content: an empty text cannot be embedded`, `${at}content`);
  return text;
}

/** Gemini's name for each option. */
const FIELDS: Record<keyof EmbedOptions, string> = {
  dimensions: 'outputDimensionality',
  taskType: 'taskType',
  title: 'title',
};

/** What the provider call carries for one request; an unspecified task type is no task type (what the API does with it). */
function optionsOf(r: EmbedRequest): EmbedOptions {
  return {
    ...(r.outputDimensionality == null ? {} : { dimensions: r.outputDimensionality }),
    ...(r.taskType == null || r.taskType === 'TASK_TYPE_UNSPECIFIED' ? {} : { taskType: r.taskType }),
    ...(r.title == null ? {} : { title: r.title }),
  };
}

/** A client's body for the model in the URL; validates with zod and throws RequestError (400) naming the field. */
export function decodeGeminiEmbeddingsRequest(
  body: unknown,
  pathModel: string,
  batch: boolean,
  policy: GeminiEmbeddingsPolicy,
): EmbeddingsRequest {
  const model = bareModel(pathModel);
  const requests = batch ? parseClient(BatchRequest, body).requests : [parseClient(EmbedRequest, body)];
  if (requests.length === 0) failRequest('requests: at least one request is required', 'requests');
  if (requests.length > GEMINI_MAX_EMBEDDING_REQUESTS)
    failRequest(
      `requests: at most ${GEMINI_MAX_EMBEDDING_REQUESTS} requests per batch, got ${requests.length}`,
      'requests',
    );
  const at = (i: number): string => (batch ? `requests[${i}].` : '');
  return {
    model,
    texts: requests.map((r, i) => textOf(r, at(i), model, policy)),
    options: requests.map(optionsOf),
    param: (i, option) => `${at(i)}${FIELDS[option]}`,
  };
}

/** The success body: one embedding, or a batch's in request order. */
export function encodeGeminiEmbeddingsResponse(vectors: number[][], batch: boolean): Record<string, unknown> {
  return batch ? { embeddings: vectors.map((values) => ({ values })) } : { embedding: { values: vectors[0] ?? [] } };
}

/** Upstream: one batch request per text, each naming the model as `models/{model}` and carrying the call's options. */
export function encodeGeminiEmbeddingsRequest(
  req: { texts: string[] } & EmbedOptions,
  model: string,
): Record<string, unknown> {
  const options = {
    ...(req.taskType === undefined ? {} : { taskType: req.taskType }),
    ...(req.title === undefined ? {} : { title: req.title }),
    ...(req.dimensions === undefined ? {} : { outputDimensionality: req.dimensions }),
  };
  return {
    requests: req.texts.map((text) => ({
      model: `models/${bareModel(model)}`,
      content: { parts: [{ text }] },
      ...options,
    })),
  };
}

/** Upstream path below the base URL. */
export const geminiBatchEmbedPath = (model: string): string =>
  `/models/${encodeURIComponent(bareModel(model))}:batchEmbedContents`;

/** The answer names no model and counts no tokens. */
export const GeminiBatchEmbedResponse = z.object({
  embeddings: z.array(z.object({ values: z.array(z.number()) })),
});
