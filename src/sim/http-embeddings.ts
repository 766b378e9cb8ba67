/**
 * The simulator's embeddings endpoints: OpenAI `POST /v1/embeddings` and Gemini
 * `:embedContent` / `:batchEmbedContents`, read and answered by the wire codecs (wire/openai/embeddings.ts,
 * wire/gemini/embeddings.ts). Vectors come from the engine (simulated, see embedding.ts).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { RequestError, toModelpinError } from '../core/errors.js';
import { decodeGeminiEmbeddingsRequest, encodeGeminiEmbeddingsResponse } from '../wire/gemini/embeddings.js';
import { decodeOpenAiEmbeddingsRequest, encodeOpenAiEmbeddingsResponse } from '../wire/openai/embeddings.js';
import { failRequest } from '../wire/shared/validate.js';
import type { SimEmbedOutcome, SimEngine } from './engine.js';
import { sendJson } from '../http/io.js';
import { readJson } from './http-io.js';
import { baseHeaders, sendError } from './http-reply.js';
import type { SimRoute } from './http-routes.js';

const refuseTokenIds = (): never => failRequest('input: token arrays are not supported by the simulator; send text', 'input');
const refuseNonText = (field: string): never => failRequest(`${field}: only text parts can be embedded by the simulator`, field);

/** One engine call per HTTP request, so an alias counts one request however many texts it carries. */
function geminiEngineCall(body: unknown, pathModel: string, batch: boolean): { model: string; texts: string[]; dimensions: number | undefined } {
  const request = decodeGeminiEmbeddingsRequest(body, pathModel, batch, { refuseNonText });
  const dims = new Set(request.options.map((o) => o.dimensions));
  if (dims.size > 1) failRequest('requests: the simulator needs the same outputDimensionality for every request in a batch', 'requests');
  return { model: request.model, texts: request.texts, dimensions: request.options[0]?.dimensions };
}

export async function handleEmbeddings(req: IncomingMessage, res: ServerResponse, route: Extract<SimRoute, { kind: 'embed' }>, engine: SimEngine): Promise<void> {
  let outcome: SimEmbedOutcome;
  let base64 = false;
  try {
    const body = await readJson(req);
    if (route.format === 'openai') {
      const decoded = decodeOpenAiEmbeddingsRequest(body, { refuseTokenIds });
      base64 = decoded.base64;
      outcome = engine.embed(decoded.request.texts, decoded.request.model, decoded.request.options[0]?.dimensions);
    } else {
      const { model, texts, dimensions } = geminiEngineCall(body, route.pathModel, route.batch);
      outcome = engine.embed(texts, model, dimensions);
    }
  } catch (e) {
    return sendError(res, route.format, toModelpinError(e), engine.nextRequestId());
  }
  if (outcome.kind === 'error') return sendError(res, route.format, outcome.error, outcome.requestId);
  if (outcome.kind === 'invalid') return sendError(res, route.format, new RequestError('bad_request', outcome.message), outcome.requestId);

  const headers = baseHeaders(outcome.requestId, outcome.model);
  if (route.format === 'openai') {
    return sendJson(res, 200, encodeOpenAiEmbeddingsResponse({ vectors: outcome.vectors, model: outcome.model, inputTokens: outcome.inputTokens, base64 }), headers);
  }
  return sendJson(res, 200, encodeGeminiEmbeddingsResponse(outcome.vectors, route.batch), headers);
}
