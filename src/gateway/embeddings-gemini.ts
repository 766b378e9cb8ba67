/**
 * Gemini `:embedContent` (`{content}` -> `{embedding: {values}}`) and `:batchEmbedContents`
 * (`{requests: [...]}` -> `{embeddings: [{values}]}`, what `ai.models.embedContent` of the Gen AI
 * SDK sends). The route is the model in the URL; `outputDimensionality`, `taskType` and `title` go to
 * the provider with each request.
 */
import { z } from 'zod';
import { UnsupportedError } from '../core/errors.js';
import { failRequest, parseClient } from '../wire/shared/validate.js';
import type { EmbedOptions } from '../providers/types.js';
import type { EmbeddingsCodec } from './embeddings-codec.js';

/** The API's limit of requests per batch. */
export const GEMINI_MAX_EMBEDDING_REQUESTS = 100;

const Content = z.object({ parts: z.array(z.record(z.string(), z.unknown())).min(1), role: z.string().nullish() }).loose();
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

const bare = (model: string): string => model.replace(/^models\//, '');

function refuse(field: string, why: string): never {
  throw new UnsupportedError(`${field}: ${why}`, { details: { field, param: field } });
}

/** The text of one request: its text parts joined, as the simulator and the API read several parts. */
function textOf(r: EmbedRequest, at: string, model: string): string {
  if (r.model != null && bare(r.model) !== model) failRequest(`${at}model: ${r.model} does not match the model in the URL (models/${model})`, `${at}model`);
  const texts = r.content.parts.map((p, j) => (typeof p.text === 'string' ? p.text : refuse(`${at}content.parts[${j}]`, 'only text parts can be embedded through the modelpin gateway')));
  const text = texts.join(' ');
  if (text.length === 0) failRequest(`${at}content: an empty text cannot be embedded`, `${at}content`);
  return text;
}

/** Gemini's name for each option. */
const FIELDS: Record<keyof EmbedOptions, string> = { dimensions: 'outputDimensionality', taskType: 'taskType', title: 'title' };

/** What the provider call carries for one request; an unspecified task type is no task type (what the API does with it). */
function optionsOf(r: EmbedRequest): EmbedOptions {
  return {
    ...(r.outputDimensionality == null ? {} : { dimensions: r.outputDimensionality }),
    ...(r.taskType == null || r.taskType === 'TASK_TYPE_UNSPECIFIED' ? {} : { taskType: r.taskType }),
    ...(r.title == null ? {} : { title: r.title }),
  };
}

export const geminiEmbeddingsCodec: EmbeddingsCodec = {
  errorFormat: 'gemini',
  usageWire: 'gemini-embeddings',
  decode(body, ctx) {
    const model = bare(ctx.pathModel ?? '');
    const batch = ctx.batch === true;
    const requests = batch ? parseClient(BatchRequest, body).requests : [parseClient(EmbedRequest, body)];
    if (requests.length === 0) failRequest('requests: at least one request is required', 'requests');
    if (requests.length > GEMINI_MAX_EMBEDDING_REQUESTS) failRequest(`requests: at most ${GEMINI_MAX_EMBEDDING_REQUESTS} requests per batch, got ${requests.length}`, 'requests');
    const at = (i: number): string => (batch ? `requests[${i}].` : '');
    return {
      request: {
        model,
        texts: requests.map((r, i) => textOf(r, at(i), model)),
        options: requests.map(optionsOf),
        param: (i, option) => `${at(i)}${FIELDS[option]}`,
      },
      encode: ({ vectors }) => (batch ? { embeddings: vectors.map((values) => ({ values })) } : { embedding: { values: vectors[0] ?? [] } }),
    };
  },
};
