/** The `store:` section of models.yml: which store, what it keeps, and for how long. */
import { z } from 'zod';
import { postgresConnectionShape, storeFreshnessShape } from './store-settings.js';
import {
  DEFAULT_RETENTION,
  MIN_EVAL_RUNS_RETENTION_MS,
  RETENTION_AGE,
  RETENTION_AGE_HINT,
  parseRetentionAge,
} from '../store/retention.js';

const retentionAge = (kind: keyof typeof DEFAULT_RETENTION, what: string) =>
  z
    .string({ error: RETENTION_AGE_HINT })
    .regex(RETENTION_AGE, RETENTION_AGE_HINT)
    .default(DEFAULT_RETENTION[kind])
    .describe(`How long ${what} are kept: 36h, 90d, 2w, or never`);

export const retentionSchema = z
  .object({
    usage: retentionAge('usage', 'raw usage records (one per gateway request kept by raw_usage)'),
    usage_minutes: retentionAge('usage_minutes', 'per-minute usage rollups (canary guards and the edges of a window)'),
    usage_hours: retentionAge('usage_hours', 'per-hour usage rollups'),
    usage_days: retentionAge('usage_days', 'per-day usage rollups'),
    shadow_pairs: retentionAge('shadow_pairs', 'shadow pairs (full request and answer texts)'),
    sentinel_events: retentionAge('sentinel_events', 'served-model change events'),
    eval_runs: retentionAge('eval_runs', 'eval runs (the promotion evidence)'),
  })
  .strict()
  .superRefine((r, ctx) => {
    const age = RETENTION_AGE.test(r.eval_runs) ? parseRetentionAge(r.eval_runs) : null;
    if (age !== null && age < MIN_EVAL_RUNS_RETENTION_MS) {
      ctx.addIssue({
        code: 'custom',
        path: ['eval_runs'],
        message: 'eval runs are the promotion evidence: keep them at least 30d (or never)',
      });
    }
  })
  .describe(
    'Prune old rows: the gateway deletes rows older than these ages hourly (absent: nothing is pruned). The audit log is never pruned.',
  );

export const rawUsageSchema = z
  .union([
    z.enum(['all', 'errors', 'none']),
    z
      .object({
        sampled: z
          .number()
          .gt(0, 'sampled must be a share in (0, 1]')
          .max(1, 'sampled must be a share in (0, 1]')
          .describe('Share of successful requests kept (errors are always kept)'),
      })
      .strict(),
  ])
  .optional()
  .describe(
    'Which requests keep a raw usage row besides their rollup (absent: all): all, errors (failed or retried calls only), none, or { sampled: 0.05 } (that share plus every error). Summaries (usage, dashboard, canary guards, pin) read rollups; raw rows serve drill-downs into single requests.',
  );

export const storeSchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('sqlite'),
      path: z.string().default('.modelpin/modelpin.db'),
      raw_usage: rawUsageSchema,
      retention: retentionSchema.optional(),
      ...storeFreshnessShape,
    })
    .strict(),
  z
    .object({
      type: z.literal('postgres'),
      url: z.string().min(1),
      raw_usage: rawUsageSchema,
      retention: retentionSchema.optional(),
      ...storeFreshnessShape,
      ...postgresConnectionShape,
    })
    .strict(),
]);
