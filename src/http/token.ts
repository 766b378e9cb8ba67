/**
 * Secret checks for every server (gateway keys, admin token, dashboard token). Both sides are
 * hashed first, so that timingSafeEqual compares equal lengths and timing reveals nothing.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

export function tokenDigest(s: string): Buffer {
  return createHash('sha256').update(s, 'utf8').digest();
}

/** Constant-time: two digests of `tokenDigest`. */
export function digestsEqual(a: Buffer, b: Buffer): boolean {
  return timingSafeEqual(a, b);
}

/** A presented token against the expected one; an empty token matches nothing. */
export function tokenMatches(given: string, token: string): boolean {
  return digestsEqual(tokenDigest(given), tokenDigest(token)) && given.length > 0;
}

const BEARER = /^Bearer\s+(.+)$/i;

/** The token of `Authorization: Bearer <token>`, or null when the header carries none. */
export function bearerToken(header: string | undefined): string | null {
  const m = BEARER.exec(header?.trim() ?? '');
  const token = m?.[1]?.trim();
  return token ? token : null;
}
