/**
 * The simulator's embeddings endpoints: OpenAI `POST /v1/embeddings` and Gemini
 * `:embedContent` / `:batchEmbedContents`, read and answered by the wire codecs
 * (wire/embeddings-codecs.ts). Vectors come from the engine (simulated, see embedding.ts).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { RequestError, toModelpinError } from '../core/errors.js';
import { embeddingsCodecs, type DecodedEmbeddingsRequest, type EmbeddingsPolicy } from '../wire/embeddings-codecs.js';
import { failRequest } from '../wire/shared/validate.js';
import type { SimEmbedOutcome, SimEngine } from './engine.js';
import { sendJson } from '../http/io.js';
import { readJson } from './http-io.js';
import { baseHeaders, sendError } from './http-reply.js';
import type { SimRoute } from './http-routes.js';

const SIM_POLICY: EmbeddingsPolicy = {
  refuseTokenIds: () => failRequest('input: token arrays are not supported by the simulator; send text', 'input'),
  refuseNonText: (field) => failRequest(`${field}: only text parts can be embedded by the simulator`, field),
};

/** One engine call per HTTP request (so an alias counts one request however many texts it carries): one vector length for all. */
function dimensionsOf(decoded: DecodedEmbeddingsRequest): number | undefined {
  const dims = new Set(decoded.request.options.map((o) => o.dimensions));
  if (dims.size > 1)
    failRequest('requests: the simulator needs the same outputDimensionality for every request in a batch', 'requests');
  return decoded.request.options[0]?.dimensions;
}

export async function handleEmbeddings(
  req: IncomingMessage,
  res: ServerResponse,
  route: Extract<SimRoute, { kind: 'embed' }>,
  engine: SimEngine,
): Promise<void> {
  let outcome: SimEmbedOutcome;
  let decoded: DecodedEmbeddingsRequest;
  try {
    const body = await readJson(req);
    decoded = embeddingsCodecs[route.format].decode(
      body,
      route.format === 'gemini' ? { pathModel: route.pathModel, batch: route.batch } : {},
      SIM_POLICY,
    );
    outcome = engine.embed(decoded.request.texts, decoded.request.model, dimensionsOf(decoded));
  } catch (e) {
    return sendError(res, route.format, toModelpinError(e), engine.nextRequestId());
  }
  if (outcome.kind === 'error') return sendError(res, route.format, outcome.error, outcome.requestId);
  if (outcome.kind === 'invalid')
    return sendError(res, route.format, new RequestError('bad_request', outcome.message), outcome.requestId);

  const headers = baseHeaders(outcome.requestId, outcome.model);
  return sendJson(
    res,
    200,
    decoded.encode({ vectors: outcome.vectors, inputTokens: outcome.inputTokens, model: outcome.model }),
    headers,
  );
}
