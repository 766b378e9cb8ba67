/**
 * Client keys for the gateway. Keys are hashed once at load; a presented key is hashed and
 * compared against every configured key in constant time (http/token.ts), so timing reveals nothing.
 */
import type { IncomingMessage } from 'node:http';
import type { RequestUrl } from '../http/request-url.js';
import { ConfigError, RequestError, UsageError } from '../core/errors.js';
import type { Interpolation } from '../config/interpolate.js';
import type { ModelsFile } from '../config/schema.js';
import { headerOf } from '../http/io.js';
import { bearerToken, digestsEqual, tokenDigest } from '../http/token.js';

export interface ClientIdentity {
  keyId: string | null;
  /** null = every route (and raw ids, subject to passthrough). */
  allowedRoutes: ReadonlySet<string> | null;
}

export interface Authenticator {
  readonly mode: 'none' | 'keys';
  authenticate(req: IncomingMessage, url: RequestUrl): ClientIdentity;
  /**
   * `/metrics` when `gateway.metrics_auth` is `keys`: a key with every route (`routes: ['*']`), whatever
   * `gateway.auth` says, because the metrics describe every route.
   */
  authenticateMetrics(req: IncomingMessage, url: RequestUrl): void;
  readonly metricsMode: 'none' | 'keys';
}

interface HashedKey {
  id: string;
  digest: Buffer;
  routes: ReadonlySet<string> | null;
}

const OPEN: ClientIdentity = { keyId: null, allowedRoutes: null };

/** The key as each SDK sends it: OpenAI `Authorization: Bearer`, Anthropic `x-api-key`, Gemini `x-goog-api-key` or `?key=`. */
export function presentedKey(req: IncomingMessage, url: RequestUrl): string | undefined {
  return (
    bearerToken(headerOf(req, 'authorization')) ??
    headerOf(req, 'x-api-key') ??
    headerOf(req, 'x-goog-api-key') ??
    url.searchParams.get('key') ??
    undefined
  );
}

/** Keys arrive already interpolated by config loading; an unset `${VAR}` leaves an empty key, which never matches. */
export function createAuthenticator(file: ModelsFile): Authenticator {
  const mode = file.gateway.auth;
  const keys: HashedKey[] = file.gateway.keys
    .map((k) => ({ id: k.id, value: k.key, routes: k.routes }))
    .filter((k) => k.value !== '')
    .map((k) => ({
      id: k.id,
      digest: tokenDigest(k.value),
      routes: k.routes.includes('*') ? null : new Set(k.routes),
    }));
  const check = (req: IncomingMessage, url: RequestUrl): ClientIdentity => {
    const presented = presentedKey(req, url);
    if (!presented) {
      throw new RequestError(
        'unauthorized',
        'missing API key: send it as "Authorization: Bearer <key>", "x-api-key" or "x-goog-api-key"',
      );
    }
    const d = tokenDigest(presented);
    let found: HashedKey | null = null;
    for (const k of keys) if (digestsEqual(k.digest, d) && !found) found = k;
    if (!found) throw new RequestError('unauthorized', 'invalid API key for this gateway');
    return { keyId: found.id, allowedRoutes: found.routes };
  };
  const metricsMode = metricsAuthMode(file);
  return {
    mode,
    metricsMode,
    authenticate(req, url) {
      return mode === 'none' ? OPEN : check(req, url);
    },
    authenticateMetrics(req, url) {
      if (metricsMode === 'none') return;
      if (check(req, url).allowedRoutes !== null) {
        throw new RequestError('forbidden', '/metrics describes every route: it needs a key with routes: ["*"]', {
          status: 403,
        });
      }
    },
  };
}

/** `auth: none` is only safe when nobody else can reach the port. */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** `gateway.metrics_auth`, or when unset the same as `gateway.auth`. */
export function metricsAuthMode(file: ModelsFile): 'none' | 'keys' {
  return file.gateway.metrics_auth ?? file.gateway.auth;
}

/** `gateway.auth: none` only on loopback: anyone who can reach the port could spend the provider keys. */
export function checkAuthBinding(file: ModelsFile, host: string, unsetVars: readonly string[]): void {
  if (file.gateway.auth === 'none' && !isLoopbackHost(host)) {
    throw new UsageError(
      `refusing to listen on ${host} with gateway.auth: none; bind to 127.0.0.1 (--host 127.0.0.1) or set gateway.auth: keys with gateway.keys in models.yml`,
    );
  }
  if (file.gateway.auth === 'keys' && file.gateway.keys.every((k) => k.key === '')) {
    // Keys are usually `${VAR}`: when they all came out empty, the fix is the variable, not the list.
    const why =
      unsetVars.length > 0
        ? `its keys come from ${unsetVars.map((v) => `\${${v}}`).join(', ')}, which ${unsetVars.length === 1 ? 'is' : 'are'} not set`
        : 'gateway.keys is empty';
    throw new ConfigError(
      `gateway.auth is keys but no client key is usable (${why}): no client could call the gateway`,
    );
  }
  if (metricsAuthMode(file) === 'keys' && !file.gateway.keys.some((k) => k.key !== '' && k.routes.includes('*'))) {
    throw new ConfigError(
      'gateway.metrics_auth is keys but no key in gateway.keys has routes: ["*"]: no scraper could read /metrics',
    );
  }
}

/** Environment variables behind gateway.keys that were unset or empty. */
export function unsetKeyVars(interpolations: readonly Interpolation[]): string[] {
  return [
    ...new Set(interpolations.filter((i) => i.path[0] === 'gateway' && i.path[1] === 'keys').flatMap((i) => i.missing)),
  ];
}
