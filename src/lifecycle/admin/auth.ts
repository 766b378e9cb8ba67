import type { ModelsFile } from '../../config/schema.js';
import { interpolateString } from '../../config/interpolate.js';
import { bearerToken, tokenMatches } from '../../http/token.js';

/**
 * The admin token in force, or null when the admin API is disabled. `gateway.admin_token` is a
 * `${ENV_VAR}` reference, read with the config's own interpolation; a value the config loader
 * already interpolated is used as is.
 */
export function adminToken(config: ModelsFile, env: NodeJS.ProcessEnv = process.env): string | null {
  const raw = config.gateway.admin_token;
  if (raw === undefined) return null;
  const value = interpolateString(raw.trim(), env).value;
  return value === '' ? null : value;
}

/** Constant-time check of `Authorization: Bearer <token>`. */
export function bearerMatches(header: string | undefined, token: string): boolean {
  return tokenMatches(bearerToken(header) ?? '', token);
}
