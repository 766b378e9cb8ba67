/**
 * Per-route environment-variable overrides, so a rollback can be an env swap + restart:
 * `MODELPIN_<ROUTE>_<ENV>` (route and env uppercased, anything not A-Z/0-9 -> `_`), or for
 * production the name the route declares in `env_var`.
 */
import type { RouteConfig } from './schema.js';

export function envVarSegment(s: string): string {
  return s.toUpperCase().replace(/[^A-Z0-9]/g, '_');
}

export function defaultOverrideVar(route: string, env: string): string {
  return `MODELPIN_${envVarSegment(route)}_${envVarSegment(env)}`;
}

/** Env var names checked for a route/env, in precedence order (the declared `env_var` first). */
export function overrideVars(route: string, env: string, config: Pick<RouteConfig, 'env_var'>): string[] {
  const def = defaultOverrideVar(route, env);
  return env === 'production' && config.env_var && config.env_var !== def ? [config.env_var, def] : [def];
}

export function findEnvOverride(
  route: string,
  env: string,
  config: Pick<RouteConfig, 'env_var'>,
  envVars: Record<string, string | undefined>,
): { name: string; value: string } | null {
  for (const name of overrideVars(route, env, config)) {
    const value = envVars[name]?.trim();
    if (value) return { name, value };
  }
  return null;
}
