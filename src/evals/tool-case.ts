/**
 * Tool-calling cases: the tools a case offers, the canned results its tool calls get back, and the
 * step limit. Suite keys are snake_case like the rest of the suite format.
 */
import { z } from 'zod';
import type { ToolDef } from '../wire/canonical.js';
import { canonicalJson } from './json-text.js';

const toolName = z
  .string()
  .regex(
    /^[A-Za-z_][A-Za-z0-9_-]{0,63}$/,
    'a tool name is letters, digits, "_" or "-" (at most 64), starting with a letter or "_"',
  );

export const suiteToolSchema = z
  .object({
    name: toolName,
    description: z.string().optional(),
    /** JSON Schema of the arguments. */
    parameters: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

/** One canned answer: for calls whose arguments equal `args` exactly, or for any call when `args` is absent. */
export const cannedResultSchema = z
  .object({
    args: z.record(z.string(), z.unknown()).optional(),
    result: z.unknown().refine((v) => v !== undefined, 'a canned result needs "result"'),
    is_error: z.boolean().optional(),
  })
  .strict();

export const toolCaseFields = {
  tools: z.array(suiteToolSchema).min(1).optional(),
  tool_results: z.record(z.string(), z.array(cannedResultSchema).min(1)).optional(),
  max_steps: z.number().int().min(1).max(100).optional().describe('Model calls per sample in a tool loop; default 8'),
};

export type SuiteTool = z.output<typeof suiteToolSchema>;
export type CannedResultInput = z.output<typeof cannedResultSchema>;

export const DEFAULT_MAX_STEPS = 8;

export interface CannedResult {
  /** Absent: the tool's default. */
  args?: Record<string, unknown>;
  /** What the model reads back: strings as they are, anything else as JSON. */
  text: string;
  isError: boolean;
}

/** A loaded tool-calling case. */
export interface AgentSpec {
  tools: ToolDef[];
  /** Tool name -> canned results, exact-args entries in order, then the defaults. */
  results: Map<string, CannedResult[]>;
  maxSteps: number;
}

/** How a tool call was answered: exact-args entry, the tool's default, or none (an error result). */
export type CannedMatch = 'args' | 'default' | 'none' | 'unknown-tool';

export function toToolDef(t: SuiteTool): ToolDef {
  return {
    name: t.name,
    ...(t.description !== undefined ? { description: t.description } : {}),
    inputSchema: t.parameters ?? { type: 'object', properties: {} },
  };
}

export function toCanned(r: CannedResultInput): CannedResult {
  return {
    ...(r.args !== undefined ? { args: r.args } : {}),
    text: typeof r.result === 'string' ? r.result : JSON.stringify(r.result),
    isError: r.is_error === true,
  };
}

/** The canned answer to one call: the first entry whose args equal the call's, else the first default. */
export function cannedAnswer(
  spec: AgentSpec,
  name: string,
  args: Record<string, unknown>,
): { match: CannedMatch; text: string; isError: boolean } {
  if (!spec.tools.some((t) => t.name === name))
    return { match: 'unknown-tool', text: `error: no tool named ${name} is available`, isError: true };
  const entries = spec.results.get(name) ?? [];
  const key = canonicalJson(args);
  const exact = entries.find((e) => e.args !== undefined && canonicalJson(e.args) === key);
  if (exact) return { match: 'args', text: exact.text, isError: exact.isError };
  const fallback = entries.find((e) => e.args === undefined);
  if (fallback) return { match: 'default', text: fallback.text, isError: fallback.isError };
  return { match: 'none', text: `error: the suite has no result for ${name}(${JSON.stringify(args)})`, isError: true };
}
