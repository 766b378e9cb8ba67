import type { CanonicalResponse } from '../../src/wire/canonical.js';
import type { AssertionContext, AssertionResult } from '../../src/evals/assertions/types.js';
import { compileAssertion } from '../../src/evals/assertions/registry.js';

export function response(text: string, over: Partial<CanonicalResponse> = {}): CanonicalResponse {
  return {
    id: 'r1',
    model: 'sim-chat-2026-01-15',
    content: [{ type: 'text', text }],
    stopReason: 'end_turn',
    usage: { inputTokens: 10, outputTokens: 20 },
    created: 0,
    ...over,
  };
}

export function ctx(text: string, over: Partial<AssertionContext> = {}): AssertionContext {
  return {
    output: text,
    response: response(text),
    latencyMs: 100,
    costUsd: 0.001,
    vars: {},
    caseId: 'c1',
    route: 'r',
    ...over,
  };
}

export const AT = {
  file: 'evals/t.yml',
  path: 'cases[0].assert[0]',
  dir: new URL('./fixtures/', import.meta.url).pathname,
};

export async function check(
  raw: Record<string, unknown>,
  output: string,
  over: Partial<AssertionContext> = {},
): Promise<AssertionResult> {
  const a = await compileAssertion(raw, AT);
  return a.check(ctx(output, over));
}
