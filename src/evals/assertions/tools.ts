/** Assertions on the tool calls of a tool-calling case: the trajectory, the arguments, the step count. */
import { z } from 'zod';
import type { ValidateFunction } from 'ajv';
import { defineAssertion, result, type AssertionDefinition, type AssertionResult } from './types.js';
import { compileSchema } from './format.js';
import { JsonPathSyntaxError, parseJsonPath, selectPath, type PathSegment } from '../json-path.js';
import { canonicalJson } from '../json-text.js';
import { suiteError } from '../issues.js';
import { TRAJECTORY_MODES, matchTrajectory, showCall, type ExpectedCall } from '../trajectory-match.js';
import type { ToolCallRecord } from '../run-types.js';
import { showPair } from '../trajectory.js';

const callSpec = z.union([
  z.string().min(1),
  z.object({ name: z.string().min(1), args: z.record(z.string(), z.unknown()).optional() }).strict(),
]);

const noCalls = (calls: ToolCallRecord[] | undefined): calls is undefined => calls === undefined;
const NOT_A_TOOL_CASE = result(false, 'the sample has no tool loop (the case declares no tools)');

export const trajectory = defineAssertion({
  category: 'tools',
  description:
    'The tool calls match `calls` (tool names, or `{name, args}` with the arguments that must be equal). `mode`: `strict` (same calls, same order; the default), `unordered`, `subset` (nothing but these) or `superset` (at least these).',
  example:
    'type: trajectory\nmode: strict\ncalls:\n  - lookup_order\n  - { name: issue_refund, args: { amount: 49.99 } }',
  trafficSafe: false,
  params: z.object({ mode: z.enum(TRAJECTORY_MODES).default('strict'), calls: z.array(callSpec) }).strict(),
  compile: (p) => {
    const expected: ExpectedCall[] = p.calls.map((c) =>
      typeof c === 'string' ? { name: c } : { name: c.name, ...(c.args ? { args: c.args } : {}) },
    );
    return {
      needs: { tools: [...new Set(expected.map((e) => e.name))] },
      check: ({ toolCalls }) => {
        if (noCalls(toolCalls)) return NOT_A_TOOL_CASE;
        const r = matchTrajectory(p.mode, expected, toolCalls);
        return result(r.pass, r.reason);
      },
    };
  },
});

const occurrence = z.union([z.enum(['all', 'first', 'last']), z.number().int().positive()]);

const toolArgsParams = z
  .object({
    tool: z.string().min(1),
    /** Which calls of the tool: all (default), first, last, or the n-th (1-based). */
    call: occurrence.default('all'),
    args: z.record(z.string(), z.unknown()).optional(),
    /** With `args`: no other arguments either. */
    exact: z.boolean().default(false),
    schema: z.record(z.string(), z.unknown()).optional(),
    arg: z.string().min(1).optional(),
    value: z.number().optional(),
    abs: z.number().nonnegative().optional(),
    rel: z.number().nonnegative().optional(),
  })
  .strict()
  .superRefine((p, ctx) => {
    const modes = [p.args !== undefined, p.schema !== undefined, p.arg !== undefined].filter(Boolean).length;
    if (modes !== 1)
      ctx.addIssue({
        code: 'custom',
        message: 'give exactly one of "args" (exact), "schema" (JSON schema) or "arg" with "value" (numeric tolerance)',
      });
    if (p.arg !== undefined && p.value === undefined)
      ctx.addIssue({ code: 'custom', path: ['value'], message: '"arg" needs the expected number in "value"' });
    if ((p.abs !== undefined || p.rel !== undefined || p.value !== undefined) && p.arg === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['arg'],
        message: '"value", "abs" and "rel" need "arg" (the argument path, e.g. amount)',
      });
  });

type ArgCheck = (args: Record<string, unknown>) => { ok: boolean; why: string };

function exactCheck(want: Record<string, unknown>, exact: boolean): ArgCheck {
  return (args) => {
    for (const [k, v] of Object.entries(want)) {
      if (!(k in args)) return { ok: false, why: `${k} is missing (expected ${JSON.stringify(v)})` };
      if (canonicalJson(args[k]) !== canonicalJson(v))
        return { ok: false, why: `${k} is ${JSON.stringify(args[k])}, expected ${JSON.stringify(v)}` };
    }
    const extra = exact ? Object.keys(args).filter((k) => !(k in want)) : [];
    if (extra.length > 0)
      return { ok: false, why: `unexpected argument${extra.length > 1 ? 's' : ''} ${extra.join(', ')}` };
    return { ok: true, why: 'arguments match' };
  };
}

function schemaCheck(validate: ValidateFunction): ArgCheck {
  return (args) => {
    if (validate(args)) return { ok: true, why: 'arguments match the schema' };
    const errs = (validate.errors ?? []).map((e) => `${e.instancePath || '$'} ${e.message ?? 'invalid'}`);
    return { ok: false, why: `schema violations: ${errs.slice(0, 3).join('; ')}` };
  };
}

/** Within `abs` or `rel` (relative to the expected value) of `value`; neither given means equal. */
export function withinTolerance(got: number, want: number, abs: number | undefined, rel: number | undefined): boolean {
  const diff = Math.abs(got - want);
  if (abs === undefined && rel === undefined) return diff === 0;
  return (abs !== undefined && diff <= abs + 1e-12) || (rel !== undefined && diff <= rel * Math.abs(want) + 1e-12);
}

function toleranceCheck(
  arg: string,
  path: PathSegment[],
  want: number,
  abs: number | undefined,
  rel: number | undefined,
): ArgCheck {
  const tol =
    [abs !== undefined ? `±${abs}` : '', rel !== undefined ? `±${rel * 100}%` : ''].filter(Boolean).join(' or ') ||
    'exactly';
  return (args) => {
    const got = selectPath(args, path)[0];
    if (typeof got !== 'number')
      return {
        ok: false,
        why: `${arg} is ${got === undefined ? 'missing' : JSON.stringify(got)}, expected a number near ${want}`,
      };
    const ok = withinTolerance(got, want, abs, rel);
    const [g, w] = showPair(got, want);
    return { ok, why: `${arg} ${g} ${ok ? 'is' : 'is not'} within ${tol} of ${w}` };
  };
}

export const toolArgs = defineAssertion({
  category: 'tools',
  description:
    "A tool's call arguments: `args` (listed arguments equal; `exact: true` allows no others), `schema` (JSON Schema, ajv), or `arg` + `value` with `abs`/`rel` tolerance. `call`: all (default), first, last or the n-th call. Fails when the tool was never called.",
  example: 'type: tool-args\ntool: issue_refund\narg: amount\nvalue: 49.99\nabs: 0.01',
  trafficSafe: false,
  params: toolArgsParams,
  compile: (p, at) => {
    let check: ArgCheck;
    if (p.schema !== undefined) {
      let validate: ValidateFunction;
      try {
        validate = compileSchema(p.schema);
      } catch (e) {
        throw suiteError(
          at.file,
          `${at.path}.schema`,
          `invalid JSON schema: ${e instanceof Error ? e.message : String(e)}`,
        );
      }
      check = schemaCheck(validate);
    } else if (p.arg !== undefined) {
      let path: PathSegment[];
      try {
        path = parseJsonPath(p.arg);
      } catch (e) {
        if (e instanceof JsonPathSyntaxError) throw suiteError(at.file, `${at.path}.arg`, e.message);
        throw e;
      }
      check = toleranceCheck(p.arg, path, p.value ?? 0, p.abs, p.rel);
    } else check = exactCheck(p.args ?? {}, p.exact);
    return {
      needs: { tools: [p.tool] },
      check: ({ toolCalls }): AssertionResult => {
        if (noCalls(toolCalls)) return NOT_A_TOOL_CASE;
        const calls = toolCalls.filter((c) => c.name === p.tool);
        if (calls.length === 0) return result(false, `${p.tool} was never called`);
        const picked =
          p.call === 'all'
            ? calls.map((c, i) => [c, i] as const)
            : p.call === 'first'
              ? [[calls[0], 0] as const]
              : p.call === 'last'
                ? [[calls[calls.length - 1], calls.length - 1] as const]
                : [[calls[p.call - 1], p.call - 1] as const];
        let passed = 0;
        for (const [c, i] of picked) {
          if (!c)
            return result(
              false,
              `${p.tool} was called ${calls.length} time${calls.length === 1 ? '' : 's'}, not ${String(p.call)}`,
            );
          const r = check(c.args);
          if (!r.ok)
            return result(
              false,
              `${showCall({ name: c.name })} call ${i + 1} of ${calls.length}: ${r.why}`,
              passed / picked.length,
            );
          passed++;
        }
        return result(
          true,
          `${p.tool}: ${picked.length === 1 ? check((picked[0]?.[0] as ToolCallRecord).args).why : `all ${picked.length} calls match`}`,
        );
      },
    };
  },
});

export const steps = defineAssertion({
  category: 'tools',
  description: 'The number of model calls the tool loop took (the final answer included): `eq`, `max` and/or `min`.',
  example: 'type: steps\nmax: 3',
  trafficSafe: false,
  params: z
    .object({
      eq: z.number().int().positive().optional(),
      max: z.number().int().positive().optional(),
      min: z.number().int().positive().optional(),
    })
    .strict()
    .refine((p) => p.eq !== undefined || p.max !== undefined || p.min !== undefined, 'give "eq", "max" or "min"'),
  compile: (p) => ({
    needs: { tools: [] },
    check: ({ steps: n }) => {
      if (n === undefined) return NOT_A_TOOL_CASE;
      const bounds = [
        p.eq !== undefined ? `exactly ${p.eq}` : '',
        p.min !== undefined ? `at least ${p.min}` : '',
        p.max !== undefined ? `at most ${p.max}` : '',
      ]
        .filter(Boolean)
        .join(', ');
      const ok =
        (p.eq === undefined || n === p.eq) &&
        (p.max === undefined || n <= p.max) &&
        (p.min === undefined || n >= p.min);
      return result(
        ok,
        `${n} step${n === 1 ? '' : 's'} (${bounds})`,
        ok ? 1 : p.max !== undefined && n > p.max ? p.max / n : 0,
      );
    },
  }),
});

export const TOOL_ASSERTIONS = { trajectory, 'tool-args': toolArgs, steps } satisfies Record<
  string,
  AssertionDefinition
>;
