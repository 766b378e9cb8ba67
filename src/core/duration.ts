/**
 * The one duration grammar of modelpin: a whole number and a unit, `500ms`, `30s`, `10m`, `24h`,
 * `3d`, `2w`. Flags (`--ttl`, `--hold`, `--since`, `--interval`) and models.yml (`canary.hold`,
 * `store.retention`) all read it; each may narrow the units it accepts.
 */
import { UsageError } from './errors.js';

export const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 } as const;
export type DurationUnit = keyof typeof UNIT_MS;

const DURATION = /^(\d+)(ms|s|m|h|d|w)$/;

/** For zod schemas of models.yml and of admin API bodies: the same grammar as a pattern. */
export const DURATION_PATTERN = /^\d+(ms|s|m|h|d|w)$/;

/** Milliseconds and the unit written, or null when `text` is no duration. */
export function readDuration(text: string): { ms: number; unit: DurationUnit } | null {
  const m = DURATION.exec(text.trim());
  if (!m) return null;
  const unit = m[2] as DurationUnit;
  return { ms: Number(m[1]) * UNIT_MS[unit], unit };
}

/** Parse a duration into milliseconds; a UsageError naming `what` otherwise. */
export function parseDuration(text: string, what = 'duration'): number {
  const d = readDuration(text);
  if (!d) throw new UsageError(`invalid ${what} "${text}": expected a number and a unit (ms, s, m, h, d, w), e.g. 24h`);
  return d.ms;
}

/** Human form of a duration for messages: the largest unit that divides it exactly. */
export function formatDuration(ms: number): string {
  for (const unit of ['d', 'h', 'm', 's'] as const) {
    if (ms >= UNIT_MS[unit] && ms % UNIT_MS[unit] === 0) return `${ms / UNIT_MS[unit]}${unit}`;
  }
  return `${ms}ms`;
}
