/** Non-model endpoints: liveness, readiness, Prometheus metrics and the route list. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestUrl } from '../http/request-url.js';
import { RequestError } from '../core/errors.js';
import { visibleRoutes } from '../routing/plan.js';
import type { RoutingRuntime } from '../routing/runtime.js';
import type { Authenticator } from './auth.js';
import type { GatewayMetrics } from './metrics.js';
import type { Readiness } from './readiness.js';
import { sendJson } from '../http/io.js';
import { bareModel } from '../wire/shared/model-name.js';
import { encodeModel, encodeModelList, encodeV1ModelList, type ListedModel } from '../wire/model-list.js';

/** `/livez` (and `/healthz`): the process runs and serves HTTP. Nothing else is checked: a restart would not fix anything else. */
export function healthz(res: ServerResponse): void {
  sendJson(res, 200, { status: 'ok' });
}

/** `/readyz`: can this gateway serve requests now (see readiness.ts). */
export function readyz(res: ServerResponse, r: Readiness): void {
  sendJson(res, r.ready ? 200 : 503, r.body);
}

export async function metricsEndpoint(
  req: IncomingMessage,
  res: ServerResponse,
  url: RequestUrl,
  metrics: GatewayMetrics,
  auth: Authenticator,
): Promise<void> {
  auth.authenticateMetrics(req, url);
  const text = await metrics.registry.metrics();
  res.writeHead(200, { 'content-type': metrics.registry.contentType });
  res.end(text);
}

/** A route as the model lists show it; the Gemini methods (a hint, see methodsOf) only where a Gemini list shows them. */
function listedRoute(route: string, runtime: RoutingRuntime, gemini = false): ListedModel {
  const description = runtime.file.routes[route]?.description;
  return {
    id: route,
    displayName: description ?? route,
    created: 0,
    ownedBy: 'modelpin',
    gemini: {
      version: 'modelpin-route',
      ...(description ? { description } : {}),
      methods: gemini ? methodsOf(route, runtime) : [],
    },
  };
}

/** Routes the caller's key may use, in one list both the OpenAI and the Anthropic SDK's `models.list()` read. */
export function listModels(
  req: IncomingMessage,
  res: ServerResponse,
  url: RequestUrl,
  runtime: RoutingRuntime,
  auth: Authenticator,
): void {
  const identity = auth.authenticate(req, url);
  sendJson(
    res,
    200,
    encodeV1ModelList(visibleRoutes(runtime.table, identity.allowedRoutes).map((r) => listedRoute(r, runtime))),
  );
}

const GENERATE_METHODS = ['generateContent', 'streamGenerateContent'];
const EMBED_METHODS = ['embedContent', 'batchEmbedContents'];

/**
 * Neither models.yml nor the catalog says which models embed, so a heuristic decides: a route whose
 * target in the gateway's environment (overrides applied) is on a provider with an embeddings API
 * and whose model id contains "embed" (text-embedding-3-small, gemini-embedding-001,
 * sim-embed-2026-03-01, nomic-embed-text) lists the embedding methods; every other route the
 * generate ones. Either kind of call is still accepted on any route: the list is a hint for clients.
 */
function methodsOf(route: string, runtime: RoutingRuntime): string[] {
  const target = runtime.table.routes.get(route)?.chain[0];
  if (!target || !target.model.toLowerCase().includes('embed')) return GENERATE_METHODS;
  let embeds: boolean;
  try {
    embeds = runtime.provider(target.provider).embed !== undefined;
  } catch {
    // A provider that cannot be built (missing base URL) embeds nothing; its calls say why.
    embeds = false;
  }
  return embeds ? EMBED_METHODS : GENERATE_METHODS;
}

/**
 * The Gemini `models.list` / `models.get` shapes (`GET /v1beta/models[/{route}]`), so the Gemini
 * SDK can discover routes the same way the other SDKs do through `/v1/models`.
 */
export function listGeminiModels(
  req: IncomingMessage,
  res: ServerResponse,
  url: RequestUrl,
  runtime: RoutingRuntime,
  auth: Authenticator,
  one?: string,
): void {
  const identity = auth.authenticate(req, url);
  const routes = visibleRoutes(runtime.table, identity.allowedRoutes);
  if (one === undefined) {
    sendJson(
      res,
      200,
      encodeModelList(
        'gemini',
        routes.map((r) => listedRoute(r, runtime, true)),
      ),
    );
    return;
  }
  const route = bareModel(one);
  if (!routes.includes(route)) {
    throw new RequestError(
      'route_not_found',
      `unknown route "${route}"; routes this key may use: ${routes.join(', ') || '(none)'}`,
      { status: 404, details: { route } },
    );
  }
  sendJson(res, 200, encodeModel('gemini', listedRoute(route, runtime, true)));
}
