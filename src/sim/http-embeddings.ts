/**
 * The simulator's embeddings endpoints: OpenAI `POST /v1/embeddings` and Gemini
 * `:embedContent` / `:batchEmbedContents`. Vectors come from the engine (simulated, see embedding.ts).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { RequestError, toModelpinError } from '../core/errors.js';
import { failRequest, parseClient } from '../wire/shared/validate.js';
import type { SimEmbedOutcome, SimEngine } from './engine.js';
import { readJson, sendJson } from './http-io.js';
import { baseHeaders, sendError } from './http-reply.js';
import type { SimRoute } from './http-routes.js';

/** The documented per-request input limits. */
const OPENAI_MAX_INPUTS = 2048;
const GEMINI_MAX_REQUESTS = 100;

const OpenAiEmbedRequest = z
  .object({
    model: z.string().min(1),
    input: z.union([z.string(), z.array(z.string()), z.array(z.number()), z.array(z.array(z.number()))]),
    encoding_format: z.enum(['float', 'base64']).optional(),
    dimensions: z.number().int().positive().optional(),
    user: z.string().optional(),
  })
  .loose();

const GeminiContent = z.object({ parts: z.array(z.object({ text: z.string() }).loose()).min(1) }).loose();
const GeminiEmbedRequest = z
  .object({
    model: z.string().optional(),
    content: GeminiContent,
    // Accepted and ignored: simulated vectors do not depend on the task.
    taskType: z.string().optional(),
    title: z.string().optional(),
    outputDimensionality: z.number().int().positive().optional(),
  })
  .loose();
const GeminiBatchRequest = z.object({ requests: z.array(GeminiEmbedRequest).min(1) }).loose();

/** Little-endian float32, as the OpenAI API (and its SDKs' default) encodes `encoding_format: "base64"`. */
function base64Float32(v: readonly number[]): string {
  const buf = Buffer.alloc(v.length * 4);
  v.forEach((x, i) => buf.writeFloatLE(x, i * 4));
  return buf.toString('base64');
}

function openAiInputs(body: z.infer<typeof OpenAiEmbedRequest>): string[] {
  const input = body.input;
  if (typeof input === 'string') return [input];
  if (input.some((x) => typeof x !== 'string')) failRequest('input: token arrays are not supported by the simulator; send text', 'input');
  if (input.length > OPENAI_MAX_INPUTS) failRequest(`input: at most ${OPENAI_MAX_INPUTS} inputs per request`, 'input');
  return input.filter((x): x is string => typeof x === 'string');
}

const bare = (model: string): string => model.replace(/^models\//, '');
const textOf = (content: z.infer<typeof GeminiContent>): string => content.parts.map((p) => p.text).join(' ');

/** One engine call per HTTP request, so an alias counts one request however many texts it carries. */
function geminiRequests(body: unknown, model: string, batch: boolean): { texts: string[]; dimensions: number | undefined } {
  const requests = batch ? parseClient(GeminiBatchRequest, body).requests : [parseClient(GeminiEmbedRequest, body)];
  if (requests.length > GEMINI_MAX_REQUESTS) failRequest(`requests: at most ${GEMINI_MAX_REQUESTS} requests per batch`, 'requests');
  requests.forEach((r, i) => {
    if (r.model !== undefined && bare(r.model) !== model) failRequest(`requests[${i}].model: ${r.model} does not match the model in the URL (models/${model})`, `requests[${i}].model`);
  });
  const dims = new Set(requests.map((r) => r.outputDimensionality));
  if (dims.size > 1) failRequest('requests: the simulator needs the same outputDimensionality for every request in a batch', 'requests');
  return { texts: requests.map((r) => textOf(r.content)), dimensions: requests[0]?.outputDimensionality };
}

export async function handleEmbeddings(req: IncomingMessage, res: ServerResponse, route: Extract<SimRoute, { kind: 'embed' }>, engine: SimEngine): Promise<void> {
  let outcome: SimEmbedOutcome;
  let base64 = false;
  try {
    const body = await readJson(req);
    if (route.format === 'openai') {
      const r = parseClient(OpenAiEmbedRequest, body);
      base64 = r.encoding_format === 'base64';
      outcome = engine.embed(openAiInputs(r), r.model, r.dimensions);
    } else {
      const model = bare(route.pathModel);
      const { texts, dimensions } = geminiRequests(body, model, route.batch);
      outcome = engine.embed(texts, model, dimensions);
    }
  } catch (e) {
    return sendError(res, route.format, toModelpinError(e), engine.nextRequestId());
  }
  if (outcome.kind === 'error') return sendError(res, route.format, outcome.error, outcome.requestId);
  if (outcome.kind === 'invalid') return sendError(res, route.format, new RequestError('bad_request', outcome.message), outcome.requestId);

  const headers = baseHeaders(outcome.requestId, outcome.model);
  if (route.format === 'openai') {
    return sendJson(res, 200, headers, {
      object: 'list',
      data: outcome.vectors.map((v, index) => ({ object: 'embedding', index, embedding: base64 ? base64Float32(v) : v })),
      model: outcome.model,
      usage: { prompt_tokens: outcome.inputTokens, total_tokens: outcome.inputTokens },
    });
  }
  const values = outcome.vectors.map((v) => ({ values: v }));
  return sendJson(res, 200, headers, route.batch ? { embeddings: values } : { embedding: values[0] });
}
