/**
 * Shape of the shipped catalog files (catalog/<family>.json) and of user catalog entries after
 * normalisation. The shipped files are camelCase JSON; models.yml entries are snake_case and are
 * mapped onto the same `CatalogEntry`.
 */
import { z } from 'zod';
import { REASONING_EFFORTS } from '../wire/canonical.js';
import { THINKING_LEVELS } from '../wire/capabilities.js';

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');

export const priceSchema = z
  .object({
    input: z.number().nonnegative(),
    output: z.number().nonnegative(),
    cachedInput: z.number().nonnegative().optional(),
    /** Writing a prompt-cache entry (Anthropic: 1.25x input for the default 5-minute entries). */
    cacheWriteInput: z.number().nonnegative().optional(),
  })
  .strict();

const effort = z.enum(REASONING_EFFORTS);

/**
 * What a model accepts for reasoning, read when a request is translated for it (src/wire/shared/reasoning.ts).
 * `false`: the model does not reason. Absent: not known, the format's conservative default applies.
 */
export const reasoningSchema = z.union([
  z.literal(false),
  z
    .object({
      efforts: z.array(effort).optional(),
      levels: z.array(z.enum(THINKING_LEVELS)).optional(),
      budget: z.object({ min: z.number().int().nonnegative(), max: z.number().int().positive() }).strict().optional(),
      adaptive: z.boolean().optional(),
      canDisable: z.boolean().optional(),
      signedToolCalls: z.boolean().optional(),
      source: z.string().min(1),
      uncertain: z.boolean().optional(),
    })
    .strict(),
]);

export const entryKindSchema = z.enum(['snapshot', 'alias', 'preview']);

export const thirdPartyReportSchema = z
  .object({
    retires: date.optional(),
    replacement: z.string().optional(),
    /** The model that answers requests for this id after the reported date. */
    routedTo: z.string().optional(),
    source: z.string().min(1),
    note: z.string().optional(),
  })
  .strict();

/** The catalog data format this modelpin reads; a file that declares a newer one is refused. */
export const CATALOG_SCHEMA_VERSION = 1;

export const dataEntrySchema = z
  .object({
    id: z.string().min(1),
    kind: entryKindSchema,
    status: z.string().optional(),
    pointsTo: z.string().optional(),
    /** Alias moves: from `since` (ISO date or timestamp) on, the alias points at `pointsTo`. */
    pointsToHistory: z.array(z.object({ since: z.string().min(10), pointsTo: z.string().min(1) }).strict()).optional(),
    aliases: z.array(z.string()).optional(),
    released: date.optional(),
    deprecated: date.optional(),
    retires: date.optional(),
    retiresNotBefore: date.optional(),
    replacement: z.string().optional(),
    replacementAsOf: z.string().optional(),
    price: priceSchema.optional(),
    contextWindow: z.number().int().positive().optional(),
    reasoning: reasoningSchema.optional(),
    /** Same model as `family/id` elsewhere (Bedrock/Vertex IDs of a first-party model). */
    sameAs: z.string().optional(),
    source: z.string().min(1),
    priceSource: z.string().optional(),
    uncertain: z.boolean().optional(),
    simulated: z.boolean().optional(),
    notes: z.string().optional(),
    /** `source` is not the provider's own page: the facts rest on a third party's reading of it. */
    thirdParty: z.boolean().optional(),
    /** A change that only third parties report (not shown on a provider page): shown, never treated as fact. */
    thirdPartyReport: thirdPartyReportSchema.optional(),
    /** Alias: from this date on, which snapshot the alias serves is not known (check the served model). */
    pointsToUnknownSince: date.optional(),
    /** Alias: when the mapping was last read from a provider page (YYYY-MM or YYYY-MM-DD). */
    pointsToAsOf: z.string().regex(/^\d{4}(-\d{2}){0,2}$/, 'expected YYYY, YYYY-MM or YYYY-MM-DD').optional(),
  })
  .strict();

export const ruleSchema = z
  .object({
    kind: z.enum(['pinned', 'floating', 'preview', 'unknown']),
    pattern: z.string().min(1),
    reason: z.string().min(1),
    source: z.string().min(1),
    uncertain: z.boolean().optional(),
  })
  .strict();

/**
 * Structured-output capabilities of the models whose id matches `models` (first match wins).
 * A flag left out is unknown; a model no rule matches is unknown altogether.
 */
export const structuredOutputRuleSchema = z
  .object({
    models: z.string().min(1),
    jsonSchema: z.boolean().optional(),
    jsonMode: z.boolean().optional(),
    strictTools: z.boolean().optional(),
    source: z.string().min(1),
    uncertain: z.boolean().optional(),
    notes: z.string().optional(),
  })
  .strict();

export const familyFileSchema = z
  .object({
    schemaVersion: z.literal(CATALOG_SCHEMA_VERSION).optional(),
    family: z.string().regex(/^[a-z][a-z0-9-]*$/),
    asOf: date,
    title: z.string(),
    simulated: z.boolean().optional(),
    uncertain: z.boolean().optional(),
    /** models.yml provider `type`s served by this family. */
    providerTypes: z.array(z.string()),
    /** Other names accepted for `--provider` and `provider/model` prefixes. */
    aliases: z.array(z.string()),
    /** Lower runs first when inferring a provider from an id. */
    inferPriority: z.number(),
    idPatterns: z.array(z.string()),
    geoPrefixes: z.array(z.string()).optional(),
    rules: z.array(ruleSchema),
    unknownReason: z.string().optional(),
    notes: z.string().optional(),
    structuredOutput: z.array(structuredOutputRuleSchema).optional(),
    models: z.array(dataEntrySchema),
  })
  .strict();

export type Price = z.infer<typeof priceSchema>;
export type ReasoningData = z.infer<typeof reasoningSchema>;
export type ThirdPartyReport = z.infer<typeof thirdPartyReportSchema>;
export type DataEntry = z.infer<typeof dataEntrySchema>;
export type CatalogRule = z.infer<typeof ruleSchema>;
export type FamilyFile = z.infer<typeof familyFileSchema>;
export type StructuredOutputRule = z.infer<typeof structuredOutputRuleSchema>;

/** A catalog entry from any origin, keyed by the provider (family id or models.yml provider id) it belongs to. */
export interface CatalogEntry extends DataEntry {
  provider: string;
  family: string | null;
  /** `builtin`, `models.yml`, or the path of a user catalog file. */
  origin: string;
}
