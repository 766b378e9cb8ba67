import { z } from 'zod';
import { UsageError } from '../../core/errors.js';
import { targetRefSchema } from '../../config/schema.js';
import type { CanaryRecord } from '../../store/types.js';
import { GUARD_NAMES, resolveGuards } from './guards.js';
import { parseDuration } from '../../core/duration.js';
import { changeScope, durationSchema } from '../runtime-change.js';

/** What it takes to start a canary (CLI flags, admin API body and `canary:` in models.yml all map here). */
export const canaryStartSchema = z
  .object({
    ...changeScope,
    candidate: targetRefSchema,
    percent: z.number().min(0.1).max(100),
    ramp: z.array(z.number().min(0.1).max(100)).optional(),
    hold: durationSchema('24h').default('24h'),
    sticky_by: z
      .string()
      .regex(/^header:.+$/, 'expected header:<name>')
      .optional(),
    guards: z.partialRecord(z.enum(GUARD_NAMES), z.number().nonnegative()).optional(),
    actor: z.string().min(1).optional(),
    reason: z.string().optional(),
  })
  .strict();
export type CanaryStart = z.input<typeof canaryStartSchema>;

/** Ramp steps: start at `percent`, then every listed step above it, strictly increasing. */
export function buildRamp(percent: number, ramp: readonly number[] | undefined): number[] {
  const later = [...new Set((ramp ?? []).filter((p) => p > percent))].sort((a, b) => a - b);
  return [percent, ...later];
}

/** Parse `5,25,50,100`. */
export function parseRamp(text: string): number[] {
  const parts = text.split(',').map((s) => Number(s.trim()));
  if (parts.length === 0 || parts.some((n) => !Number.isFinite(n) || n <= 0 || n > 100)) {
    throw new UsageError(`invalid --ramp "${text}": expected comma-separated percents in (0, 100], e.g. 5,25,50,100`);
  }
  return parts;
}

/** A fresh running CanaryRecord (pure; the caller checks for an existing canary and stores it). */
export function planCanary(input: CanaryStart, stable: string, env: string, now: number): CanaryRecord {
  const parsed = canaryStartSchema.safeParse(input);
  if (!parsed.success) throw new UsageError(`invalid canary: ${z.prettifyError(parsed.error)}`);
  const s = parsed.data;
  if (s.candidate === stable)
    throw new UsageError(`canary candidate ${s.candidate} is already the stable target of ${s.route}`);
  return {
    route: s.route,
    env: s.env ?? env,
    stable,
    candidate: s.candidate,
    percent: s.percent,
    ramp: buildRamp(s.percent, s.ramp),
    stepIndex: 0,
    holdMs: parseDuration(s.hold, 'hold'),
    stickyBy: s.sticky_by ?? null,
    guards: resolveGuards(s.guards),
    status: 'running',
    reason: s.reason ?? null,
    startedAt: now,
    stepStartedAt: now,
    updatedAt: now,
  };
}
