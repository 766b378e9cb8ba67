/**
 * Runtime shadows, started and stopped through the admin API or the CLI. They live in the store,
 * so a gateway restart keeps them and every gateway sharing the store mirrors them (each picks
 * them up on its next shadow poll). Both changes are audited.
 */
import { z } from 'zod';
import { RequestError } from '../../core/errors.js';
import { targetRefSchema } from '../../config/schema.js';
import { normalizeTarget, targetRef } from '../../config/target.js';
import type { RuntimeShadowRecord } from '../../store/types.js';
import { audit } from '../audit.js';
import { auditChange, changeScope, changeStamp, durationSchema } from '../runtime-change.js';
import { requireProvider, requireRoute, type LifecycleDeps } from '../overrides/live.js';

/** Body of POST /admin/shadow and what `modelpin shadow start` sends. */
export const shadowStartSchema = z
  .object({
    ...changeScope,
    candidate: targetRefSchema,
    /** Share of the route's requests mirrored. */
    sample: z.number().gt(0).max(1),
    reason: z.string().trim().min(1).optional(),
    actor: z.string().min(1).optional(),
    /** Stop on its own after this long, e.g. `24h` (default: until stopped). */
    ttl: durationSchema('24h').optional(),
  })
  .strict();
export type ShadowStart = z.input<typeof shadowStartSchema>;

/** Start (or replace) the runtime shadow of a route in one env. `input` may come straight from an HTTP body. */
export async function startShadow(
  deps: LifecycleDeps,
  input: unknown,
  defaults: { env: string; actor: string },
): Promise<RuntimeShadowRecord> {
  const parsed = shadowStartSchema.safeParse(input);
  if (!parsed.success) throw new RequestError('bad_request', `invalid shadow: ${z.prettifyError(parsed.error)}`);
  const s = parsed.data;
  const env = s.env ?? defaults.env;
  const primary = requireRoute(deps.config, s.route).targets[env];
  if (primary === undefined)
    throw new RequestError(
      'bad_request',
      `route "${s.route}" has no "${env}" target, so there is no traffic to mirror`,
    );
  requireProvider(deps.config, s.candidate);
  if (targetRef(normalizeTarget(primary)) === s.candidate) {
    throw new RequestError('bad_request', `shadow candidate ${s.candidate} is already the ${env} target of ${s.route}`);
  }
  const now = deps.clock.now();
  const record: RuntimeShadowRecord = {
    route: s.route,
    env,
    candidate: s.candidate,
    sample: s.sample,
    reason: s.reason ?? null,
    ...changeStamp(s, defaults.actor, now),
  };
  await deps.store.setRuntimeShadow(record);
  await auditChange(deps, 'shadow.start', record, {
    env,
    candidate: record.candidate,
    sample: record.sample,
    reason: record.reason,
    expiresAt: record.expiresAt,
  });
  return record;
}

/** Still mirroring at `now`? */
export function shadowActive(r: RuntimeShadowRecord, now: number): boolean {
  return r.expiresAt === null || r.expiresAt > now;
}

/** Stop the runtime shadow of a route in one env; false when there was none (a `shadow:` in models.yml is not stopped here). */
export async function stopShadow(
  deps: Omit<LifecycleDeps, 'config'>,
  route: string,
  env: string,
  actor: string,
): Promise<boolean> {
  const removed = await deps.store.clearRuntimeShadow(route, env);
  if (removed) await audit(deps.store, deps.clock, { actor, action: 'shadow.stop', route, detail: { env } });
  return removed;
}
