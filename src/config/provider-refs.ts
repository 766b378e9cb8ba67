/**
 * Every target models.yml names must use a provider it defines: a route that names an undefined
 * one could only answer 500s, so the file is refused when it loads (and a hot reload keeps the
 * previous config), and an override naming one is refused where it is set.
 */
import { didYouMean } from './did-you-mean.js';
import type { Path } from './interpolate.js';
import type { ModelsFile } from './schema.js';
import { normalizeTarget, type Target } from './target.js';

export interface TargetSite {
  path: Path;
  target: Target;
}

/** Where routes name targets: every env, fallbacks, canary and shadow candidates, the previous pin. */
export function targetSites(file: ModelsFile): TargetSite[] {
  const out: TargetSite[] = [];
  for (const [route, cfg] of Object.entries(file.routes)) {
    for (const [env, t] of Object.entries(cfg.targets))
      out.push({ path: ['routes', route, 'targets', env], target: normalizeTarget(t) });
    cfg.fallback.forEach((t, i) => out.push({ path: ['routes', route, 'fallback', i], target: normalizeTarget(t) }));
    if (cfg.canary)
      out.push({ path: ['routes', route, 'canary', 'candidate'], target: normalizeTarget(cfg.canary.candidate) });
    if (cfg.shadow)
      out.push({ path: ['routes', route, 'shadow', 'candidate'], target: normalizeTarget(cfg.shadow.candidate) });
    if (cfg.previous !== undefined)
      out.push({ path: ['routes', route, 'previous'], target: normalizeTarget(cfg.previous) });
  }
  return out;
}

/** `provider "x" is not defined under providers: — did you mean "y"?` (or the list of defined ones), or null when it is defined. */
export function undefinedProviderReason(file: Pick<ModelsFile, 'providers'>, provider: string): string | null {
  if (file.providers[provider]) return null;
  const defined = Object.keys(file.providers);
  const hint = didYouMean(provider, defined);
  const tail = hint
    ? ` — did you mean "${hint}"?`
    : defined.length
      ? ` (defined: ${defined.join(', ')})`
      : ' (no providers are defined)';
  return `provider "${provider}" is not defined under providers:${tail}`;
}

/** The target sites whose provider is not defined, with the reason for each. */
export function undefinedProviderSites(file: ModelsFile): Array<TargetSite & { reason: string }> {
  const out: Array<TargetSite & { reason: string }> = [];
  for (const site of targetSites(file)) {
    const reason = undefinedProviderReason(file, site.target.provider);
    if (reason !== null) out.push({ ...site, reason });
  }
  return out;
}
