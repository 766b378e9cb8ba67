import type { StopReason } from '../canonical.js';

/** A provider's stop reason read through its format's table; one the table does not know is `other`. */
export function readStopReason(table: Readonly<Record<string, StopReason>>, r: string | null | undefined): StopReason {
  return r != null && Object.hasOwn(table, r) ? (table[r] ?? 'other') : 'other';
}
