/** Turn models.yml routes, forced models or a gateway URL into the arms and callers a run uses. */
import { ConfigError, ModelpinError, UsageError } from '../core/errors.js';
import type { ModelsFile } from '../config/schema.js';
import { resolveRoute } from '../config/resolve.js';
import { normalizeTarget, targetRef, type Target } from '../config/target.js';
import type { ProviderClient } from '../providers/types.js';
import type { CanonicalRequest, CanonicalResponse } from '../wire/canonical.js';
import { costUsd } from '../catalog/cost.js';
import type { Arm, EvalCaller } from './run-types.js';
import type { GatewayCall } from './gateway-caller.js';

export interface PriceLookup {
  price(provider: string, model: string): { input: number; output: number; cachedInput?: number } | null;
}

export interface ArmDeps {
  file: ModelsFile;
  catalog: PriceLookup;
  /** Provider client for a provider id (created once, reused). */
  client(providerId: string): ProviderClient;
  envVars?: Record<string, string | undefined>;
}

function applyTarget(req: CanonicalRequest, t: Target): CanonicalRequest {
  const p = t.params ?? {};
  // The target's params win over the case's, as they do in the gateway.
  return { ...req, model: t.model, ...p };
}

export function targetCaller(t: Target, deps: Pick<ArmDeps, 'client' | 'catalog'>): EvalCaller {
  const client = deps.client(t.provider);
  return {
    provider: t.provider,
    model: t.model,
    target: targetRef(t),
    call: (req, opts) =>
      client.complete(applyTarget(req, t), t.model, {
        ...opts,
        ...(opts.timeoutMs === undefined && t.timeoutMs !== undefined ? { timeoutMs: t.timeoutMs } : {}),
      }),
    cost: (res: CanonicalResponse) =>
      costUsd(
        deps.catalog.price(t.provider, res.model || t.model) ?? deps.catalog.price(t.provider, t.model),
        res.usage,
      ),
  };
}

function routeError(e: unknown): never {
  // An unknown route in a suite is a config problem of the suite run: exit 2.
  if (e instanceof ModelpinError && e.code === 'route_not_found') throw new ConfigError(e.message, { cause: e });
  throw e;
}

/** Each route resolved for `env` through models.yml (env-var overrides honoured). */
export function envArm(env: string, deps: ArmDeps): Arm {
  const cache = new Map<string, EvalCaller>();
  return {
    name: env,
    env,
    resolve(route) {
      let c = cache.get(route);
      if (!c) {
        let target: Target;
        try {
          target = resolveRoute(deps.file, route, env, { envVars: deps.envVars ?? {} }).target;
        } catch (e) {
          routeError(e);
        }
        c = targetCaller(target, deps);
        cache.set(route, c);
      }
      return c;
    },
  };
}

/** Every route forced to one `provider/model` (keeping the route's params when the route exists). */
export function modelArm(ref: string, env: string, deps: ArmDeps): Arm {
  if (!/^[A-Za-z0-9_.-]+\/.+$/.test(ref))
    throw new UsageError(`--model "${ref}" must be "provider/model", e.g. sim/sim-chat-2026-01-15`);
  const forced = normalizeTarget(ref);
  if (!deps.file.providers[forced.provider]) {
    throw new UsageError(
      `--model "${ref}": provider "${forced.provider}" is not defined in models.yml (defined: ${Object.keys(deps.file.providers).join(', ') || 'none'})`,
    );
  }
  const caller = targetCaller(forced, deps);
  return { name: ref, env, resolve: () => caller };
}

/** Routes called by name through a running gateway, OpenAI wire format. */
export function gatewayArm(env: string, call: GatewayCall, catalog: PriceLookup, providerIds: readonly string[]): Arm {
  return {
    name: env,
    env,
    resolve(route) {
      return {
        provider: 'gateway',
        model: route,
        target: `gateway:${route}`,
        call: (req, opts) => call(req, route, opts),
        cost: (res) => {
          // The gateway reports the served snapshot, not its provider id: price it under any provider that knows it.
          for (const id of providerIds) {
            const price = catalog.price(id, res.model);
            if (price) return costUsd(price, res.usage);
          }
          return null;
        },
      };
    },
  };
}
