import { z } from 'zod';
import { defineAssertion, result, type AssertionDefinition } from './types.js';
import { judgedCheck } from './judged.js';

/**
 * How the output relates to the reference, in the five categories model-graded factuality checks
 * commonly use, so suites brought from elsewhere keep their meaning.
 */
export const FACT_CATEGORIES = {
  A: 'the output is a subset of the reference and fully consistent with it',
  B: 'the output is a superset of the reference and fully consistent with it',
  C: 'the output contains all the same details as the reference',
  D: 'the output and the reference disagree',
  E: 'they differ, but the differences do not matter for factuality',
} as const;
type Category = keyof typeof FACT_CATEGORIES;
const categories = Object.keys(FACT_CATEGORIES) as Category[];

const verdictSchema = z.object({
  category: z.enum(categories as [Category, ...Category[]]),
  reason: z.string().optional(),
});

/** The prompt a judge route receives. The marker line lets a simulator scenario recognise factuality prompts. */
export function factualityPrompt(reference: string, output: string, question: string | undefined): string {
  return [
    '[modelpin:factuality]',
    'You compare the facts in an AI model output with a reference answer.',
    ...(question !== undefined ? [`Question: ${question}`] : []),
    'Reference:',
    '<<<',
    reference,
    '>>>',
    'Output:',
    '<<<',
    output,
    '>>>',
    'Pick one category:',
    ...categories.map((c) => `(${c}) ${FACT_CATEGORIES[c]}`),
    'Answer with only a JSON object: {"category": "A"|"B"|"C"|"D"|"E", "reason": "one sentence"}.',
  ].join('\n');
}

export const factuality = defineAssertion({
  category: 'semantic',
  description:
    "A judge route checks the output's facts against the reference `value` and names a category: (A) subset, (B) superset, (C) same details, (D) disagreement, (E) differences that do not matter. Fails on `fail_categories` (default `[D]`). `question` gives the judge context; `judge_route` defaults to `defaults.judge_route`.",
  example: 'type: factuality\nvalue: The refund window is 30 days from delivery.\njudge_route: judge',
  trafficSafe: false,
  params: z
    .object({
      value: z.string().min(1),
      question: z.string().optional(),
      judge_route: z.string().optional(),
      fail_categories: z
        .array(z.enum(categories as [Category, ...Category[]]))
        .min(1)
        .default(['D']),
    })
    .strict(),
  compile: (p, at) =>
    judgedCheck(
      {
        type: 'factuality',
        judgeRoute: p.judge_route,
        verdict: verdictSchema,
        verdictShape: '{category, reason}',
        prompt: (ctx) => factualityPrompt(p.value, ctx.output, p.question),
        decide: (v) =>
          result(
            !p.fail_categories.includes(v.category),
            `judge: (${v.category}) ${v.reason ?? FACT_CATEGORIES[v.category]}`,
          ),
      },
      at,
    ),
});

export const FACTUALITY_ASSERTIONS = { factuality } satisfies Record<string, AssertionDefinition>;
