import { z } from 'zod';
import type { Clock } from '../../core/clock.js';
import { RequestError } from '../../core/errors.js';
import { targetRefSchema, type ModelsFile } from '../../config/schema.js';
import { normalizeTarget, targetRef } from '../../config/target.js';
import type { OverrideRecord, Store } from '../../store/types.js';
import { audit } from '../audit.js';
import { loadCatalog } from '../../catalog/catalog.js';
import { retiredReason } from '../../catalog/lifecycle.js';
import { auditChange, changeScope, changeStamp, durationSchema } from '../runtime-change.js';

/** Body of POST /admin/overrides and what `rollback --live` sends. */
export const overrideInputSchema = z
  .object({
    ...changeScope,
    /** Omitted: the route's recorded `previous` pin. */
    target: targetRefSchema.optional(),
    reason: z.string().trim().min(1, 'a reason is required'),
    actor: z.string().min(1).optional(),
    /** Expire after this long, e.g. 2h; omitted: until cleared. */
    ttl: durationSchema('2h').optional(),
  })
  .strict();
export type OverrideInput = z.input<typeof overrideInputSchema>;

export interface LifecycleDeps {
  store: Store;
  clock: Clock;
  /** The models.yml in force (the gateway's current config, or the CLI's loaded file). */
  config: ModelsFile;
  /** Directory of that models.yml: its relative `catalog.files` resolve against it. */
  baseDir?: string;
}

export function requireRoute(config: ModelsFile, route: string): NonNullable<ModelsFile['routes'][string]> {
  const r = config.routes[route];
  if (!r) {
    const known = Object.keys(config.routes);
    throw new RequestError(
      'route_not_found',
      `unknown route "${route}"${known.length ? ` (known: ${known.join(', ')})` : ''}`,
    );
  }
  return r;
}

/** A `provider/model` target whose provider models.yml configures. */
export function requireProvider(config: ModelsFile, target: string): void {
  const provider = target.slice(0, target.indexOf('/'));
  if (!config.providers[provider]) {
    throw new RequestError('bad_request', `target ${target}: provider "${provider}" is not configured in models.yml`);
  }
}

/** A target whose model the catalog says is retired (as of `now`) would only fail: refuse it where it is set. */
export function requireServed(deps: Pick<LifecycleDeps, 'config' | 'baseDir'>, target: string, now: number): void {
  const t = normalizeTarget(target);
  const catalog = loadCatalog({ file: deps.config, ...(deps.baseDir ? { baseDir: deps.baseDir } : {}) });
  const why = retiredReason(catalog, t.provider, t.model, new Date(now).toISOString().slice(0, 10));
  if (why !== null)
    throw new RequestError('bad_request', `target ${target}: ${why}; name a target that is still served`, {
      details: { target },
    });
}

/** The route's recorded previous pin as `provider/model`, or null. */
export function previousPin(config: ModelsFile, route: string): string | null {
  const prev = requireRoute(config, route).previous;
  return prev === undefined ? null : targetRef(normalizeTarget(prev));
}

/** Set a runtime override (audited). Gateways sharing the store apply it on their next poll. */
/** `input` is validated here (it may come straight from an HTTP body). */
export async function setLiveOverride(
  deps: LifecycleDeps,
  input: unknown,
  defaults: { env: string; actor: string },
): Promise<OverrideRecord> {
  const parsed = overrideInputSchema.safeParse(input);
  if (!parsed.success) throw new RequestError('bad_request', `invalid override: ${z.prettifyError(parsed.error)}`);
  const o = parsed.data;
  requireRoute(deps.config, o.route);
  const target = o.target ?? previousPin(deps.config, o.route);
  if (target === null) {
    throw new RequestError(
      'bad_request',
      `route "${o.route}" has no recorded previous pin; name the target explicitly (--to provider/model)`,
    );
  }
  requireProvider(deps.config, target);
  const now = deps.clock.now();
  requireServed(deps, target, now);
  const record: OverrideRecord = {
    route: o.route,
    env: o.env ?? defaults.env,
    target,
    reason: o.reason,
    ...changeStamp(o, defaults.actor, now),
  };
  await deps.store.setOverride(record);
  await auditChange(deps, 'override.set', record, {
    env: record.env,
    target,
    reason: record.reason,
    expiresAt: record.expiresAt,
  });
  return record;
}

export async function clearLiveOverride(
  deps: Omit<LifecycleDeps, 'config'>,
  route: string,
  env: string,
  actor: string,
): Promise<boolean> {
  const removed = await deps.store.clearOverride(route, env);
  if (removed) await audit(deps.store, deps.clock, { actor, action: 'override.clear', route, detail: { env } });
  return removed;
}

/** Overrides still in force at `now` (expired ones are not applied by gateways either). */
export async function activeOverrides(store: Store, now: number): Promise<OverrideRecord[]> {
  return (await store.listOverrides()).filter((o) => o.expiresAt === null || o.expiresAt > now);
}
