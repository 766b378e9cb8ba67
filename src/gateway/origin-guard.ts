/**
 * Which Host and Origin the gateway answers. Without client keys (`gateway.auth: none`) anything that
 * can reach the port can spend the provider keys, and a web page the developer opens can reach
 * 127.0.0.1: by a simple cross-origin POST (no preflight for `text/plain`), or by DNS rebinding a name
 * of its own to 127.0.0.1, which also lets it read the answers. So with `auth: none` only loopback Host
 * names are accepted (plus `gateway.allowed_hosts`), and a browser request from another origin is
 * refused unless `gateway.cors.allowed_origins` lists it. With `auth: keys` any Host is accepted
 * (a reverse proxy in front decides), unless `gateway.allowed_hosts` narrows it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { RequestError } from '../core/errors.js';
import type { GatewayConfig } from '../config/schema.js';
import { isLoopbackHost } from './auth.js';

export interface OriginGuard {
  /**
   * Throws a `forbidden` RequestError for a foreign Host or Origin. For an allowed cross-origin
   * request it sets the CORS answer headers on `res`, and answers a preflight itself: true when
   * the request was answered here.
   */
  check(req: IncomingMessage, res: ServerResponse): boolean;
}

type GuardConfig = Pick<GatewayConfig, 'auth' | 'allowed_hosts' | 'cors'>;

/** Hostname of a Host header (`127.0.0.1:8790`, `[::1]:8790`, `localhost`), lower-cased. */
export function hostnameOf(hostHeader: string): string {
  const h = hostHeader.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(0, h.indexOf(']') + 1);
  const colon = h.lastIndexOf(':');
  return colon === -1 ? h : h.slice(0, colon);
}

/** `scheme://host[:port]` of an Origin header, or null when it is not one (`null`, garbage). */
function originHost(origin: string): string | null {
  try {
    const u = new URL(origin);
    return u.origin === 'null' ? null : u.host.toLowerCase();
  } catch {
    return null;
  }
}

/** Headers an SDK's answer carries that browser code may want to read. */
const EXPOSED =
  'retry-after, retry-after-ms, x-request-id, x-modelpin-route, x-modelpin-target, x-modelpin-served-model, x-modelpin-arm, x-modelpin-attempts, x-modelpin-overhead-ms';

export function createOriginGuard(cfg: GuardConfig): OriginGuard {
  const extraHosts = new Set(cfg.allowed_hosts.map((h) => h.toLowerCase()));
  const checkHost = cfg.auth === 'none' || extraHosts.size > 0;
  const origins = new Set(cfg.cors?.allowed_origins.map((o) => o.toLowerCase().replace(/\/+$/, '')) ?? []);
  const anyOrigin = origins.has('*');
  const maxAge = String(cfg.cors?.max_age_s ?? 600);
  // Clients send the same Host on every request: remember the last accepted one.
  let lastHost: string | undefined;

  const hostAllowed = (host: string | undefined): boolean => {
    if (!checkHost) return true;
    if (host === undefined) return false;
    if (host === lastHost) return true;
    const name = hostnameOf(host);
    const ok = isLoopbackHost(name) || extraHosts.has(name);
    if (ok) lastHost = host;
    return ok;
  };

  return {
    check(req, res) {
      const host = req.headers.host;
      if (!hostAllowed(host)) {
        throw new RequestError(
          'forbidden',
          cfg.auth === 'none'
            ? `Host "${String(host ?? '').slice(0, 100)}" is not a loopback name: with gateway.auth: none this gateway answers only requests addressed to localhost, 127.0.0.1 or [::1]; list other names in gateway.allowed_hosts, or set gateway.auth: keys`
            : `Host "${String(host ?? '').slice(0, 100)}" is not in gateway.allowed_hosts`,
          { status: 403 },
        );
      }
      const origin = req.headers.origin;
      if (origin === undefined) return false;
      const oHost = originHost(origin);
      // Same origin: a page served under the very Host this request names (already accepted above).
      if (oHost !== null && host !== undefined && oHost === host.toLowerCase()) return false;
      const listed = anyOrigin || origins.has(origin.toLowerCase());
      if (!listed) {
        throw new RequestError(
          'forbidden',
          `cross-origin request from ${JSON.stringify(origin.slice(0, 100))} refused: browser apps must be listed in gateway.cors.allowed_origins`,
          { status: 403 },
        );
      }
      res.setHeader('access-control-allow-origin', anyOrigin ? '*' : origin);
      res.setHeader('vary', 'Origin');
      if (req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined) {
        const asked = req.headers['access-control-request-headers'];
        res.writeHead(204, {
          'access-control-allow-methods': 'GET, POST, OPTIONS',
          // SDKs add headers of their own (x-stainless-*, anthropic-version): allow what the preflight asks for.
          ...(asked ? { 'access-control-allow-headers': asked } : {}),
          'access-control-max-age': maxAge,
          'content-length': '0',
        });
        res.end();
        return true;
      }
      res.setHeader('access-control-expose-headers', EXPOSED);
      return false;
    },
  };
}
