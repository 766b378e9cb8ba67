/**
 * The dashboard HTTP server: the page at `/`, the JSON API under `/api/`. Read-only and
 * GET-only. `createDashboardHandler` is the request handler alone, for embedding in another server.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Clock } from '../core/clock.js';
import { isModelpinError, UsageError } from '../core/errors.js';
import { isLoopbackHost } from '../gateway/auth.js';
import { sendJson as sendJsonBody, sendJsonError } from '../http/io.js';
import { requestUrl, type RequestUrl } from '../http/request-url.js';
import type { Store } from '../store/types.js';
import { historyView, stateView, usageView } from './api.js';
import { checkAccess } from './auth.js';
import { drillDownView, parseDrillParams } from './drill-down.js';
import { parseHistoryParams, parseStateParams, parseUsageParams } from './params.js';
import { PAGE_CSP, PAGE_HTML } from './page.js';

export interface DashboardOptions {
  store: Store;
  clock: Clock;
  /** Required for any non-loopback host. Compared in constant time; never echoed. */
  token?: string;
  /** The window `/api/usage` and `/api/state` use when `since` is omitted. Default `24h`. */
  defaultSince?: string;
}

export interface DashboardServerOptions extends DashboardOptions {
  /** 0 = an ephemeral port. Default 8790. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
}

export interface DashboardServer {
  url: string;
  close(): Promise<void>;
}

const BASE_HEADERS = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
} as const;

function send(
  res: ServerResponse,
  status: number,
  type: string,
  body: string,
  extra: Record<string, string> = {},
): void {
  res.writeHead(status, { ...BASE_HEADERS, ...extra, 'content-type': type, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

const sendJson = (res: ServerResponse, status: number, body: unknown): void =>
  sendJsonBody(res, status, body, { ...BASE_HEADERS });

function sendError(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  opts: { param?: string; headers?: Record<string, string> } = {},
): void {
  sendJsonError(res, status, code, message, {
    ...(opts.param !== undefined ? { param: opts.param } : {}),
    headers: { ...BASE_HEADERS, ...opts.headers },
  });
}

type Route = (
  url: RequestUrl,
  opts: Required<Pick<DashboardOptions, 'store' | 'clock' | 'defaultSince'>>,
) => Promise<unknown>;

const API: Record<string, Route> = {
  '/api/usage': (url, o) => {
    const now = o.clock.now();
    return usageView(o.store, now, parseUsageParams(url.searchParams, now, o.defaultSince));
  },
  '/api/state': (url, o) => {
    const now = o.clock.now();
    return stateView(o.store, now, parseStateParams(url.searchParams, now, o.defaultSince));
  },
  '/api/history': (url, o) => historyView(o.store, o.clock.now(), parseHistoryParams(url.searchParams)),
  '/api/version': (url, o) => drillDownView(o.store, o.clock.now(), parseDrillParams(url.searchParams)),
};

export function createDashboardHandler(
  opts: DashboardOptions,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const ctx = { store: opts.store, clock: opts.clock, defaultSince: opts.defaultSince ?? '24h' };
  return async (req, res) => {
    const url = requestUrl(req.url);
    if (url === null)
      return sendError(res, 404, 'not_found', 'no such dashboard path (the request target is not a URL path)');
    const isApi = url.pathname.startsWith('/api/');
    const access = checkAccess(req, url, opts.token);
    if (!access.ok) {
      const extra: Record<string, string> =
        access.status === 401 ? { 'www-authenticate': 'Bearer realm="modelpin dashboard"' } : {};
      if (isApi)
        return sendError(res, access.status, access.status === 401 ? 'unauthorized' : 'forbidden', access.message, {
          headers: extra,
        });
      return send(res, access.status, 'text/plain; charset=utf-8', `${access.message}\n`, extra);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return sendError(
        res,
        405,
        'method_not_allowed',
        `${req.method ?? 'this method'} is not allowed; the dashboard is read-only`,
        { headers: { allow: 'GET, HEAD' } },
      );
    }
    if (url.pathname === '/' || url.pathname === '/index.html') {
      return send(res, 200, 'text/html; charset=utf-8', PAGE_HTML, {
        'content-security-policy': PAGE_CSP,
        'x-frame-options': 'DENY',
      });
    }
    const route = API[url.pathname];
    if (!route)
      return sendError(
        res,
        404,
        'not_found',
        `no such dashboard path: ${url.pathname} (try /, /api/usage, /api/state, /api/history, /api/version)`,
      );
    try {
      sendJson(res, 200, await route(url, ctx));
    } catch (e) {
      if (isModelpinError(e) && e.status >= 400 && e.status < 500) {
        const param = typeof e.details?.param === 'string' ? e.details.param : undefined;
        return sendError(res, e.status, e.code, e.message, param !== undefined ? { param } : {});
      }
      // Store failures: say what failed, not how (the message may carry a connection string).
      sendError(res, 500, 'store', 'could not read the store; see the dashboard process output');
      process.emitWarning(
        `modelpin dashboard: ${url.pathname} failed: ${isModelpinError(e) ? e.message : e instanceof Error ? e.message : String(e)}`,
      );
    }
  };
}

function urlHost(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

export async function createDashboardServer(opts: DashboardServerOptions): Promise<DashboardServer> {
  const host = opts.host ?? '127.0.0.1';
  if (!isLoopbackHost(host) && (opts.token === undefined || opts.token === '')) {
    throw new UsageError(
      `refusing to serve the dashboard on non-loopback host ${host} without a token (pass --admin-token-env VAR)`,
    );
  }
  if (opts.token === '') throw new UsageError('the dashboard token is empty');
  const handler = createDashboardHandler(opts);
  const server = createServer((req, res) => {
    handler(req, res).catch(() => {
      if (!res.headersSent) sendError(res, 500, 'internal', 'internal error');
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 8790, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${urlHost(host)}:${port}/`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
