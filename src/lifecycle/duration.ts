import { UsageError } from '../core/errors.js';

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
type Unit = keyof typeof UNIT_MS;

/** Parse `500ms`, `30s`, `10m`, `24h`, `3d` into milliseconds (the same grammar as `canary.hold` in models.yml). */
export function parseDuration(text: string, what = 'duration'): number {
  const m = /^(\d+)(ms|s|m|h|d)$/.exec(text.trim());
  if (!m) throw new UsageError(`invalid ${what} "${text}": expected a number and a unit (ms, s, m, h, d), e.g. 24h`);
  return Number(m[1]) * UNIT_MS[m[2] as Unit];
}

/** Human form of a duration for messages: the largest unit that divides it exactly. */
export function formatDuration(ms: number): string {
  for (const unit of ['d', 'h', 'm', 's'] as const) {
    if (ms >= UNIT_MS[unit] && ms % UNIT_MS[unit] === 0) return `${ms / UNIT_MS[unit]}${unit}`;
  }
  return `${ms}ms`;
}
