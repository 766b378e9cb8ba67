/** Dispatch an HTTP request to the right handler; every error answers in the caller's wire format. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { RequestError } from '../core/errors.js';
import type { GatewayExtension } from './extension.js';
import type { CallDeps } from './call-scope.js';
import { publicError } from './call-scope.js';
import { guessWire, isResponsesPath, matchEndpoint, matchModelsEndpoint } from '../wire/endpoints.js';
import { healthz, listGeminiModels, listModels, metricsEndpoint, readyz } from './info-endpoints.js';
import type { Readiness } from './readiness.js';
import { handleModelCall } from './model-call.js';
import { handleEmbeddingsCall } from './embeddings-call.js';
import { matchEmbeddings } from './embeddings-endpoints.js';
import { sendJson } from '../http/io.js';
import { requestUrl } from '../http/request-url.js';
import type { OriginGuard } from './origin-guard.js';

export interface RouterDeps {
  deps: CallDeps;
  extensions: readonly GatewayExtension[];
  guard(): OriginGuard;
  /** What /readyz answers now (no store round trip per probe). */
  readiness: () => Readiness;
}

export async function routeRequest(req: IncomingMessage, res: ServerResponse, r: RouterDeps): Promise<void> {
  const method = req.method ?? 'GET';
  const url = requestUrl(req.url);
  // A target no URL can be read from still gets an answer in the format its headers suggest.
  const path = url?.pathname ?? (req.url ?? '/').split('?')[0] ?? '/';
  try {
    if (r.guard().check(req, res)) return;
    if (url === null) throw notFound(method, path);
    if (method === 'POST') {
      const m = matchEndpoint(path);
      if (m) return await handleModelCall(req, res, url, m.def.wire, m.ctx, r.deps);
      const e = matchEmbeddings(path);
      if (e) return await handleEmbeddingsCall(req, res, url, e.codec, e.ctx, r.deps);
    }
    if (path.startsWith('/admin/') || path === '/admin') {
      for (const ext of r.extensions) {
        if (ext.handleAdmin && (await ext.handleAdmin(req, res, url))) return;
      }
      throw notFound(method, path);
    }
    if (method === 'GET') {
      switch (path) {
        case '/livez':
        case '/healthz':
          return healthz(res);
        case '/readyz':
          return readyz(res, r.readiness());
        case '/metrics':
          return await metricsEndpoint(req, res, url, r.deps.metrics, r.deps.auth());
      }
      const models = matchModelsEndpoint(path);
      if (models?.family === 'gemini')
        return listGeminiModels(req, res, url, r.deps.runtime(), r.deps.auth(), models.model);
      if (models?.model === undefined && models) return listModels(req, res, url, r.deps.runtime(), r.deps.auth());
    }
    if (matchEndpoint(path) || matchEmbeddings(path))
      throw new RequestError('bad_request', `method ${method} is not allowed on ${path}; use POST`, { status: 405 });
    if (isResponsesPath(path)) throw responsesNotStored(method, path);
    throw notFound(method, path);
  } catch (e) {
    req.resume();
    const err = publicError(e, r.deps.logger);
    const encoded = r.deps.codecs[guessWire(path, req.headers)].encodeError(err);
    sendJson(res, encoded.status, encoded.body, encoded.headers);
  }
}

function notFound(method: string, path: string): RequestError {
  return new RequestError(
    'route_not_found',
    `no such endpoint: ${method} ${path}; model calls go to POST /v1/chat/completions, /v1/responses, /v1/messages or /v1beta/models/{model}:generateContent, embeddings to POST /v1/embeddings or /v1beta/models/{model}:embedContent`,
    { status: 404, details: { path } },
  );
}

/** Retrieve, cancel, delete, input items...: every Responses route but create needs stored responses. */
function responsesNotStored(method: string, path: string): RequestError {
  return new RequestError(
    'route_not_found',
    `no such endpoint: ${method} ${path}; the gateway stores no responses, so only POST /v1/responses is served`,
    {
      status: 404,
      details: { path },
    },
  );
}
