/** The admin API's answers as the CLI reads them: each parsed with zod, so a gateway of another version fails loudly instead of printing nonsense. */
import { z } from 'zod';
import { ProviderError } from '../../core/errors.js';
import type { CanaryRecord, OverrideRecord, RuntimeShadowRecord } from '../../store/types.js';
import type { CanaryStatusView } from '../canary/ops.js';
import type { ShadowReport } from '../shadow/report.js';

const nullableNumber = z.number().nullable();

/** A runtime change record as stored: its scope first, then what it sets, then who set it and until when. */
function changeRecord<S extends z.ZodRawShape>(sets: S) {
  return z.object({
    route: z.string(),
    env: z.string(),
    ...sets,
    actor: z.string(),
    createdAt: z.number(),
    expiresAt: nullableNumber,
  });
}

export const OverrideRecordSchema = changeRecord({
  target: z.string(),
  reason: z.string(),
}) satisfies z.ZodType<OverrideRecord>;

export const RuntimeShadowRecordSchema = changeRecord({
  candidate: z.string(),
  sample: z.number(),
  reason: z.string().nullable(),
}) satisfies z.ZodType<RuntimeShadowRecord>;

export const CanaryRecordSchema = z.object({
  route: z.string(),
  env: z.string(),
  stable: z.string(),
  candidate: z.string(),
  percent: z.number(),
  ramp: z.array(z.number()),
  stepIndex: z.number(),
  holdMs: z.number(),
  stickyBy: z.string().nullable(),
  guards: z.record(z.string(), z.number()),
  status: z.enum(['running', 'completed', 'rolled_back', 'aborted']),
  reason: z.string().nullable(),
  startedAt: z.number(),
  stepStartedAt: z.number(),
  updatedAt: z.number(),
}) satisfies z.ZodType<CanaryRecord>;

const ArmStatsSchema = z.object({
  samples: z.number(),
  errors: z.number(),
  errorRate: z.number(),
  p95LatencyMs: nullableNumber,
  costPerRequest: nullableNumber,
  formatChecked: z.number(),
  formatValidShare: nullableNumber,
});

export const CanaryStatusViewSchema = z.object({
  record: CanaryRecordSchema,
  stable: ArmStatsSchema,
  canary: ArmStatsSchema,
  next: z.object({
    action: z.enum(['hold', 'advance', 'rollback', 'complete']),
    reason: z.string(),
    percent: z.number(),
    breaches: z.array(z.string()),
  }),
}) satisfies z.ZodType<CanaryStatusView>;

const pair = z.object({ primary: nullableNumber, candidate: nullableNumber });

export const ShadowReportSchema = z.object({
  route: z.string(),
  pairs: z.number(),
  candidateErrors: z.number(),
  primaryTargets: z.array(z.string()),
  candidateTargets: z.array(z.string()),
  candidateServedModels: z.array(z.string()),
  assertions: z.array(
    z.object({ key: z.string(), samples: z.number(), primaryPassRate: z.number(), candidatePassRate: z.number() }),
  ),
  tokens: z.object({ primaryMean: nullableNumber, candidateMean: nullableNumber, deltaShare: nullableNumber }),
  fencedShare: pair,
  p95LatencyMs: pair,
}) satisfies z.ZodType<ShadowReport>;

/** The answer's body as its schema says, or an error naming what the gateway sent instead. */
export function parseAnswer<S extends z.ZodType>(schema: S, json: unknown, what: string): z.output<S> {
  const r = schema.safeParse(json);
  if (r.success) return r.data;
  throw new ProviderError(
    'upstream_bad_response',
    `the gateway admin API answered ${what} in an unexpected shape: ${z.prettifyError(r.error)}`,
  );
}
