/**
 * Lifecycle status as of a given day. A stored `status` is only true as of the date the facts were
 * checked; dates keep moving. So the dates decide: a snapshot whose retirement date has passed is
 * retired, whatever its stored status says, and one with an announced shutdown is deprecated.
 */
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

export interface Lifecycle {
  status: LifecycleStatus;
  /** Why: which date or stored value decided. */
  basis: 'retirement date passed' | 'shutdown announced' | 'deprecation date passed' | 'stored status' | 'no lifecycle facts';
  /** Whole days from `today` to the retirement date (negative once retired). */
  daysLeft?: number;
}

export function normaliseStatus(s: string | undefined): LifecycleStatus | undefined {
  return s === undefined ? undefined : STORED[s.trim().toLowerCase()];
}

export function deriveLifecycle(f: LifecycleFacts, today: string): Lifecycle {
  const stored = normaliseStatus(f.status);
  const daysLeft = f.retires !== undefined ? { daysLeft: daysBetween(today, f.retires) } : {};
  if (f.retires !== undefined && f.retires <= today) return { status: 'retired', basis: 'retirement date passed', ...daysLeft };
  // A retirement date still ahead overrules a stored "retired": the stored word was written later
  // than the day being asked about.
  if (f.retires !== undefined) {
    if (f.deprecated !== undefined && f.deprecated > today) {
      return { status: stored === 'retired' || stored === 'deprecated' ? 'active' : (stored ?? 'active'), basis: 'stored status', ...daysLeft };
    }
    return { status: 'deprecated', basis: f.deprecated !== undefined ? 'deprecation date passed' : 'shutdown announced', ...daysLeft };
  }
  if (f.deprecated !== undefined && f.deprecated <= today) {
    return { status: stored === 'retired' ? 'retired' : 'deprecated', basis: stored === 'retired' ? 'stored status' : 'deprecation date passed' };
  }
  if (f.deprecated !== undefined && (stored === 'deprecated' || stored === 'retired')) return { status: 'active', basis: 'stored status' };
  if (stored) return { status: stored, basis: 'stored status' };
  return { status: 'active', basis: 'no lifecycle facts' };
}

/** Retired, or retiring on or before `until`. */
export function retiresBy(l: Lifecycle, retires: string | undefined, until: string): boolean {
  return l.status === 'retired' || (retires !== undefined && retires <= until);
}
