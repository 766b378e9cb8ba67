import { z } from 'zod';
import { defineAssertion, result, type AssertionDefinition } from './types.js';

export const maxTokens = defineAssertion({
  category: 'ceiling',
  description: 'Token usage stays at or under `value`; `of: output` (default), `input` or `total`. Catches verbosity inflation.',
  example: 'type: max-tokens\nvalue: 60\nof: output',
  trafficSafe: true,
  params: z.object({ value: z.number().int().positive(), of: z.enum(['output', 'input', 'total']).default('output') }).strict(),
  compile: (p) => ({
    check: ({ response }) => {
      const u = response.usage;
      const n = p.of === 'output' ? u.outputTokens : p.of === 'input' ? u.inputTokens : u.inputTokens + u.outputTokens;
      return result(n <= p.value, `${n} ${p.of} tokens (ceiling ${p.value})`, n <= p.value ? 1 : p.value / n);
    },
  }),
});

export const maxCost = defineAssertion({
  category: 'ceiling',
  description: 'The call cost in USD (catalog price x usage) stays at or under `value`. Fails when the catalog has no price for the served model.',
  example: 'type: max-cost\nvalue: 0.0005',
  trafficSafe: true,
  params: z.object({ value: z.number().positive() }).strict(),
  compile: (p) => ({
    check: ({ costUsd, response }) => {
      if (costUsd === null) return result(false, `no catalog price for ${response.model}; cannot check the cost ceiling`);
      return result(costUsd <= p.value, `$${costUsd.toFixed(6)} (ceiling $${p.value})`, costUsd <= p.value ? 1 : p.value / costUsd);
    },
  }),
});

export const maxLatency = defineAssertion({
  category: 'ceiling',
  description: 'Wall time of the call (ms, excluding retries of earlier attempts) stays at or under `value`.',
  example: 'type: max-latency\nvalue: 2000',
  trafficSafe: true,
  params: z.object({ value: z.number().positive() }).strict(),
  compile: (p) => ({
    check: ({ latencyMs }) => result(latencyMs <= p.value, `${Math.round(latencyMs)} ms (ceiling ${p.value} ms)`, latencyMs <= p.value ? 1 : p.value / latencyMs),
  }),
});

export const CEILING_ASSERTIONS = {
  'max-tokens': maxTokens,
  'max-cost': maxCost,
  'max-latency': maxLatency,
} satisfies Record<string, AssertionDefinition>;
