import type { z } from 'zod';
import { extractJson } from '../json-text.js';
import { suiteError } from '../issues.js';
import {
  result,
  type AssertionContext,
  type AssertionNeeds,
  type AssertionResult,
  type Check,
  type CompileContext,
} from './types.js';

export interface JudgedSpec<V> {
  /** The assertion type, for the config error when no judge route is set. */
  type: string;
  /** The assertion's own `judge_route`; the suite's `defaults.judge_route` otherwise. */
  judgeRoute: string | undefined;
  /** The verdict JSON the judge must answer, and how it is named when it does not. */
  verdict: z.ZodType<V>;
  verdictShape: string;
  prompt: (ctx: AssertionContext) => string;
  decide: (verdict: V) => AssertionResult;
}

/** What every judge-graded assertion compiles to: ask the judge route, read its JSON verdict, decide. */
export function judgedCheck<V>(spec: JudgedSpec<V>, at: CompileContext): { check: Check; needs: AssertionNeeds } {
  const route = spec.judgeRoute ?? at.judgeRoute;
  if (route === undefined)
    throw suiteError(
      at.file,
      `${at.path}.judge_route`,
      `${spec.type} needs "judge_route" (or defaults.judge_route in the suite)`,
    );
  return {
    needs: { judgeRoute: route },
    check: async (ctx) => {
      if (!ctx.judge) return result(false, 'no judge available');
      const answer = await ctx.judge(route, spec.prompt(ctx));
      const json = extractJson(answer);
      const parsed = json.ok ? spec.verdict.safeParse(json.value) : undefined;
      if (!parsed?.success)
        return result(false, `judge answer is not ${spec.verdictShape} JSON: ${JSON.stringify(answer.slice(0, 80))}`);
      return spec.decide(parsed.data);
    },
  };
}
