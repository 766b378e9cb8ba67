/** Parse `--since`: a duration back from now (`90m`, `24h`, `7d`, `2w`) or an ISO date/time. */
import { readDuration } from '../core/duration.js';
import { UsageError } from '../core/errors.js';

export function parseSince(value: string, now: number): number {
  const rel = readDuration(value);
  if (rel) return now - rel.ms;
  if (/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(value.trim())) {
    // A bare date means midnight UTC, not local midnight, so CI and laptops agree.
    const iso = /^\d{4}-\d{2}-\d{2}$/.test(value.trim()) ? `${value.trim()}T00:00:00Z` : value.trim();
    const t = Date.parse(iso);
    if (!Number.isNaN(t)) return t;
  }
  throw new UsageError(
    `--since "${value}" is not a duration (e.g. 90m, 24h, 7d, 2w) or an ISO date (e.g. 2026-11-23 or 2026-11-23T12:00:00Z)`,
  );
}
