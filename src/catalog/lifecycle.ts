/**
 * Where a model is in its life (deprecated, retired) as of a day, from the catalog: one rule for
 * lint findings, config checks on overrides and anything else that must refuse a retired model.
 */
import type { Catalog, Classification } from './catalog.js';

export interface Lifecycle {
  retired: boolean;
  deprecated: boolean;
  retires?: string;
  deprecatedOn?: string;
  replacement?: string;
  id: string;
}

export function lifecycle(c: { id: string; retires?: string; deprecated?: string; status?: string; replacement?: string }, today: string): Lifecycle {
  const retired = (c.retires !== undefined && c.retires <= today) || c.status === 'retired' || c.status === 'shutdown';
  const deprecated = (c.deprecated !== undefined && c.deprecated <= today) || c.status === 'deprecated' || c.status === 'legacy';
  return {
    retired,
    deprecated,
    id: c.id,
    ...(c.retires !== undefined ? { retires: c.retires } : {}),
    ...(c.deprecated !== undefined ? { deprecatedOn: c.deprecated } : {}),
    ...(c.replacement !== undefined ? { replacement: c.replacement } : {}),
  };
}

/** Lifecycle of what a classification really serves: the snapshot itself, or the one an alias points to. */
export function servedLifecycle(catalog: Catalog, provider: string, c: Classification, today: string): Lifecycle | null {
  const own = c.matched === 'entry' ? lifecycle(c, today) : null;
  if (own?.retired) return own;
  if (c.kind === 'floating' && c.pointsTo) {
    const t = catalog.classify(c.pointsTo, c.family ?? provider, { at: today });
    return t.matched === 'entry' ? lifecycle(t, today) : own;
  }
  return own;
}

/** A sentence saying why `provider/model` cannot be served as of `today` (retired), or null. */
export function retiredReason(catalog: Catalog, provider: string, model: string, today: string): string | null {
  const l = servedLifecycle(catalog, provider, catalog.classify(model, provider, { at: today }), today);
  if (!l?.retired) return null;
  const when = l.retires ? ` since ${l.retires}` : '';
  const via = l.id !== model ? ` (it serves ${l.id})` : '';
  return `${provider}/${model} has been retired${when}${via}${l.replacement ? ` (replacement: ${l.replacement})` : ''}`;
}
