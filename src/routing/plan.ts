/**
 * Pure routing: table + request model + headers + injected Random -> plan.
 * No I/O and no config parsing here; the table is rebuilt only when config or store state changes.
 */
import type { Random } from '../core/random.js';
import { RequestError } from '../core/errors.js';
import { targetRef, type Target } from '../config/target.js';
import { inCanary } from './canary-split.js';
import { modelFamily } from './model-family.js';
import type { ModelKind, PlanInput, RoutePlan, RouteTable } from './types.js';

export function planRequest(table: RouteTable, input: PlanInput, random: Random): RoutePlan {
  const allowed = input.allowedRoutes ?? null;
  const entry = table.routes.get(input.model);
  if (allowed && !allowed.has(input.model)) {
    const visible = visibleRoutes(table, allowed);
    const why = entry ? `this key may not use route "${input.model}"` : `unknown route "${input.model}"`;
    throw new RequestError(
      entry ? 'forbidden' : 'route_not_found',
      `${why}; routes this key may use: ${list(visible)}`,
      {
        details: { requested: input.model, available: visible },
      },
    );
  }
  if (entry) {
    const c = entry.canary;
    if (c && entry.canaryChain) {
      const sticky = entry.stickyHeader ? input.header(entry.stickyHeader) : undefined;
      if (inCanary(c.percent, sticky, random)) {
        return {
          route: entry.route,
          env: table.env,
          arm: 'canary',
          targets: entry.canaryChain,
          requested: input.model,
          passthrough: false,
        };
      }
    }
    return {
      route: entry.route,
      env: table.env,
      arm: 'stable',
      targets: entry.chain,
      requested: input.model,
      passthrough: false,
    };
  }
  return planPassthrough(table, input.model);
}

/** A raw provider model id instead of a route name: allowed or refused per `gateway.passthrough`. */
function planPassthrough(table: RouteTable, model: string): RoutePlan {
  const target = parseRawModel(table, model);
  if (!target) {
    throw new RequestError('route_not_found', `unknown route "${model}"; available routes: ${list(table.routeNames)}`, {
      details: { requested: model, available: [...table.routeNames] },
    });
  }
  const provider = table.providers.get(target.provider);
  const kind: ModelKind = provider ? table.classify(target.model, provider) : 'unknown';
  const allowed = table.passthrough === 'allow' || (table.passthrough === 'allow-pinned' && kind === 'pinned');
  if (!allowed) throw refusal(table, model, target, kind);
  return {
    route: targetRef(target),
    env: table.env,
    arm: 'stable',
    targets: [target],
    requested: model,
    passthrough: true,
  };
}

/** `provider/model` with a configured provider, or a bare id some configured provider's catalog knows. */
function parseRawModel(table: RouteTable, model: string): Target | null {
  const slash = model.indexOf('/');
  if (slash > 0) {
    const provider = model.slice(0, slash);
    const id = model.slice(slash + 1);
    return table.providers.has(provider) && id !== '' ? { provider, model: id } : null;
  }
  for (const p of table.providers.values()) {
    if (table.classify(model, p) !== 'unknown') return { provider: p.id, model };
  }
  return null;
}

function refusal(table: RouteTable, raw: string, target: Target, kind: ModelKind): RequestError {
  const family = modelFamily(target.model);
  const suggestions = [...table.productionTargets.entries()]
    .filter(([, t]) => modelFamily(t.model) === family)
    .map(([route, t]) => ({ route, target: targetRef(t) }));
  const what =
    kind === 'floating'
      ? 'a floating alias'
      : kind === 'preview'
        ? 'a preview model'
        : kind === 'pinned'
          ? 'a raw model id'
          : 'not a known model id';
  const hint =
    suggestions.length > 0
      ? `use the pinned route ${suggestions.map((s) => `"${s.route}" (${s.target})`).join(' or ')} instead`
      : `call one of the routes: ${list(table.routeNames)}`;
  const policy =
    table.passthrough === 'deny'
      ? 'raw model ids are not accepted (gateway.passthrough: deny)'
      : 'only pinned snapshots may pass through (gateway.passthrough: allow-pinned)';
  return new RequestError('passthrough_denied', `model "${raw}" is ${what} and ${policy} in ${table.env}; ${hint}`, {
    details: { requested: raw, kind, suggestions: suggestions.map((s) => s.route), available: [...table.routeNames] },
  });
}

/** Routes a key may use, in table order. */
export function visibleRoutes(table: RouteTable, allowed: ReadonlySet<string> | null): string[] {
  return allowed ? table.routeNames.filter((r) => allowed.has(r)) : [...table.routeNames];
}

function list(names: readonly string[]): string {
  return names.length === 0 ? '(none)' : names.join(', ');
}
