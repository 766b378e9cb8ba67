import { dirname } from 'node:path';
import type { Target } from '../config/target.js';
import type { GatewayContext } from '../gateway/extension.js';
import { loadCatalog, type Catalog } from '../catalog/catalog.js';
import type { TargetFacts } from './retirement.js';

/**
 * Catalog lookups for the sentinel and the retirement countdown. The catalog is rebuilt when the
 * gateway's config object changes (hot reload may add catalog entries or providers).
 */
export function catalogFacts(getCtx: () => GatewayContext | null): (t: Target) => TargetFacts {
  let forConfig: unknown = null;
  let catalog: Catalog | null = null;
  return (t) => {
    const ctx = getCtx();
    if (!ctx) return { kind: 'unknown', retires: null };
    const config = ctx.config();
    if (catalog === null || forConfig !== config) {
      catalog = loadCatalog({ file: config, baseDir: dirname(ctx.configPath) });
      forConfig = config;
    }
    const c = catalog.classify(t.model, t.provider);
    return { kind: c.kind, retires: c.retires ?? null };
  };
}
