/**
 * An embeddings call from an OpenAI or Gemini client: authenticate, read and decode the body, plan
 * the route exactly like a chat call, dispatch through the same retry/breaker/fallback chain, answer
 * in the client's format and leave one usage record.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { RequestError } from '../core/errors.js';
import { targetRef, type Target } from '../config/target.js';
import type { CallOptions, ProviderClient } from '../providers/types.js';
import { newTrace } from '../routing/dispatch.js';
import { planRequest } from '../routing/plan.js';
import { finishCall, overhead, type CallDeps, type CallScope } from './call-scope.js';
import { answerFailure } from './call-failure.js';
import { connectionSignal } from './client-signal.js';
import type { EmbeddingsCodec, EmbeddingsPathContext, EmbeddingsRequest } from './embeddings-codec.js';
import { embeddingTargets, noEmbeddings } from './embeddings-targets.js';
import { estimateInputTokens } from './embeddings-tokens.js';
import { shorten } from './embeddings-vectors.js';
import { headerOf, parseJsonBody, readBody, sendJson } from './http-io.js';
import { routingHeaders } from './usage-record.js';

export async function handleEmbeddingsCall(req: IncomingMessage, res: ServerResponse, url: URL, codec: EmbeddingsCodec, ctx: EmbeddingsPathContext, deps: CallDeps): Promise<void> {
  const errors = deps.codecs[codec.errorFormat];
  const scope: CallScope = {
    t0: deps.now(),
    ts: deps.clock.now(),
    wire: codec.usageWire,
    stream: false,
    requested: ctx.pathModel ?? '',
    keyId: null,
    plan: null,
    trace: newTrace(),
    // Embeddings have no canonical request: extensions (shadow, sentinel) are not handed these calls.
    request: null,
    response: null,
    servedModel: null,
    fingerprint: null,
    usage: null,
    ttftMs: null,
    overheadMs: 0,
  };
  const signal = connectionSignal(req.socket);
  let authenticated = false;
  try {
    const identity = deps.auth().authenticate(req, url);
    authenticated = true;
    scope.keyId = identity.keyId;
    const decoded = codec.decode(parseJsonBody(await readBody(req, deps.bodyLimit())), ctx);
    const request = decoded.request;
    scope.requested = request.model;
    const runtime = deps.runtime();
    const plan = planRequest(runtime.table, { model: request.model, header: (n) => headerOf(req, n), allowedRoutes: identity.allowedRoutes }, deps.random);
    scope.plan = plan;
    const { capable, skipped } = embeddingTargets(plan, (id) => runtime.provider(id));
    if (skipped.length > 0) deps.logger.log('debug', 'embeddings: targets without an embeddings API left out of the chain', { route: plan.route, skipped });
    const attempt = (client: ProviderClient, target: Target, opts: CallOptions): Promise<number[][]> => {
      if (!client.embed) throw noEmbeddings(client, target);
      return client.embed(request.texts, target.model, opts);
    };
    const { value } = await runtime.dispatcher.run(capable, attempt, { signal, trace: scope.trace });
    const target = scope.trace.target ?? capable[0];
    // Provider clients return vectors only: the model that answered is the target's model id.
    scope.servedModel = target ? target.model : null;
    const vectors = shortened(value, request, target);
    const inputTokens = estimateInputTokens(request.texts);
    scope.usage = { inputTokens, outputTokens: 0 };
    const body = decoded.encode({ vectors, inputTokens });
    scope.overheadMs = overhead(scope, deps);
    sendJson(res, 200, body, routingHeaders(plan, scope.trace, scope.servedModel, scope.overheadMs));
    finishCall(scope, deps, 200, null);
  } catch (e) {
    answerFailure(res, e, signal, scope, deps, errors, authenticated);
  }
}

function shortened(vectors: number[][], request: EmbeddingsRequest, target: Target | undefined): number[][] {
  return vectors.map((v, i) => {
    const want = request.dimensions[i];
    if (want !== undefined && want > v.length) {
      const field = request.dimensionsParam(i);
      throw new RequestError('bad_request', `${field}: ${want} is more than the ${v.length} dimensions ${target ? targetRef(target) : 'the target'} answers`, { details: { param: field } });
    }
    return shorten(v, want);
  });
}
