/** Client side of the admin API, used by the CLI when --gateway is given. */
import { request } from 'undici';
import { ModelpinError, RequestError, UsageError } from '../../core/errors.js';

export interface AdminTarget {
  /** Gateway base URL, e.g. http://127.0.0.1:4000 */
  url: string;
  /** Env var holding the admin token (never passed on the command line, never printed). */
  tokenEnv: string;
  env?: NodeJS.ProcessEnv;
}

export async function adminCall(
  t: AdminTarget,
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<unknown> {
  const token = (t.env ?? process.env)[t.tokenEnv];
  if (!token)
    throw new UsageError(
      `the admin token is read from $${t.tokenEnv}, which is not set (use --admin-token-env to name another variable)`,
    );
  let base: URL;
  try {
    base = new URL(t.url);
  } catch {
    throw new UsageError(`invalid --gateway URL "${t.url}"`);
  }
  const url = new URL(path, base);
  let res;
  try {
    res = await request(url, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      headersTimeout: 10_000,
      bodyTimeout: 10_000,
    });
  } catch (e) {
    throw new ModelpinError(
      'connection',
      `cannot reach the gateway admin API at ${base.origin}: ${e instanceof Error ? e.message : String(e)}`,
      { cause: e },
    );
  }
  const text = await res.body.text();
  let json: unknown = null;
  try {
    json = text ? (JSON.parse(text) as unknown) : null;
  } catch {
    json = null;
  }
  if (res.statusCode >= 400) {
    const err = (json as { error?: { message?: unknown; code?: unknown } } | null)?.error;
    const msg = typeof err?.message === 'string' ? err.message : `HTTP ${res.statusCode}`;
    if (res.statusCode < 500)
      throw new RequestError('bad_request', `gateway refused: ${msg}`, { status: res.statusCode });
    throw new ModelpinError('upstream_error', `gateway admin API failed: ${msg}`, { status: res.statusCode });
  }
  return json;
}
