/**
 * Scenario files (YAML, snake_case) as zod schemas. A scenario declares snapshots with their
 * behaviour, aliases that point at snapshots (and may move silently), and the rules that answer prompts.
 */
import { z } from 'zod';

const nonNegative = z.number().nonnegative();

/** A latency distribution in milliseconds: fixed, uniform or normal (clamped at 0). */
export const latencySchema = z.union([
  z.strictObject({ fixed_ms: nonNegative }),
  z.strictObject({ min_ms: nonNegative, max_ms: nonNegative }).refine((v) => v.max_ms >= v.min_ms, {
    message: 'max_ms must be >= min_ms',
  }),
  z.strictObject({ mean_ms: nonNegative, sd_ms: nonNegative }),
]);
export type Latency = z.infer<typeof latencySchema>;

const rate = z.number().min(0).max(1);

export const faultsSchema = z
  .strictObject({
    rate_limit: rate.default(0),
    /** Seconds sent in `retry-after` with a 429. */
    retry_after_s: nonNegative.default(1),
    server_error: rate.default(0),
    overloaded: rate.default(0),
    hang: rate.default(0),
    reset: rate.default(0),
    /** Streams only: the socket closes after some chunks, with no terminal event. */
    stream_cut: rate.default(0),
  })
  .refine((f) => f.rate_limit + f.server_error + f.overloaded + f.hang + f.reset + f.stream_cut <= 1, {
    message: 'fault rates add up to more than 1',
  });
export type Faults = z.infer<typeof faultsSchema>;

export const streamSchema = z.strictObject({
  /** Time to first token. */
  ttft: latencySchema.optional(),
  /** Delay between chunks. */
  chunk_delay: latencySchema.optional(),
  /** Tokens per text chunk. */
  chunk_tokens: z.number().int().positive().optional(),
});

export const enumChangeSchema = z.strictObject({
  field: z.string().min(1),
  from: z.union([z.string(), z.number(), z.boolean()]),
  to: z.union([z.string(), z.number(), z.boolean()]),
  /** Only answers produced by these rule ids; all JSON answers when absent. */
  rules: z.array(z.string()).optional(),
});

export const jsonBehaviourSchema = z.strictObject({
  /** Wrap JSON answers in ```json fences. */
  fences: z.boolean().optional(),
  enum_changes: z.array(enumChangeSchema).optional(),
  drop_fields: z.array(z.string().min(1)).optional(),
  rename_fields: z.record(z.string(), z.string().min(1)).optional(),
});

export const toneSchema = z.strictObject({
  prefix: z.string().optional(),
  suffix: z.string().optional(),
});

export const MATCH_SOURCES = ['user', 'system', 'any', 'tool_result'] as const;
export type MatchSource = (typeof MATCH_SOURCES)[number];

export const conditionSchema = z
  .strictObject({
    contains: z.string().optional(),
    regex: z.string().optional(),
    /** Regex flags (`i`, `m`, `s`, `u`). */
    flags: z
      .string()
      .regex(/^[imsu]*$/)
      .optional(),
    /** Where to look: last user message text, system prompt, everything, or tool results in the last user message. */
    in: z.enum(MATCH_SOURCES).default('user'),
  })
  .refine((c) => (c.contains === undefined) !== (c.regex === undefined), {
    message: 'a condition needs exactly one of contains or regex',
  })
  .superRefine((c, ctx) => {
    if (c.regex === undefined) return;
    try {
      new RegExp(c.regex, c.flags ?? '');
    } catch (e) {
      ctx.addIssue({ code: 'custom', path: ['regex'], message: `invalid regex: ${(e as Error).message}` });
    }
  });
export type Condition = z.infer<typeof conditionSchema>;

const jsonValue: z.ZodType<unknown> = z.lazy(() =>
  z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(jsonValue), z.record(z.string(), jsonValue)]),
);

export const replySchema = z.union([
  z.strictObject({ text: z.string() }),
  z.strictObject({
    json: z.record(z.string(), jsonValue),
    /** Overrides the snapshot's `json.fences` for this rule. */
    fences: z.boolean().optional(),
  }),
  z.strictObject({
    tool_call: z.strictObject({ name: z.string().min(1), input: z.record(z.string(), jsonValue).default({}) }),
  }),
]);
export type Reply = z.infer<typeof replySchema>;

export const ruleSchema = z.strictObject({
  id: z.string().min(1),
  /** All conditions must hold; no `match` = always matches (a fallback). */
  match: z.union([conditionSchema, z.array(conditionSchema)]).optional(),
  reply: replySchema,
});
export type Rule = z.infer<typeof ruleSchema>;

/** One tool call a scripted agent step makes. */
export const scriptedCallSchema = z.strictObject({
  name: z.string().min(1),
  input: z.record(z.string(), jsonValue).default({}),
});

/** A step of an agent script: the tool calls of one turn (several = parallel calls), or the final text. */
export const agentStepSchema = z.union([
  z.strictObject({ calls: z.array(scriptedCallSchema).min(1) }),
  z.strictObject({ text: z.string() }),
]);

/**
 * Scripted tool-calling behaviour (see src/sim/agent-script.ts): when `match` holds for the task
 * (the last user text), the answer is the step after as many tool rounds as the conversation holds.
 */
export const agentScriptSchema = z.strictObject({
  id: z.string().min(1),
  match: z.union([conditionSchema, z.array(conditionSchema)]).optional(),
  steps: z.array(agentStepSchema).min(1),
});
export type AgentScript = z.infer<typeof agentScriptSchema>;
export const variantSchema = z.strictObject({
  /** Probability of this variant per request. */
  p: rate,
  json: jsonBehaviourSchema.optional(),
  tone: toneSchema.optional(),
  verbosity: z.number().min(-90).max(500).optional(),
  /** Answer this text instead of the rule's reply. */
  text: z.string().optional(),
});

/** Sampled behaviour: per request, a refusal, one of the variants (or none), and token noise. */
export const samplingSchema = z
  .strictObject({
    variants: z.array(variantSchema).optional(),
    /** Probability that a request is refused with `refusal_text`. */
    refusal: rate.optional(),
    refusal_text: z.string().min(1).optional(),
    /** Standard deviation, in percent, of the output length around the snapshot's verbosity (text and fenced answers). */
    token_noise: z.number().min(0).max(100).optional(),
  })
  .refine((s) => (s.variants ?? []).reduce((n, v) => n + v.p, 0) <= 1 + 1e-9, {
    message: 'variant probabilities add up to more than 1',
  });
export type Sampling = z.infer<typeof samplingSchema>;

/** Everything a snapshot can set; `defaults:` uses the same shape. */
export const behaviourSchema = z.strictObject({
  system_fingerprint: z.string().optional(),
  display_name: z.string().optional(),
  /** ISO date the snapshot was released (listed by GET /v1/models). */
  created: z.string().optional(),
  retired: z.boolean().optional(),
  /** ISO date-time (injected clock): before it the snapshot does not exist (404, not listed), so a listing can gain it. */
  available_from: z.iso.datetime({ offset: true }).optional(),
  /** ISO date-time (injected clock): from then on the snapshot is retired (404, no longer listed). */
  retired_at: z.iso.datetime({ offset: true }).optional(),
  /** Output token change in percent: 20 = about 20% more, -5 = about 5% fewer. */
  verbosity: z.number().min(-90).max(500).optional(),
  tone: toneSchema.optional(),
  json: jsonBehaviourSchema.optional(),
  latency: latencySchema.optional(),
  stream: streamSchema.optional(),
  faults: faultsSchema.optional(),
  /** Rules tried before the scenario-wide rules, for this snapshot only. */
  rules: z.array(ruleSchema).optional(),
  /** Scripted tool-calling agents, tried before any rule. */
  agent: z.array(agentScriptSchema).optional(),
  /** Sampled behaviour per request (variants, refusals, token noise); absent = deterministic answers. */
  sampling: samplingSchema.optional(),
  /** Length of the simulated embedding vectors this snapshot answers (default 256). */
  embedding_dimensions: z.number().int().min(1).max(8192).optional(),
});
export type Behaviour = z.infer<typeof behaviourSchema>;

export const aliasMoveSchema = z
  .strictObject({
    to: z.string().min(1),
    /** ISO date-time, judged by the injected clock. */
    at: z.iso.datetime({ offset: true }).optional(),
    /** Move after this many requests to the alias. */
    after_requests: z.number().int().nonnegative().optional(),
  })
  .refine((m) => (m.at === undefined) !== (m.after_requests === undefined), {
    message: 'a move needs exactly one of at or after_requests',
  });

export const aliasSchema = z.strictObject({
  target: z.string().min(1),
  moves: z.array(aliasMoveSchema).optional(),
});
export type Alias = z.infer<typeof aliasSchema>;

export const scenarioFileSchema = z.strictObject({
  name: z.string().optional(),
  description: z.string().optional(),
  /** A built-in scenario name or a path (relative to this file) to start from. */
  extends: z.string().optional(),
  /** No latency and no faults (benchmarks). */
  fast: z.boolean().optional(),
  /** Default seed when none is given on the command line. */
  seed: z.number().int().optional(),
  /** Upper bound for a hang when the caller set no deadline. */
  hang_max_ms: z.number().int().positive().optional(),
  /** Sentences used to pad answers when verbosity > 0. */
  filler: z.array(z.string().min(1)).min(1).optional(),
  /** Words dropped from answers when verbosity < 0. */
  trim_words: z.array(z.string().min(1)).optional(),
  defaults: behaviourSchema.optional(),
  snapshots: z.record(z.string().min(1), behaviourSchema).optional(),
  aliases: z.record(z.string().min(1), aliasSchema).optional(),
  rules: z.array(ruleSchema).optional(),
});
export type ScenarioFile = z.infer<typeof scenarioFileSchema>;
