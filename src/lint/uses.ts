/** Every place a route names a target, with its path in models.yml and the effective value. */
import { findEnvOverride } from '../config/env-override.js';
import type { Path } from '../config/interpolate.js';
import type { ModelsFile } from '../config/schema.js';
import { normalizeTarget, type Target } from '../config/target.js';

export type UseRole = 'target' | 'fallback' | 'canary' | 'shadow';

export interface TargetUse {
  route: string;
  env: string;
  role: UseRole;
  target: Target;
  path: Path;
  /** Set when an env var overrides the models.yml value. */
  envVar?: { name: string; value: string };
}

const REF = /^[A-Za-z0-9_.-]+\/.+$/;

/** Uses for one env. Canary and shadow blocks serve production traffic, so they count there only. */
export function usesForEnv(
  file: ModelsFile,
  env: string,
  envVars: Record<string, string | undefined>,
): { uses: TargetUse[]; badOverrides: Array<{ route: string; name: string; value: string }> } {
  const uses: TargetUse[] = [];
  const badOverrides: Array<{ route: string; name: string; value: string }> = [];
  for (const [route, cfg] of Object.entries(file.routes)) {
    const input = cfg.targets[env];
    if (input !== undefined) {
      const use: TargetUse = {
        route,
        env,
        role: 'target',
        target: normalizeTarget(input),
        path: ['routes', route, 'targets', env],
      };
      const ov = findEnvOverride(route, env, cfg, envVars);
      if (ov && REF.test(ov.value)) {
        use.target = { ...use.target, ...normalizeTarget(ov.value) };
        use.envVar = ov;
      } else if (ov) badOverrides.push({ route, ...ov });
      uses.push(use);
    }
    cfg.fallback.forEach((t, i) =>
      uses.push({ route, env, role: 'fallback', target: normalizeTarget(t), path: ['routes', route, 'fallback', i] }),
    );
    if (env === 'production' && cfg.canary)
      uses.push({
        route,
        env,
        role: 'canary',
        target: normalizeTarget(cfg.canary.candidate),
        path: ['routes', route, 'canary', 'candidate'],
      });
    if (env === 'production' && cfg.shadow)
      uses.push({
        route,
        env,
        role: 'shadow',
        target: normalizeTarget(cfg.shadow.candidate),
        path: ['routes', route, 'shadow', 'candidate'],
      });
  }
  return { uses, badOverrides };
}

/** Every env's targets plus fallbacks, canary and shadow: what must exist at all. */
export function allUses(file: ModelsFile): TargetUse[] {
  const envs = new Set<string>(['production']);
  for (const cfg of Object.values(file.routes)) for (const e of Object.keys(cfg.targets)) envs.add(e);
  const seen = new Set<string>();
  const out: TargetUse[] = [];
  for (const env of envs) {
    for (const u of usesForEnv(file, env, {}).uses) {
      const key = u.path.join('\u0000');
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(u);
    }
  }
  return out;
}

export function describeUse(u: TargetUse): string {
  const ref = `${u.target.provider}/${u.target.model}`;
  switch (u.role) {
    case 'target':
      return `${u.env} target ${ref}${u.envVar ? ` (from env var ${u.envVar.name})` : ''}`;
    case 'fallback':
      return `${u.env} fallback ${ref}`;
    case 'canary':
      return `canary candidate ${ref}`;
    case 'shadow':
      return `shadow candidate ${ref}`;
  }
}
