/**
 * A model call from any client wire format: authenticate, read and decode the body,
 * plan the route, dispatch (with retries and fallback), answer in the client's own format.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ClientRequestContext } from '../wire/codec.js';
import type { ClientWireFormat } from '../wire/canonical.js';
import { planRequest } from '../routing/plan.js';
import { headerOf, parseJsonBody, readBody, sendJson } from '../http/io.js';
import { finishCall, openScope, overhead, recordAnswer, type CallDeps } from './call-scope.js';
import { answerFailure } from './call-failure.js';
import { routingHeaders } from './usage-record.js';
import { runStream } from './stream-call.js';
import { connectionSignal } from './client-signal.js';
import { FORWARD } from '../wire/forward.js';
import { completeForwarded, streamForwarded } from './forward-call.js';

export async function handleModelCall(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  wire: ClientWireFormat,
  ctx: ClientRequestContext,
  deps: CallDeps,
): Promise<void> {
  const codec = deps.codecs[wire];
  const scope = openScope(deps, wire, { stream: ctx.stream ?? false, requested: ctx.pathModel ?? '', headers: req.headers });
  const signal = connectionSignal(req.socket);
  let authenticated = false;
  try {
    const identity = deps.auth().authenticate(req, url);
    authenticated = true;
    scope.keyId = identity.keyId;
    const body = parseJsonBody(await readBody(req, deps.bodyLimit()));
    const request = codec.decodeRequest(body, { ...ctx, header: (n) => headerOf(req, n) });
    scope.request = request;
    scope.requested = request.model;
    scope.stream = request.stream;
    const runtime = deps.runtime();
    scope.plan = planRequest(runtime.table, { model: request.model, header: (n) => headerOf(req, n), allowedRoutes: identity.allowedRoutes }, deps.random);
    // Same-format fast path: decoded and planned as above, the client's own JSON goes upstream.
    const pw = deps.forward ? FORWARD[wire] : undefined;
    if (pw && isObject(body)) {
      if (request.stream) await streamForwarded(res, pw, body, request, codec, scope, deps, signal);
      else await completeForwarded(res, pw, body, request, codec, scope, deps, signal);
      return;
    }
    if (request.stream) {
      await runStream(res, codec, scope, deps, signal);
      return;
    }
    const { response } = await runtime.dispatcher.complete(request, scope.plan.targets, { signal, trace: scope.trace });
    recordAnswer(scope, response);
    const out = codec.encodeResponse(response, request.model, request);
    scope.overheadMs = overhead(scope, deps);
    sendJson(res, 200, out, routingHeaders(scope.plan, scope.trace, response.model, scope.overheadMs));
    finishCall(scope, deps, 200, null);
  } catch (e) {
    answerFailure(res, e, signal, scope, deps, codec, authenticated);
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
