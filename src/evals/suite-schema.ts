/**
 * The eval suite format, shared by YAML files (`evals/*.yml`) and TypeScript suites
 * (`defineSuite({...})`). Keys are snake_case in both, so one reference covers both.
 */
import { z } from 'zod';
import type { CheckFunction } from './assertions/javascript.js';
import { toolCaseFields } from './tool-case.js';
import { requestParamsSchema } from '../config/schema.js';

const name = z.string().regex(/^[A-Za-z0-9_.:-]+$/, 'use letters, digits, "_", ".", ":" or "-"');

export const suiteMessageSchema = z
  .object({ role: z.enum(['system', 'user', 'assistant']), content: z.string() })
  .strict();

/** Validated per type later (see assertions/registry.ts) so errors can name the exact param. */
export const assertionEntrySchema = z.looseObject({ type: z.string() });

const shared = {
  route: name.optional(),
  routes: z.array(name).min(1).optional(),
  assert: z.array(z.unknown()).optional(),
  repeat: z.number().int().min(1).max(1000).optional(),
  threshold: z
    .number()
    .gt(0)
    .max(1)
    .optional()
    .describe('Share of repeats that must pass (e.g. 0.66 = 2 of 3); default 1'),
  timeout_ms: z.number().int().positive().optional(),
  params: requestParamsSchema.optional(),
  system: z.string().optional(),
  vars: z.record(z.string(), z.unknown()).optional(),
  response_format: z.enum(['text', 'json']).optional(),
  ...toolCaseFields,
};

export const caseSchema = z
  .object({
    id: name.optional(),
    description: z.string().optional(),
    prompt: z.string().optional(),
    messages: z.array(suiteMessageSchema).min(1).optional(),
    tags: z.array(z.string()).optional(),
    ...shared,
  })
  .strict()
  .refine((c) => (c.prompt === undefined) !== (c.messages === undefined), {
    message: 'a case needs exactly one of "prompt" or "messages"',
  });

export const suiteSchema = z
  .object({
    name: name.optional(),
    description: z.string().optional(),
    tags: z.array(z.string()).default([]),
    defaults: z
      .object({ ...shared, judge_route: name.optional() })
      .strict()
      .default({}),
    cases: z.array(z.unknown()).min(1, 'a suite needs at least one case'),
  })
  .strict();

export type SuiteCaseInput = z.input<typeof caseSchema>;
export type RequestParams = z.output<typeof requestParamsSchema>;

/** An assertion as written in a TypeScript suite: any YAML form, or `javascript` with an inline function. */
export type AssertionInput =
  | { type: 'javascript'; fn: CheckFunction; label?: string; weight?: number }
  | ({ type: string; label?: string; weight?: number } & Record<string, unknown>);

export interface CaseInput {
  id?: string;
  description?: string;
  prompt?: string;
  messages?: Array<{ role: 'system' | 'user' | 'assistant'; content: string }>;
  tags?: string[];
  route?: string;
  routes?: string[];
  assert?: AssertionInput[];
  repeat?: number;
  threshold?: number;
  timeout_ms?: number;
  params?: RequestParams;
  system?: string;
  vars?: Record<string, unknown>;
  /** A CSV file (relative to the suite): one case per row, the header naming the vars. */
  vars_from?: string;
  response_format?: 'text' | 'json';
  tools?: Array<{ name: string; description?: string; parameters?: Record<string, unknown> }>;
  tool_results?: Record<string, Array<{ args?: Record<string, unknown>; result: unknown; is_error?: boolean }>>;
  max_steps?: number;
}

export interface SuiteInput {
  name?: string;
  description?: string;
  tags?: string[];
  defaults?: Omit<CaseInput, 'id' | 'description' | 'prompt' | 'messages' | 'tags'> & { judge_route?: string };
  cases: CaseInput[];
}

/** Identity function that types a TypeScript suite: `export default defineSuite({...})`. */
export function defineSuite(suite: SuiteInput): SuiteInput {
  return suite;
}
