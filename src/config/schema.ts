/**
 * The models.yml schema. This zod schema is the source of truth: types are inferred from it
 * and the published JSON Schema (schema/models.schema.json, `modelpin schema`) is generated from it.
 * Field names in YAML are snake_case.
 */
import { z } from 'zod';
import { DURATION_PATTERN } from '../core/duration.js';
import { REASONING_EFFORTS } from '../wire/canonical.js';
import { THINKING_LEVELS } from '../wire/capabilities.js';
import { PROVIDER_APIS, PROVIDER_TYPES } from '../providers/types.js';
import { retentionSchema, storeSchema } from './store-schema.js';
import { telemetrySchema } from './telemetry.js';

export { rawUsageSchema, retentionSchema, storeSchema } from './store-schema.js';

const isoDate = z
  .union([z.string(), z.date()])
  .transform((v) => (v instanceof Date ? v.toISOString().slice(0, 10) : v))
  .pipe(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD'))
  .describe('A calendar date, YYYY-MM-DD');

/** `provider/model`, e.g. `anthropic/claude-sonnet-4-20250514`. */
export const targetRefSchema = z
  .string()
  .regex(/^[A-Za-z0-9_.-]+\/.+$/, 'expected "provider/model", e.g. "anthropic/claude-sonnet-4-20250514"')
  .describe('provider/model');

/** Request parameters a target forces or an eval case sets. */
export const requestParamsSchema = z
  .object({
    temperature: z.number().min(0).max(2).optional(),
    top_p: z.number().min(0).max(1).optional(),
    max_tokens: z.number().int().positive().optional(),
    stop: z.array(z.string()).optional(),
  })
  .strict();

export const targetParamsSchema = requestParamsSchema.describe(
  'Request parameters this target forces (they override what the client sent).',
);

export const targetObjectSchema = z
  .object({
    provider: z.string().min(1),
    model: z.string().min(1),
    params: targetParamsSchema.optional(),
    timeout_ms: z.number().int().positive().optional(),
  })
  .strict();

export const targetSchema = z
  .union([targetRefSchema, targetObjectSchema])
  .describe('A model target: "provider/model" or an object with params');

export const canarySchema = z
  .object({
    candidate: targetSchema,
    percent: z.number().min(0).max(100),
    ramp: z.array(z.number().min(0).max(100)).optional(),
    hold: z.string().regex(DURATION_PATTERN).optional().describe('How long each ramp step must hold, e.g. 24h'),
    sticky_by: z
      .string()
      .regex(/^header:.+$/)
      .optional()
      .describe('e.g. header:x-user-id'),
    guards: z
      .object({
        max_error_rate_delta: z.number().min(0).max(1).optional(),
        max_p95_ratio: z.number().positive().optional(),
        max_cost_ratio: z.number().positive().optional(),
        min_format_valid: z.number().min(0).max(1).optional(),
        min_samples: z.number().int().positive().optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export const shadowSchema = z
  .object({
    candidate: targetSchema,
    sample: z.number().min(0).max(1).describe('Share of requests mirrored to the candidate, 0..1'),
  })
  .strict();

export const routeSchema = z
  .object({
    description: z.string().optional(),
    targets: z
      .record(z.string().regex(/^[a-z][a-z0-9_-]*$/), targetSchema)
      .describe('One target per environment: production, staging, or any other name'),
    policy: z.enum(['pin-required', 'float-allowed']).default('pin-required'),
    reason: z.string().min(1).optional().describe('Required when policy is float-allowed'),
    last_validated: isoDate.optional(),
    fallback: z.array(targetSchema).default([]),
    env_var: z
      .string()
      .regex(/^[A-Z_][A-Z0-9_]*$/)
      .optional()
      .describe('Env var that overrides the production target (default MODELPIN_<ROUTE>_<ENV>)'),
    previous: targetSchema
      .optional()
      .describe('The pin production had before the last promote; rollback returns to it'),
    canary: canarySchema.optional(),
    shadow: shadowSchema.optional(),
  })
  .strict();

const RESPONSES_CAPABLE: ReadonlySet<string> = new Set(['openai', 'openai-compatible', 'azure-openai']);

export const providerSchema = z
  .object({
    type: z.enum(PROVIDER_TYPES),
    base_url: z.string().url().optional(),
    api_key: z.string().optional().describe('Only as ${ENV_VAR}; a literal key is a lint error'),
    api_version: z.string().optional(),
    api: z
      .enum(PROVIDER_APIS)
      .optional()
      .describe(
        'openai, openai-compatible and azure-openai only: call models through chat-completions (default) or responses (POST /responses; needed for models served only there)',
      ),
    headers: z.record(z.string(), z.string()).optional(),
    scenario: z.string().optional().describe('simulator only: scenario file or built-in name'),
    seed: z.number().int().optional(),
    fast: z.boolean().optional(),
  })
  .strict()
  // Caught when the file loads (with its path), not later when a gateway first builds the client.
  .refine((p) => p.api !== 'responses' || RESPONSES_CAPABLE.has(p.type), {
    path: ['api'],
    message: 'api: responses applies to providers of type openai, openai-compatible or azure-openai only',
  });

export const catalogEntrySchema = z
  .object({
    provider: z.string().min(1),
    id: z.string().min(1),
    kind: z.enum(['snapshot', 'alias', 'preview']),
    points_to: z.string().optional(),
    released: isoDate.optional(),
    deprecated: isoDate.optional(),
    retires: isoDate.optional(),
    replacement: z.string().optional(),
    price: z
      .object({
        input: z.number().nonnegative(),
        output: z.number().nonnegative(),
        cached_input: z.number().nonnegative().optional(),
        cache_write_input: z.number().nonnegative().optional(),
      })
      .strict()
      .optional()
      .describe('USD per million tokens'),
    context_window: z.number().int().positive().optional(),
    reasoning: z
      .union([
        z.literal(false),
        z
          .object({
            efforts: z
              .array(z.enum(REASONING_EFFORTS))
              .optional()
              .describe('reasoning_effort / output_config.effort values the model accepts'),
            levels: z
              .array(z.enum(THINKING_LEVELS))
              .optional()
              .describe('Gemini thinkingLevel values the model accepts (lower case)'),
            budget: z
              .object({ min: z.number().int().nonnegative(), max: z.number().int().positive() })
              .strict()
              .optional()
              .describe('Manual thinking budget range'),
            adaptive: z.boolean().optional().describe('Anthropic adaptive thinking is offered'),
            can_disable: z.boolean().optional(),
            signed_tool_calls: z
              .boolean()
              .optional()
              .describe('Gemini 3: function calls must carry a thought signature'),
          })
          .strict(),
      ])
      .optional()
      .describe(
        'What the model accepts for reasoning; false = it does not reason. Reasoning settings are translated for it (see docs/wire.md)',
      ),
    source: z.string().optional(),
    notes: z.string().optional(),
    status: z.string().optional().describe('Free-form lifecycle status, e.g. active, deprecated, retired'),
    uncertain: z.boolean().optional().describe('Mark values that still need verification'),
  })
  .strict()
  .describe('A catalog entry for a private deployment, a fine-tune, or an override of a shipped entry');

export const clientKeySchema = z
  .object({
    id: z.string().min(1),
    key: z.string().min(1).describe('Only as ${ENV_VAR}'),
    routes: z.array(z.string()).default(['*']),
  })
  .strict();

export const gatewaySchema = z
  .object({
    passthrough: z.enum(['deny', 'allow-pinned', 'allow']).default('deny'),
    auth: z.enum(['none', 'keys']).default('none'),
    keys: z.array(clientKeySchema).default([]),
    admin_token: z.string().optional().describe('Only as ${ENV_VAR}; required for the admin API'),
    body_limit_bytes: z
      .number()
      .int()
      .positive()
      .default(4 * 1024 * 1024),
    sentinel_webhook: z.string().url().optional(),
    headers_timeout_ms: z
      .number()
      .int()
      .positive()
      .default(10_000)
      .describe(
        'A client must send its request headers within this time, or gets 408 and is disconnected (slow-loris)',
      ),
    request_timeout_ms: z
      .number()
      .int()
      .positive()
      .default(30_000)
      .describe(
        'A client must send its whole request (headers and body) within this time, or gets 408; the answer itself may take longer',
      ),
    keep_alive_timeout_ms: z
      .number()
      .int()
      .positive()
      .default(65_000)
      .describe(
        'An idle keep-alive connection is closed after this time; keep it above the idle timeout of a reverse proxy in front (60 s for nginx and most load balancers)',
      ),
    max_connections: z
      .number()
      .int()
      .positive()
      .default(1024)
      .describe(
        'Open client connections at most; further connections are closed at once (counted in modelpin_connections_dropped_total)',
      ),
    metrics_auth: z
      .enum(['none', 'keys'])
      .optional()
      .describe(
        'Whether GET /metrics needs a client key with every route (routes: ["*"]). Unset: the same as auth, since the metrics name every route and model and show traffic and spend',
      ),
    allowed_hosts: z
      .array(
        z
          .string()
          .min(1)
          .regex(/^[^\s/:]+$|^\[[0-9a-fA-F:.]+\]$/, 'a host name without scheme, port or path, e.g. gateway.internal'),
      )
      .default([])
      .describe(
        'Host names the gateway answers besides localhost, 127.0.0.1 and [::1] (auth: none); with auth: keys, when set, the only names it answers',
      ),
    cors: z
      .object({
        allowed_origins: z
          .array(
            z
              .string()
              .regex(
                /^\*$|^https?:\/\/[^/\s]+\/?$/,
                'an origin such as http://localhost:5173 (scheme, host, optional port; no path), or *',
              ),
          )
          .min(1)
          .describe('Origins of browser apps allowed to call the gateway (CORS); * (any origin) needs auth: keys'),
        max_age_s: z
          .number()
          .int()
          .nonnegative()
          .default(600)
          .describe('How long a browser may cache a preflight answer'),
      })
      .strict()
      .optional()
      .describe(
        'Let browser apps on these origins call the gateway; without it, a request carrying a foreign Origin is refused with 403',
      ),
  })
  .strict()
  .refine((g) => g.headers_timeout_ms <= g.request_timeout_ms, {
    path: ['headers_timeout_ms'],
    message: 'headers_timeout_ms cannot be longer than request_timeout_ms (the headers are part of the request)',
  })
  .refine((g) => g.auth === 'keys' || !g.cors?.allowed_origins.includes('*'), {
    path: ['cors', 'allowed_origins'],
    message:
      'cors.allowed_origins: * would let any web page spend the provider keys; with auth: none list the origins of your apps, or set auth: keys',
  });

export const retrySchema = z
  .object({
    max_attempts: z.number().int().min(1).max(10).default(3),
    base_delay_ms: z.number().int().nonnegative().default(200),
    max_delay_ms: z.number().int().nonnegative().default(5000),
    total_deadline_ms: z.number().int().positive().default(60_000),
    attempt_timeout_ms: z
      .number()
      .int()
      .positive()
      .default(30_000)
      .describe('Whole-answer limit of one attempt (for streams, the longest silence between events)'),
    first_byte_timeout_ms: z
      .number()
      .int()
      .positive()
      .default(10_000)
      .describe(
        'Time an attempt may wait for the response headers while a fallback target remains; the last target of a chain waits its whole attempt budget',
      ),
    cooldown_ms: z.number().int().nonnegative().default(30_000),
    failure_threshold: z.number().int().positive().default(5),
  })
  .strict();

export const lintSettingsSchema = z
  .object({
    max_validated_age_days: z.number().int().positive().default(30),
    retiring_within_days: z.number().int().positive().default(90),
  })
  .strict();

export const modelsFileSchema = z
  .object({
    version: z.literal(1).default(1),
    providers: z.record(z.string().regex(/^[A-Za-z0-9_.-]+$/), providerSchema).default({}),
    routes: z.record(z.string().regex(/^[A-Za-z0-9_.:-]+$/), routeSchema).default({}),
    retry: retrySchema.default(() => retrySchema.parse({})),
    gateway: gatewaySchema.default(() => gatewaySchema.parse({})),
    store: storeSchema.default(() => ({ type: 'sqlite' as const, path: '.modelpin/modelpin.db' })),
    lint: lintSettingsSchema.default(() => lintSettingsSchema.parse({})),
    telemetry: telemetrySchema.optional(),
    catalog: z
      .object({
        files: z.array(z.string()).default([]),
        models: z.array(catalogEntrySchema).default([]),
        listings: z
          .string()
          .min(1)
          .optional()
          .describe(
            'Where `modelpin catalog refresh` records what each provider lists (default .modelpin/model-listings.json, relative to models.yml)',
          ),
      })
      .strict()
      .default(() => ({ files: [], models: [] })),
  })
  .strict();

export type ModelsFile = z.infer<typeof modelsFileSchema>;
export type RouteConfig = z.infer<typeof routeSchema>;
export type ProviderConfig = z.infer<typeof providerSchema>;
export type TargetInput = z.infer<typeof targetSchema>;
export type CatalogEntryInput = z.infer<typeof catalogEntrySchema>;
export type RetryConfig = z.infer<typeof retrySchema>;
export type GatewayConfig = z.infer<typeof gatewaySchema>;
export type StoreConfig = z.infer<typeof storeSchema>;
export type RetentionConfig = z.infer<typeof retentionSchema>;
export type CanaryConfig = z.infer<typeof canarySchema>;
