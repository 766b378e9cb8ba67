import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import {
  defineAssertion,
  result,
  type AssertionContext,
  type AssertionDefinition,
  type AssertionResult,
} from './types.js';
import { suiteError } from '../issues.js';
import { extractJson } from '../json-text.js';

/** What a check function receives besides the output text. */
export interface CheckFunctionContext {
  vars: Record<string, unknown>;
  caseId: string;
  route: string;
  /** Parsed JSON from the output (lenient), or undefined when there is none. */
  json: unknown;
  latencyMs: number;
  costUsd: number | null;
  outputTokens: number;
  servedModel: string;
}

export type CheckFunctionResult = boolean | number | { pass: boolean; score?: number; reason?: string };
export type CheckFunction = (
  output: string,
  ctx: CheckFunctionContext,
) => CheckFunctionResult | Promise<CheckFunctionResult>;

const returned = z.union([
  z.boolean(),
  z.number(),
  z.object({ pass: z.boolean(), score: z.number().optional(), reason: z.string().optional() }),
]);

function isFunction(v: unknown): v is CheckFunction {
  return typeof v === 'function';
}

async function loadFunction(spec: string, at: { file: string; path: string; dir: string }): Promise<CheckFunction> {
  const hash = spec.lastIndexOf('#');
  const rel = hash >= 0 ? spec.slice(0, hash) : spec;
  const name = hash >= 0 ? spec.slice(hash + 1) : 'default';
  const file = resolve(at.dir, rel);
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (e) {
    throw suiteError(
      at.file,
      `${at.path}.file`,
      `cannot load ${rel}: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`,
    );
  }
  const fn = mod[name];
  if (!isFunction(fn)) throw suiteError(at.file, `${at.path}.file`, `${rel} has no exported function "${name}"`);
  return fn;
}

async function run(fn: CheckFunction, ctx: AssertionContext, label: string): Promise<AssertionResult> {
  const json = extractJson(ctx.output);
  let value: unknown;
  try {
    value = await fn(ctx.output, {
      vars: ctx.vars,
      caseId: ctx.caseId,
      route: ctx.route,
      json: json.ok ? json.value : undefined,
      latencyMs: ctx.latencyMs,
      costUsd: ctx.costUsd,
      outputTokens: ctx.response.usage.outputTokens,
      servedModel: ctx.response.model,
    });
  } catch (e) {
    return result(false, `${label} threw: ${e instanceof Error ? e.message : String(e)}`);
  }
  const r = returned.safeParse(value);
  if (!r.success)
    return result(
      false,
      `${label} returned ${JSON.stringify(value)}; expected boolean, number or {pass, score, reason}`,
    );
  const v = r.data;
  if (typeof v === 'boolean') return result(v, `${label} returned ${v}`);
  if (typeof v === 'number') return result(v >= 0.5, `${label} scored ${v}`, v);
  return result(v.pass, v.reason ?? `${label} returned pass=${v.pass}`, v.score ?? (v.pass ? 1 : 0));
}

export const javascript = defineAssertion({
  category: 'code',
  description:
    'A JavaScript/TypeScript function decides: `file: ./checks.mjs#fnName` (relative to the suite), or `fn` inline in a TypeScript suite. It gets `(output, ctx)` and returns a boolean, a score (pass at >= 0.5) or `{pass, score, reason}`.',
  example: 'type: javascript\nfile: ./checks.mjs#isPythonFunction',
  trafficSafe: false,
  params: z
    .object({
      file: z.string().min(1).optional(),
      fn: z.custom<CheckFunction>(isFunction, 'expected a function').optional(),
    })
    .strict()
    .refine((p) => (p.file === undefined) !== (p.fn === undefined), 'give exactly one of "file" or "fn"'),
  compile: async (p, at) => {
    const fn = p.fn ?? (await loadFunction(p.file ?? '', at));
    const label = p.file ?? (fn.name || 'check function');
    return { check: (ctx) => run(fn, ctx, label) };
  },
});

export const CODE_ASSERTIONS = { javascript } satisfies Record<string, AssertionDefinition>;
