import { createHash, timingSafeEqual } from 'node:crypto';
import type { ModelsFile } from '../config/schema.js';

const ENV_REF = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$/;

/**
 * The admin token in force, or null when the admin API is disabled. `gateway.admin_token` is a
 * `${ENV_VAR}` reference; a value the config loader already interpolated is used as is.
 */
export function adminToken(config: ModelsFile, env: NodeJS.ProcessEnv = process.env): string | null {
  const raw = config.gateway.admin_token;
  if (raw === undefined) return null;
  const m = ENV_REF.exec(raw.trim());
  const value = m ? env[m[1] ?? ''] : raw;
  return value === undefined || value === '' ? null : value;
}

/** Constant-time check of `Authorization: Bearer <token>` (hashing first makes lengths equal). */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const m = /^Bearer\s+(.+)$/i.exec(header?.trim() ?? '');
  const given = m?.[1] ?? '';
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(token).digest();
  return timingSafeEqual(a, b) && given.length > 0;
}
