/**
 * What a call to a route would use right now and why. Precedence: a runtime override (store),
 * then an env-var override, then models.yml. Pure: the caller passes env vars, overrides and now.
 */
import { didYouMean } from './did-you-mean.js';
import { ConfigError, ModelpinError } from '../core/errors.js';
import type { ProviderSettings, ProviderType } from '../providers/types.js';
import type { OverrideRecord } from '../store/types.js';
import { findEnvOverride, overrideVars } from './env-override.js';
import type { CanaryConfig, ModelsFile } from './schema.js';
import { normalizeTarget, targetRef, type Target } from './target.js';
import { undefinedProviderReason } from './provider-refs.js';

export interface CanaryResolution {
  candidate: Target;
  percent: number;
  ramp?: number[];
  hold?: string;
  stickyBy?: string;
  guards?: NonNullable<CanaryConfig['guards']>;
}

export interface Resolution {
  route: string;
  env: string;
  target: Target;
  source: { kind: 'config' | 'env-var' | 'override'; detail: string };
  /** The target models.yml itself names for this env. */
  configured: Target;
  fallback: Target[];
  policy: 'pin-required' | 'float-allowed';
  reason?: string;
  lastValidated?: string;
  /** Env var names that would override this route/env. */
  envVars: string[];
  /** Target rollback returns to (production only). */
  previous?: Target;
  canary?: CanaryResolution;
  shadow?: { candidate: Target; sample: number };
}

export interface ResolveOptions {
  envVars?: Record<string, string | undefined>;
  overrides?: OverrideRecord[];
  /** Unix ms; when given, expired runtime overrides are ignored. */
  now?: number;
  /** Why a target can no longer be served (retired), or null; overrides naming such a target are refused. */
  retired?: (t: Target) => string | null;
}

const REF = /^[A-Za-z0-9_.-]+\/.+$/;

function refTarget(ref: string, keep: Target, what: string): Target {
  if (!REF.test(ref)) throw new ConfigError(`${what} is "${ref}", expected "provider/model"`);
  const t = normalizeTarget(ref);
  // The route's request params and timeout still apply; only the model changes.
  return {
    ...t,
    ...(keep.params ? { params: keep.params } : {}),
    ...(keep.timeoutMs !== undefined ? { timeoutMs: keep.timeoutMs } : {}),
  };
}

/** An override must name a target that can be served: a defined provider and a model that is not retired. */
function refuseUnservable(
  file: ModelsFile,
  t: Target,
  what: string,
  fix: string,
  retired: ResolveOptions['retired'],
): void {
  const why = undefinedProviderReason(file, t.provider) ?? retired?.(t) ?? null;
  if (why !== null)
    throw new ConfigError(`${what} names ${targetRef(t)}, which cannot be served: ${why}; ${fix}`, {
      details: { target: targetRef(t) },
    });
}

export function resolveRoute(file: ModelsFile, route: string, env: string, opts: ResolveOptions = {}): Resolution {
  const cfg = file.routes[route];
  if (!cfg) {
    const available = Object.keys(file.routes);
    const near = didYouMean(route, available);
    const hint = near
      ? `; did you mean "${near}"?`
      : available.length
        ? ` (routes: ${available.join(', ')})`
        : ' (it defines no routes)';
    throw new ModelpinError('route_not_found', `route "${route}" is not defined in models.yml${hint}`, {
      details: { route, available },
    });
  }
  const input = cfg.targets[env];
  if (input === undefined) {
    const envs = Object.keys(cfg.targets);
    throw new ConfigError(`route "${route}" has no target for env "${env}" (it has: ${envs.join(', ') || 'none'})`, {
      details: { route, env, available: envs },
    });
  }
  const configured = normalizeTarget(input);
  let target = configured;
  let source: Resolution['source'] = { kind: 'config', detail: `models.yml routes.${route}.targets.${env}` };

  const envOverride = findEnvOverride(route, env, cfg, opts.envVars ?? {});
  const runtime = (opts.overrides ?? []).find(
    (o) =>
      o.route === route && o.env === env && (opts.now === undefined || o.expiresAt === null || o.expiresAt > opts.now),
  );
  if (envOverride) {
    target = refTarget(envOverride.value, configured, `env var ${envOverride.name}`);
    // Checked only while in effect: a runtime override (a rollback) above it must still apply.
    if (!runtime)
      refuseUnservable(
        file,
        target,
        `env var ${envOverride.name}`,
        'unset it or name a target models.yml can serve',
        opts.retired,
      );
    source = { kind: 'env-var', detail: `env var ${envOverride.name}` };
  }
  if (runtime) {
    target = refTarget(runtime.target, configured, `runtime override for ${route}/${env}`);
    refuseUnservable(
      file,
      target,
      `runtime override for ${route}/${env}`,
      `clear it (modelpin overrides clear ${route})`,
      opts.retired,
    );
    const until = runtime.expiresAt !== null ? `, expires ${new Date(runtime.expiresAt).toISOString()}` : '';
    source = {
      kind: 'override',
      detail: `runtime override by ${runtime.actor} at ${new Date(runtime.createdAt).toISOString()}: ${runtime.reason}${until}`,
    };
  }

  const res: Resolution = {
    route,
    env,
    target,
    source,
    configured,
    fallback: cfg.fallback.map(normalizeTarget),
    policy: cfg.policy,
    envVars: overrideVars(route, env, cfg),
  };
  if (cfg.reason !== undefined) res.reason = cfg.reason;
  if (cfg.last_validated !== undefined) res.lastValidated = cfg.last_validated;
  if (env === 'production') {
    if (cfg.previous !== undefined) res.previous = normalizeTarget(cfg.previous);
    if (cfg.canary) {
      const c = cfg.canary;
      res.canary = { candidate: normalizeTarget(c.candidate), percent: c.percent };
      if (c.ramp) res.canary.ramp = c.ramp;
      if (c.hold) res.canary.hold = c.hold;
      if (c.sticky_by) res.canary.stickyBy = c.sticky_by;
      if (c.guards) res.canary.guards = c.guards;
    }
    if (cfg.shadow) res.shadow = { candidate: normalizeTarget(cfg.shadow.candidate), sample: cfg.shadow.sample };
  }
  return res;
}

export function providerSettings(file: ModelsFile, id: string): ProviderSettings {
  const p = file.providers[id];
  if (!p) {
    const known = Object.keys(file.providers);
    throw new ConfigError(
      `provider "${id}" is not defined under providers: in models.yml${known.length ? ` (defined: ${known.join(', ')})` : ''}`,
      { details: { provider: id, available: known } },
    );
  }
  const out: ProviderSettings = { id, type: p.type as ProviderType };
  if (p.base_url) out.baseUrl = p.base_url;
  if (p.api_key) out.apiKey = p.api_key;
  if (p.api_version) out.apiVersion = p.api_version;
  if (p.api) out.api = p.api;
  if (p.headers) out.headers = p.headers;
  if (p.scenario !== undefined) out.scenario = p.scenario;
  if (p.seed !== undefined) out.seed = p.seed;
  if (p.fast !== undefined) out.fast = p.fast;
  return out;
}
