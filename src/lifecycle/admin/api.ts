/**
 * The admin API (gateway extension) under /admin/. Bearer-token protected (gateway.admin_token),
 * disabled with a clear 403 when no token is configured. Every change is validated with zod and
 * written to the audit log.
 */
import { dirname } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestUrl } from '../../http/request-url.js';
import { z } from 'zod';
import type { GatewayContext, GatewayExtension } from '../../gateway/extension.js';
import { StoreError, isModelpinError } from '../../core/errors.js';
import { readJson as readBodyJson, sendJson as sendJsonBody, sendJsonError } from '../../http/io.js';
import { createRouter, normalPath } from '../../http/router.js';
import { isStoreUnavailable } from '../../store/store-health.js';
import { adminToken, bearerMatches } from './auth.js';
import { abortCanary, canaryStatus, startCanary } from '../canary/ops.js';
import { canaryStartSchema } from '../canary/plan.js';
import { clearLiveOverride, setLiveOverride } from '../overrides/live.js';
import { startShadow, stopShadow } from '../shadow/ops.js';
import { ShadowRegistry } from '../shadow/registry.js';
import { SHADOW_REPORT_MAX_PAIRS, shadowReport } from '../shadow/report.js';

const DEFAULT_ACTOR = 'admin-api';

const canaryBodySchema = z.discriminatedUnion('action', [
  canaryStartSchema.extend({ action: z.literal('start') }),
  z
    .object({
      action: z.literal('abort'),
      route: z.string().min(1),
      env: z.string().min(1).optional(),
      reason: z.string().trim().min(1, 'a reason is required'),
      actor: z.string().min(1).optional(),
    })
    .strict(),
]);
const routeEnvQuery = z.object({
  route: z.string().min(1, 'route is required'),
  env: z.string().min(1).optional(),
  actor: z.string().min(1).optional(),
});
const limitQuery = z.object({ limit: z.coerce.number().int().positive().max(10_000).default(100) });
const sinceQuery = z.object({
  since: z.coerce.number().int().nonnegative().optional(),
  route: z.string().min(1).optional(),
});

type Handler = (c: GatewayContext, req: IncomingMessage, url: RequestUrl) => Promise<{ status: number; body: unknown }>;

function parse<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const r = schema.safeParse(value);
  if (!r.success) throw new AdminInputError(`invalid ${what}: ${z.prettifyError(r.error)}`);
  return r.data;
}

class AdminInputError extends Error {}

const query = (url: RequestUrl): Record<string, string> => Object.fromEntries(url.searchParams.entries());

/** Admin bodies are small. */
const MAX_BODY = 64 * 1024;
const readJson = (req: IncomingMessage): Promise<unknown> => readBodyJson(req, MAX_BODY);
const sendJson = (res: ServerResponse, status: number, body: unknown): void =>
  sendJsonBody(res, status, body, { 'cache-control': 'no-store' });
const sendError = (res: ServerResponse, status: number, code: string, message: string): void =>
  sendJsonError(res, status, code, message, { headers: { 'cache-control': 'no-store' } });

export interface AdminApiOptions {
  shadows?: ShadowRegistry;
  /** Where `${ENV}` in gateway.admin_token is read from. */
  envVars?: NodeJS.ProcessEnv;
}

export function adminApi(opts: AdminApiOptions = {}): GatewayExtension {
  const shadows = opts.shadows ?? new ShadowRegistry();
  let ctx: GatewayContext | null = null;
  const deps = (c: GatewayContext) => ({
    store: c.store,
    clock: c.clock,
    config: c.config(),
    baseDir: dirname(c.configPath),
  });

  const router = createRouter<Handler>({
    'GET /admin/overrides': async (c) => ({
      status: 200,
      body: { overrides: await c.store.listOverrides(), now: c.clock.now() },
    }),
    'POST /admin/overrides': async (c, req) => {
      const body = await readJson(req);
      const o = await setLiveOverride(deps(c), body, { env: c.env, actor: DEFAULT_ACTOR });
      await c.refreshRouting();
      return { status: 201, body: { override: o } };
    },
    'DELETE /admin/overrides': async (c, _req, url) => {
      const q = parse(routeEnvQuery, query(url), 'query');
      const cleared = await clearLiveOverride(c, q.route, q.env ?? c.env, q.actor ?? DEFAULT_ACTOR);
      await c.refreshRouting();
      return { status: cleared ? 200 : 404, body: { cleared, route: q.route, env: q.env ?? c.env } };
    },
    'GET /admin/canary': async (c, _req, url) => {
      const route = url.searchParams.get('route');
      const now = c.clock.now();
      const records = (await c.store.listCanaries()).filter((r) => route === null || r.route === route);
      return {
        status: 200,
        body: {
          canaries: await Promise.all(
            records.map((r) => canaryStatus(c.store, r, now, { breaker: c.breakerState(r.candidate) })),
          ),
        },
      };
    },
    'POST /admin/canary': async (c, req) => {
      const body = parse(canaryBodySchema, await readJson(req), 'canary request');
      if (body.action === 'start') {
        const { action: _a, ...start } = body;
        const canary = await startCanary(deps(c), start, { env: c.env, actor: DEFAULT_ACTOR });
        await c.refreshRouting();
        return { status: 201, body: { canary } };
      }
      const canary = await abortCanary(c, body.route, body.env ?? c.env, body.actor ?? DEFAULT_ACTOR, body.reason);
      await c.refreshRouting();
      return { status: 200, body: { canary } };
    },
    'GET /admin/audit': async (c, _req, url) => {
      const q = parse(limitQuery, query(url), 'query');
      return { status: 200, body: { audit: await c.store.listAudit(q.limit) } };
    },
    'GET /admin/sentinel': async (c, _req, url) => {
      const q = parse(sinceQuery, query(url), 'query');
      const events = (await c.store.listSentinelEvents(q.since)).filter(
        (e) => q.route === undefined || e.route === q.route,
      );
      return { status: 200, body: { events } };
    },
    'GET /admin/shadow': async (c, _req, url) => {
      const q = parse(sinceQuery, query(url), 'query');
      const config = c.config();
      await shadows.refresh(c.store, c.clock.now());
      const active = Object.keys(config.routes)
        .map((route) => ({ route, setting: shadows.resolve(route, c.env, config) }))
        .filter((s) => s.setting !== null);
      const names = q.route ? [q.route] : active.map((s) => s.route);
      const pairs = await c.store.listShadowPairs(q.route, q.since, SHADOW_REPORT_MAX_PAIRS);
      return {
        status: 200,
        body: { active, runtime: shadows.list(c.env), reports: names.map((r) => shadowReport(r, pairs)) },
      };
    },
    // Both write the store, then re-read it so this gateway applies the change at once; others follow on their poll.
    'POST /admin/shadow': async (c, req) => {
      const shadow = await startShadow(deps(c), await readJson(req), { env: c.env, actor: DEFAULT_ACTOR });
      await shadows.refresh(c.store, c.clock.now());
      return { status: 201, body: { shadow } };
    },
    'DELETE /admin/shadow': async (c, _req, url) => {
      const q = parse(routeEnvQuery, query(url), 'query');
      const env = q.env ?? c.env;
      const stopped = await stopShadow(c, q.route, env, q.actor ?? DEFAULT_ACTOR);
      await shadows.refresh(c.store, c.clock.now());
      return { status: stopped ? 200 : 404, body: { stopped, route: q.route, env } };
    },
  });

  async function handle(c: GatewayContext, req: IncomingMessage, res: ServerResponse, url: RequestUrl): Promise<void> {
    const path = normalPath(url.pathname);
    const token = adminToken(c.config(), opts.envVars ?? process.env);
    if (token === null) {
      return sendError(
        res,
        403,
        'forbidden',
        'the admin API is disabled: set gateway.admin_token in models.yml to ${SOME_ENV_VAR} and export that variable',
      );
    }
    if (!bearerMatches(req.headers.authorization, token)) {
      res.setHeader('www-authenticate', 'Bearer realm="modelpin-admin"');
      return sendError(
        res,
        401,
        'unauthorized',
        'admin API needs "Authorization: Bearer <admin token>" (the admin token, not a client key)',
      );
    }
    const found = router.match(req.method ?? 'GET', path);
    if (found.kind === 'method') {
      res.setHeader('allow', found.allowed.join(', '));
      return sendError(
        res,
        405,
        'method_not_allowed',
        `${req.method ?? ''} is not allowed on ${path} (allowed: ${found.allowed.join(', ')})`,
      );
    }
    if (found.kind === 'none') return sendError(res, 404, 'not_found', `no admin endpoint ${path}`);
    try {
      const out = await found.handler(c, req, url);
      sendJson(res, out.status, out.body);
    } catch (e) {
      if (e instanceof AdminInputError) return sendError(res, 400, 'bad_request', e.message);
      if (isModelpinError(e) && e.status >= 400 && e.status < 500) return sendError(res, e.status, e.code, e.message);
      if (isStoreUnavailable(e)) {
        res.setHeader('retry-after', '5');
        return sendError(
          res,
          503,
          'store_unavailable',
          `${e.message}; the store is unreachable, retry when it is back`,
        );
      }
      if (e instanceof StoreError) {
        c.logger.log('error', 'admin API store failure', { path, error: e.message });
        return sendError(res, 500, 'store_error', `the store failed: ${e.message}`);
      }
      c.logger.log('error', 'admin API failure', { path, error: e instanceof Error ? e.message : String(e) });
      sendError(res, 500, 'internal', 'admin request failed; see the gateway log');
    }
  }

  return {
    name: 'admin-api',
    async start(c) {
      ctx = c;
    },
    async handleAdmin(req, res, url) {
      // Paths this API does not know are left to other extensions (and the gateway's 404).
      if (!ctx || !router.knows(url.pathname)) return false;
      await handle(ctx, req, res, url);
      return true;
    },
    async stop() {
      ctx = null;
    },
  };
}
