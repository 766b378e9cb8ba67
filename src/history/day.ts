/** UTC calendar days as `YYYY-MM-DD` strings; eval history is grouped by the UTC day a run started. */
import { UsageError } from '../core/errors.js';

const DAY_MS = 86_400_000;
const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;

export function utcDay(ts: number): string {
  return new Date(ts).toISOString().slice(0, 10);
}

export function parseDay(day: string, what = 'date'): number {
  const t = DAY_RE.test(day) ? Date.parse(`${day}T00:00:00Z`) : NaN;
  if (Number.isNaN(t) || utcDay(t) !== day)
    throw new UsageError(`${what} "${day}" is not a calendar date as YYYY-MM-DD`);
  return t;
}

export function addDays(day: string, n: number): string {
  return utcDay(parseDay(day) + n * DAY_MS);
}
