import type { z } from 'zod';
import type { CanonicalResponse } from '../../wire/canonical.js';
import type { ToolCallRecord } from '../run-types.js';

/** What every assertion returns: data, never a thrown error for a failed check. */
export interface AssertionResult {
  pass: boolean;
  /** 0..1. */
  score: number;
  reason: string;
}

/** Everything a check may read about one model answer. */
export interface AssertionContext {
  output: string;
  response: CanonicalResponse;
  latencyMs: number;
  /** USD from catalog prices; null when the catalog has no price for the served model. */
  costUsd: number | null;
  vars: Record<string, unknown>;
  caseId: string;
  route: string;
  /** Ask a judge route; returns its text answer. Present when the suite uses llm-rubric or factuality. */
  judge?: (route: string, prompt: string) => Promise<string>;
  /** Embed texts through an embeddings route. Present only when such a route is configured. */
  embed?: (route: string, texts: string[]) => Promise<number[][]>;
  signal?: AbortSignal;
  /** Tool-calling cases: every tool call of the loop in order, and the number of model calls. */
  toolCalls?: ToolCallRecord[];
  steps?: number;
}

export type Check = (ctx: AssertionContext) => AssertionResult | Promise<AssertionResult>;

/** Where an assertion was written, for error messages and relative file paths. */
export interface CompileContext {
  file: string;
  /** e.g. `cases[2].assert[0]`. */
  path: string;
  /** Directory of the suite file. */
  dir: string;
  /** Suite-level default judge route (defaults.judge_route). */
  judgeRoute?: string;
}

/** Services a compiled assertion needs before the run starts, checked up front (config error, exit 2). */
export interface AssertionNeeds {
  judgeRoute?: string;
  embedRoute?: string;
  /** A tool-calling case offering these tools (checked when the suite loads). */
  tools?: string[];
}

export interface CompiledAssertion {
  type: AssertionType;
  label: string;
  weight: number;
  check: Check;
  needs: AssertionNeeds;
  /** Where it was written, for reports. */
  path: string;
}

export const ASSERTION_TYPES = [
  'equals',
  'contains',
  'icontains',
  'not-contains',
  'contains-any',
  'contains-all',
  'regex',
  'starts-with',
  'is-json',
  'contains-json',
  'json-schema',
  'json-path',
  'enum',
  'no-markdown-fences',
  'length',
  'word-count',
  'max-tokens',
  'max-cost',
  'max-latency',
  'similar-to',
  'llm-rubric',
  'factuality',
  'is-refusal',
  'not-refusal',
  'javascript',
  'trajectory',
  'tool-args',
  'steps',
] as const;
export type AssertionType = (typeof ASSERTION_TYPES)[number];

export type AssertionCategory = 'text' | 'format' | 'ceiling' | 'semantic' | 'code' | 'tools';

export interface AssertionDefinition {
  category: AssertionCategory;
  description: string;
  /** A YAML example, shown in docs and checked by a test to compile. */
  example: string;
  /**
   * Shadow traffic may run it on real requests: it judges the shape or cost of any answer, not one
   * case's expected content (real traffic has no expected answer to compare with).
   */
  trafficSafe: boolean;
  /** Params (everything but `type`, `weight`, `label`). */
  params: z.ZodType;
  /** Validate params (already parsed by `params`) and build the check. Throw ConfigError for bad config. */
  compile(
    params: unknown,
    at: CompileContext,
  ): Promise<{ check: Check; needs?: AssertionNeeds }> | { check: Check; needs?: AssertionNeeds };
}

/** Typed helper so each definition's compile sees its own parsed params. */
export function defineAssertion<S extends z.ZodType>(def: {
  category: AssertionCategory;
  description: string;
  example: string;
  trafficSafe: boolean;
  params: S;
  compile(
    params: z.output<S>,
    at: CompileContext,
  ): Promise<{ check: Check; needs?: AssertionNeeds }> | { check: Check; needs?: AssertionNeeds };
}): AssertionDefinition {
  return def as AssertionDefinition;
}

/** An assertion whose check needs only its params and the answer: nothing to prepare when the suite loads. */
export function defineCheck<S extends z.ZodType>(
  meta: { category: AssertionCategory; description: string; example: string; trafficSafe: boolean; params: S },
  check: (params: z.output<S>, ctx: AssertionContext) => AssertionResult,
): AssertionDefinition {
  return defineAssertion({ ...meta, compile: (p) => ({ check: (ctx) => check(p, ctx) }) });
}

export function result(pass: boolean, reason: string, score: number = pass ? 1 : 0): AssertionResult {
  return { pass, score: Math.max(0, Math.min(1, score)), reason };
}
