/** Non-model endpoints: liveness, readiness, Prometheus metrics and the route list. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { RequestError } from '../core/errors.js';
import { visibleRoutes } from '../routing/plan.js';
import type { RoutingRuntime } from '../routing/runtime.js';
import type { Authenticator } from './auth.js';
import type { GatewayMetrics } from './metrics.js';
import type { Readiness } from './readiness.js';
import { sendJson } from './http-io.js';
import { bareModel } from '../wire/shared/model-name.js';

/** `/livez` (and `/healthz`): the process runs and serves HTTP. Nothing else is checked: a restart would not fix anything else. */
export function healthz(res: ServerResponse): void {
  sendJson(res, 200, { status: 'ok' });
}

/** `/readyz`: can this gateway serve requests now (see readiness.ts). */
export function readyz(res: ServerResponse, r: Readiness): void {
  sendJson(res, r.ready ? 200 : 503, r.body);
}

export async function metricsEndpoint(req: IncomingMessage, res: ServerResponse, url: URL, metrics: GatewayMetrics, auth: Authenticator): Promise<void> {
  auth.authenticateMetrics(req, url);
  const text = await metrics.registry.metrics();
  res.writeHead(200, { 'content-type': metrics.registry.contentType });
  res.end(text);
}

/**
 * Routes the caller's key may use, in the OpenAI list shape. Each item also carries the
 * Anthropic model-list fields, so both SDKs' `models.list()` read it.
 */
export function listModels(req: IncomingMessage, res: ServerResponse, url: URL, runtime: RoutingRuntime, auth: Authenticator): void {
  const identity = auth.authenticate(req, url);
  const routes = visibleRoutes(runtime.table, identity.allowedRoutes);
  const data = routes.map((id) => ({
    id,
    object: 'model',
    created: 0,
    owned_by: 'modelpin',
    type: 'model',
    display_name: runtime.file.routes[id]?.description ?? id,
    created_at: '1970-01-01T00:00:00Z',
  }));
  sendJson(res, 200, { object: 'list', data, has_more: false, first_id: routes[0] ?? null, last_id: routes[routes.length - 1] ?? null });
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

function geminiModel(route: string, runtime: RoutingRuntime) {
  const description = runtime.file.routes[route]?.description;
  return {
    name: `models/${route}`,
    version: 'modelpin-route',
    displayName: description ?? route,
    ...(description ? { description } : {}),
    supportedGenerationMethods: methodsOf(route, runtime),
  };
}

/**
 * The Gemini `models.list` / `models.get` shapes (`GET /v1beta/models[/{route}]`), so the Gemini
 * SDK can discover routes the same way the other SDKs do through `/v1/models`.
 */
export function listGeminiModels(req: IncomingMessage, res: ServerResponse, url: URL, runtime: RoutingRuntime, auth: Authenticator, one?: string): void {
  const identity = auth.authenticate(req, url);
  const routes = visibleRoutes(runtime.table, identity.allowedRoutes);
  if (one === undefined) {
    sendJson(res, 200, { models: routes.map((r) => geminiModel(r, runtime)) });
    return;
  }
  const route = bareModel(one);
  if (!routes.includes(route)) {
    throw new RequestError('route_not_found', `unknown route "${route}"; routes this key may use: ${routes.join(', ') || '(none)'}`, { status: 404, details: { route } });
  }
  sendJson(res, 200, geminiModel(route, runtime));
}
