/**
 * A model call from any client wire format: authenticate, read and decode the body,
 * plan the route, dispatch (with retries and fallback), answer in the client's own format.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestUrl } from '../http/request-url.js';
import type { ClientRequestContext } from '../wire/codec.js';
import type { ClientWireFormat } from '../wire/canonical.js';
import { headerOf, parseJsonBody, readBody, sendJson } from '../http/io.js';
import {
  authenticateCall,
  finishCall,
  openScope,
  overhead,
  planCall,
  recordAnswer,
  type CallDeps,
} from './call-scope.js';
import { answerFailure } from './call-failure.js';
import { routingHeaders } from './usage-record.js';
import { runStream } from './stream-call.js';
import { connectionSignal } from './client-signal.js';
import { FORWARD } from '../wire/forward.js';
import { runForwarded } from './forward-call.js';

export async function handleModelCall(
  req: IncomingMessage,
  res: ServerResponse,
  url: RequestUrl,
  wire: ClientWireFormat,
  ctx: ClientRequestContext,
  deps: CallDeps,
): Promise<void> {
  const codec = deps.codecs[wire];
  const scope = openScope(deps, wire, {
    stream: ctx.stream ?? false,
    requested: ctx.pathModel ?? '',
    headers: req.headers,
  });
  const signal = connectionSignal(req.socket);
  try {
    const identity = authenticateCall(req, url, scope, deps);
    const body = parseJsonBody(await readBody(req, deps.bodyLimit()));
    // `header` before the spread: an object spread and then given a new key gets a hidden class of its own
    // per call in optimised V8 code (bench/map-churn.ts).
    const request = codec.decodeRequest(body, { header: (n) => headerOf(req, n), ...ctx });
    scope.request = request;
    scope.stream = request.stream;
    const plan = planCall(req, scope, deps, request.model, identity);
    // Same-format fast path: decoded and planned as above, the client's own JSON goes upstream.
    const pw = deps.forward ? FORWARD[wire] : undefined;
    if (pw && isObject(body)) {
      await runForwarded({ res, pw, body, request, codec, scope, deps, signal });
      return;
    }
    if (request.stream) {
      await runStream(res, codec, scope, deps, signal);
      return;
    }
    const { response } = await deps
      .runtime()
      .dispatcher.complete(request, plan.targets, { signal, trace: scope.trace });
    recordAnswer(scope, response);
    const out = codec.encodeResponse(response, request.model, request);
    scope.overheadMs = overhead(scope, deps);
    sendJson(res, 200, out, routingHeaders(plan, scope.trace, response.model, scope.overheadMs));
    finishCall(scope, deps, 200, null);
  } catch (e) {
    answerFailure(res, e, signal, scope, deps, codec);
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
