/**
 * What runtime changes set through the admin API or the CLI (overrides, shadows, canaries) have in
 * common: the route and env they apply to, who set them, and how long they last.
 */
import { z } from 'zod';
import type { Clock } from '../core/clock.js';
import { DURATION_PATTERN, parseDuration } from '../core/duration.js';
import type { Store } from '../store/types.js';
import { audit, type AuditAction } from './audit.js';

/** The route a change applies to, and its env (default: the caller's). */
export const changeScope = { route: z.string().min(1), env: z.string().min(1).optional() };

/** A duration such as a change's lifetime, e.g. `24h`; `example` is what the error message suggests. */
export const durationSchema = (example: string) =>
  z.string().regex(DURATION_PATTERN, `expected a duration such as ${example}`);

/** The tail every runtime record ends with: who set it, when, and when it expires (null: until cleared). */
export function changeStamp(
  input: { actor?: string | undefined; ttl?: string | undefined },
  defaultActor: string,
  now: number,
): { actor: string; createdAt: number; expiresAt: number | null } {
  return {
    actor: input.actor ?? defaultActor,
    createdAt: now,
    expiresAt: input.ttl === undefined ? null : now + parseDuration(input.ttl, 'ttl'),
  };
}

/** Audit a stored runtime change under its own actor and route. */
export async function auditChange(
  deps: { store: Store; clock: Clock },
  action: AuditAction,
  record: { actor: string; route: string },
  detail: Record<string, unknown>,
): Promise<void> {
  await audit(deps.store, deps.clock, { actor: record.actor, action, route: record.route, detail });
}
