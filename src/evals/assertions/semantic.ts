import { z } from 'zod';
import { defineAssertion, result, type AssertionDefinition } from './types.js';
import { levenshteinSimilarity, tokenCosine, vectorCosine } from '../similarity.js';
import { judgedCheck } from './judged.js';
import { suiteError } from '../issues.js';

export const similarTo = defineAssertion({
  category: 'semantic',
  description:
    'The output is similar to the reference `value`: score >= `threshold` (default 0.8). `metric: levenshtein` (normalized edit distance, default), `cosine` (bag-of-words token cosine) or `embedding` (cosine of embeddings from `embedding_route`, which needs a provider that implements `embed`).',
  example: 'type: similar-to\nvalue: "The customer is happy with the product."\nmetric: cosine\nthreshold: 0.6',
  trafficSafe: false,
  params: z
    .object({
      value: z.string(),
      threshold: z.number().min(0).max(1).default(0.8),
      metric: z.enum(['levenshtein', 'cosine', 'embedding']).default('levenshtein'),
      embedding_route: z.string().optional(),
    })
    .strict(),
  compile: (p, at) => {
    if (p.metric === 'embedding') {
      const route = p.embedding_route;
      if (route === undefined)
        throw suiteError(
          at.file,
          `${at.path}.embedding_route`,
          'metric "embedding" needs "embedding_route" (a route whose provider implements embed)',
        );
      return {
        needs: { embedRoute: route },
        check: async (ctx) => {
          if (!ctx.embed) return result(false, 'no embeddings route available');
          const [a, b] = await ctx.embed(route, [ctx.output, p.value]);
          const s = vectorCosine(a ?? [], b ?? []);
          return result(s >= p.threshold, `embedding similarity ${s.toFixed(3)} (threshold ${p.threshold})`, s);
        },
      };
    }
    const metric = p.metric === 'cosine' ? tokenCosine : levenshteinSimilarity;
    return {
      check: ({ output }) => {
        const s = metric(output.trim(), p.value.trim());
        return result(s >= p.threshold, `${p.metric} similarity ${s.toFixed(3)} (threshold ${p.threshold})`, s);
      },
    };
  },
});

const verdictSchema = z.object({
  pass: z.boolean(),
  score: z.number().min(0).max(1).optional(),
  reason: z.string().optional(),
});

/** The prompt a judge route receives. The marker line lets a simulator scenario recognise rubric prompts. */
export function rubricPrompt(rubric: string, output: string): string {
  return [
    '[modelpin:llm-rubric]',
    'You grade an AI model output against a rubric.',
    `Rubric: ${rubric}`,
    'Output to grade:',
    '<<<',
    output,
    '>>>',
    'Answer with only a JSON object: {"pass": true|false, "score": number between 0 and 1, "reason": "one sentence"}.',
  ].join('\n');
}

export const llmRubric = defineAssertion({
  category: 'semantic',
  description:
    "A judge route grades the output against `rubric` and answers JSON `{pass, score, reason}`. `judge_route` defaults to the suite's `defaults.judge_route`; with `threshold` the score decides instead of `pass`.",
  example: 'type: llm-rubric\nrubric: The reply is polite and names the customer.\njudge_route: judge',
  trafficSafe: false,
  params: z
    .object({
      rubric: z.string().min(1),
      judge_route: z.string().optional(),
      threshold: z.number().min(0).max(1).optional(),
    })
    .strict(),
  compile: (p, at) =>
    judgedCheck(
      {
        type: 'llm-rubric',
        judgeRoute: p.judge_route,
        verdict: verdictSchema,
        verdictShape: '{pass, score, reason}',
        prompt: (ctx) => rubricPrompt(p.rubric, ctx.output),
        decide: (v) => {
          const score = v.score ?? (v.pass ? 1 : 0);
          const pass = p.threshold !== undefined ? score >= p.threshold : v.pass;
          return result(pass, `judge: ${v.reason ?? (v.pass ? 'pass' : 'fail')}`, score);
        },
      },
      at,
    ),
});

export const SEMANTIC_ASSERTIONS = {
  'similar-to': similarTo,
  'llm-rubric': llmRubric,
} satisfies Record<string, AssertionDefinition>;
