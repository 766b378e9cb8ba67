/**
 * Where a model is in its life as of a given day: one rule for the catalog, lint findings, config
 * checks on overrides, `outdated`, and anything else that must refuse a retired model.
 *
 * Lifecycle status as of a given day. A stored `status` is only true as of the date the facts were
 * checked; dates keep moving. So the dates decide: a snapshot whose retirement date has passed is
 * retired, whatever its stored status says, and one with an announced shutdown is deprecated.
 */
import type { Catalog, Classification } from './catalog.js';
import { daysBetween } from './dates.js';

export const LIFECYCLE_STATUSES = ['active', 'legacy', 'limited-availability', 'deprecated', 'retired'] as const;
export type LifecycleStatus = (typeof LIFECYCLE_STATUSES)[number];

/** Words the catalog and users write for the same state. */
const STORED: Record<string, LifecycleStatus> = {
  active: 'active',
  legacy: 'legacy',
  'limited-availability': 'limited-availability',
  deprecated: 'deprecated',
  retired: 'retired',
  shutdown: 'retired',
};

export interface LifecycleFacts {
  status?: string;
  deprecated?: string;
  retires?: string;
}

export interface DerivedLifecycle {
  status: LifecycleStatus;
  /** Why: which date or stored value decided. */
  basis: 'retirement date passed' | 'shutdown announced' | 'deprecation date passed' | 'stored status' | 'dates still ahead' | 'no lifecycle facts';
  /** Whole days from `today` to the retirement date (negative once retired). */
  daysLeft?: number;
}

export function normaliseStatus(s: string | undefined): LifecycleStatus | undefined {
  return s === undefined ? undefined : STORED[s.trim().toLowerCase()];
}

const RANK: Record<LifecycleStatus, number> = { active: 0, 'limited-availability': 1, legacy: 1, deprecated: 2, retired: 3 };

/**
 * The later of what the dates say and what is stored: a passed retirement date makes a model
 * retired whatever its stored status, an announced shutdown makes it deprecated, and a stored
 * "retired" stays retired (a retirement is never undone, and providers do retire models early).
 */
export function deriveLifecycle(f: LifecycleFacts, today: string): DerivedLifecycle {
  const stored = normaliseStatus(f.status);
  const daysLeft = f.retires !== undefined ? { daysLeft: daysBetween(today, f.retires) } : {};
  let fromDates: { status: LifecycleStatus; basis: DerivedLifecycle['basis'] } | null = null;
  if (f.retires !== undefined && f.retires <= today) fromDates = { status: 'retired', basis: 'retirement date passed' };
  else if (f.deprecated !== undefined && f.deprecated <= today) fromDates = { status: 'deprecated', basis: 'deprecation date passed' };
  else if (f.retires !== undefined && (f.deprecated === undefined || f.deprecated <= today)) fromDates = { status: 'deprecated', basis: 'shutdown announced' };
  if (fromDates && (stored === undefined || RANK[fromDates.status] >= RANK[stored])) return { ...fromDates, ...daysLeft };
  if (stored !== undefined) return { status: stored, basis: 'stored status', ...daysLeft };
  return { status: 'active', basis: f.deprecated !== undefined || f.retires !== undefined ? 'dates still ahead' : 'no lifecycle facts', ...daysLeft };
}

/** Retired, or retiring on or before `until`. */
export function retiresBy(l: DerivedLifecycle, retires: string | undefined, until: string): boolean {
  return l.status === 'retired' || (retires !== undefined && retires <= until);
}

/** What lint, overrides and routing need to know about the model a target really serves. */
export interface Lifecycle {
  retired: boolean;
  deprecated: boolean;
  retires?: string;
  deprecatedOn?: string;
  replacement?: string;
  /** The snapshot whose lifecycle it is (an alias's target, a fine-tune's base). */
  id: string;
}

/**
 * Lifecycle of what a classification really serves, as the catalog derives it from the dates: the
 * snapshot itself, or, for an alias, the snapshot it points to now (a fine-tune: its base). Names
 * matched only by a naming rule have no lifecycle: they are not in the catalog.
 */
export function servedLifecycle(c: Classification): Lifecycle | null {
  if (c.status === undefined) return null;
  return {
    retired: c.status === 'retired',
    deprecated: c.status === 'deprecated' || c.status === 'legacy',
    id: c.lifecycleFrom ?? c.id,
    ...(c.retires !== undefined ? { retires: c.retires } : {}),
    ...(c.deprecated !== undefined ? { deprecatedOn: c.deprecated } : {}),
    ...(c.replacement !== undefined ? { replacement: c.replacement } : {}),
  };
}

/** A sentence saying why `provider/model` cannot be served as of `today` (retired), or null. */
export function retiredReason(catalog: Catalog, provider: string, model: string, today: string): string | null {
  const c = catalog.classify(model, provider, { at: today });
  const l = servedLifecycle(c);
  if (!l?.retired) return null;
  const when = l.retires ? ` since ${l.retires}` : c.unlistedSince ? ` (${c.statusBasis ?? `no longer listed since ${c.unlistedSince}`})` : '';
  const via = l.id !== model ? ` (it serves ${l.id})` : '';
  return `${provider}/${model} has been retired${when}${via}${l.replacement ? ` (replacement: ${l.replacement})` : ''}`;
}
