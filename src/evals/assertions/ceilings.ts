import { z } from 'zod';
import {
  defineAssertion,
  defineCheck,
  result,
  type AssertionContext,
  type AssertionDefinition,
  type AssertionResult,
} from './types.js';

export const maxTokens = defineAssertion({
  category: 'ceiling',
  description:
    'Token usage stays at or under `value`; `of: output` (default), `input` or `total`. Catches verbosity inflation.',
  example: 'type: max-tokens\nvalue: 60\nof: output',
  trafficSafe: true,
  params: z
    .object({ value: z.number().int().positive(), of: z.enum(['output', 'input', 'total']).default('output') })
    .strict(),
  compile: (p) => ({
    check: ({ response }) => {
      const u = response.usage;
      const n = p.of === 'output' ? u.outputTokens : p.of === 'input' ? u.inputTokens : u.inputTokens + u.outputTokens;
      return underCeiling(n, p.value, `${n} ${p.of} tokens (ceiling ${p.value})`);
    },
  }),
});

/** Passes at or under the ceiling; past it the score falls as ceiling / n. */
function underCeiling(n: number, ceiling: number, reason: string): AssertionResult {
  return result(n <= ceiling, reason, n <= ceiling ? 1 : ceiling / n);
}

/**
 * A ceiling `value` on one number measured per answer. `measure` answers the number, or why it
 * cannot be measured (a failure); `says` words the number against the ceiling.
 */
function ceiling(
  description: string,
  example: string,
  measure: (ctx: AssertionContext) => number | string,
  says: (n: number, ceiling: number) => string,
): AssertionDefinition {
  return defineCheck(
    {
      category: 'ceiling',
      description,
      example,
      trafficSafe: true,
      params: z.object({ value: z.number().positive() }).strict(),
    },
    (p, ctx) => {
      const n = measure(ctx);
      return typeof n === 'string' ? result(false, n) : underCeiling(n, p.value, says(n, p.value));
    },
  );
}

export const maxCost = ceiling(
  'The call cost in USD (catalog price x usage) stays at or under `value`. Fails when the catalog has no price for the served model.',
  'type: max-cost\nvalue: 0.0005',
  ({ costUsd, response }) => costUsd ?? `no catalog price for ${response.model}; cannot check the cost ceiling`,
  (usd, max) => `$${usd.toFixed(6)} (ceiling $${max})`,
);

export const maxLatency = ceiling(
  'Wall time of the call (ms, excluding retries of earlier attempts) stays at or under `value`.',
  'type: max-latency\nvalue: 2000',
  ({ latencyMs }) => latencyMs,
  (ms, max) => `${Math.round(ms)} ms (ceiling ${max} ms)`,
);

export const CEILING_ASSERTIONS = {
  'max-tokens': maxTokens,
  'max-cost': maxCost,
  'max-latency': maxLatency,
} satisfies Record<string, AssertionDefinition>;
