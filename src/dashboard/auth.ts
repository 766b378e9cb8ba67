/**
 * Who may read the dashboard. With a token: every request must present it (Bearer header or
 * `?token=`), compared in constant time. Without one the server only binds loopback, and the
 * Host header must name a loopback host too, so a web page on another origin cannot reach it
 * through DNS rebinding.
 */
import type { IncomingMessage } from 'node:http';
import { isLoopbackHost } from '../gateway/auth.js';
import { headerOf } from '../http/io.js';
import type { RequestUrl } from '../http/request-url.js';
import { bearerToken, tokenMatches } from '../http/token.js';
import { hostnameOf } from '../gateway/origin-guard.js';

export type AccessVerdict = { ok: true } | { ok: false; status: 401 | 403; message: string };

export function presentedToken(req: IncomingMessage, url: RequestUrl): string | null {
  return bearerToken(headerOf(req, 'authorization')) ?? url.searchParams.get('token');
}

export function checkAccess(req: IncomingMessage, url: RequestUrl, token: string | undefined): AccessVerdict {
  if (token !== undefined) {
    const given = presentedToken(req, url);
    if (given === null)
      return {
        ok: false,
        status: 401,
        message: 'this dashboard needs a token: send "Authorization: Bearer <token>" or open it with ?token=<token>',
      };
    if (!tokenMatches(given, token)) return { ok: false, status: 401, message: 'invalid dashboard token' };
    return { ok: true };
  }
  const host = headerOf(req, 'host');
  if (host === undefined || !isLoopbackHost(hostnameOf(host))) {
    return {
      ok: false,
      status: 403,
      message: 'this dashboard only answers requests addressed to a loopback host (localhost, 127.0.0.1, [::1])',
    };
  }
  return { ok: true };
}
