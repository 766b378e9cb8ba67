/**
 * Build the precomputed route table: every route resolved for one environment with runtime
 * overrides and running canaries applied. Runs on load, reload and when store state changes.
 */
import type { ModelsFile } from '../config/schema.js';
import { normalizeTarget, targetRef, type Target } from '../config/target.js';
import { resolveRoute, type Resolution } from '../config/resolve.js';
import type { CanaryRecord, OverrideRecord } from '../store/types.js';
import type { ModelClassifier, RouteEntry, RouteTable } from './types.js';

export interface TableInput {
  file: ModelsFile;
  env: string;
  envVars: Record<string, string | undefined>;
  overrides: readonly OverrideRecord[];
  canaries: readonly CanaryRecord[];
  classify: ModelClassifier;
  now: number;
  /** Why a target can no longer be served (retired), or null: overrides naming one are refused. */
  retired?: (t: Target) => string | null;
  /**
   * On load and reload: an env-var override that cannot be served refuses the whole config. On store
   * polls (false) it is reported and the route serves models.yml, so later overrides still apply.
   */
  strict: boolean;
}

export function buildRouteTable(input: TableInput): RouteTable {
  const { file, env } = input;
  const overrides = input.overrides.filter((o) => o.expiresAt === null || o.expiresAt > input.now);
  const routes = new Map<string, RouteEntry>();
  const productionTargets = new Map<string, Target>();
  const skipped: Array<{ route: string; reason: string }> = [];
  for (const [name, cfg] of Object.entries(file.routes)) {
    // A route with no target for this environment (e.g. staging-only) is simply not served here.
    if (cfg.targets[env] === undefined) {
      skipped.push({ route: name, reason: `no target for env "${env}"` });
      continue;
    }
    let res: Resolution;
    const retired = input.retired ? { retired: input.retired } : {};
    try {
      res = resolveRoute(file, name, env, { envVars: input.envVars, overrides, now: input.now, ...retired });
    } catch (e) {
      // A bad runtime override must not take the route down: serve models.yml and report it.
      try {
        res = resolveRoute(file, name, env, { envVars: input.envVars, now: input.now, ...retired });
      } catch (envErr) {
        if (input.strict) throw envErr;
        res = resolveRoute(file, name, env, { now: input.now });
        skipped.push({
          route: name,
          reason: `env-var override ignored: ${envErr instanceof Error ? envErr.message : String(envErr)}`,
        });
      }
      skipped.push({ route: name, reason: `override ignored: ${e instanceof Error ? e.message : String(e)}` });
    }
    const chain = dedupe([res.target, ...res.fallback]);
    const canary = input.canaries.find((c) => c.route === name && c.env === env && c.status === 'running') ?? null;
    const canaryChain = canary ? dedupe([normalizeTarget(canary.candidate), ...chain]) : null;
    routes.set(name, {
      route: name,
      chain,
      source: `${res.source.kind}: ${res.source.detail}`,
      canary,
      canaryChain,
      stickyHeader: canary?.stickyBy?.startsWith('header:')
        ? canary.stickyBy.slice('header:'.length).toLowerCase()
        : null,
    });
    const prod = file.routes[name]?.targets['production'];
    if (prod !== undefined) productionTargets.set(name, normalizeTarget(prod));
  }
  const providers = new Map(Object.entries(file.providers).map(([id, p]) => [id, { id, type: p.type }] as const));
  return {
    env,
    routes,
    routeNames: [...routes.keys()],
    passthrough: file.gateway.passthrough,
    providers,
    productionTargets,
    classify: input.classify,
    skipped,
  };
}

/** A target listed twice in a chain would only repeat a failure. */
function dedupe(targets: Target[]): Target[] {
  const seen = new Set<string>();
  return targets.filter((t) => {
    const k = targetRef(t);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
