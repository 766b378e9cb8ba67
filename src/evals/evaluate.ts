import { responseText, type CanonicalResponse } from '../wire/canonical.js';
import type { AssertionContext } from './assertions/types.js';
import type { LoadedCase } from './suite-types.js';
import type { AssertionOutcome } from './run-types.js';

/** Run every assertion of a case on one answer. A check that throws fails with the error as its reason. */
export async function evaluate(
  c: LoadedCase,
  route: string,
  response: CanonicalResponse,
  extra: Pick<AssertionContext, 'latencyMs' | 'costUsd' | 'judge' | 'embed' | 'signal' | 'toolCalls' | 'steps'>,
): Promise<{ pass: boolean; score: number; outcomes: AssertionOutcome[] }> {
  const ctx: AssertionContext = {
    output: responseText(response),
    response,
    vars: c.vars,
    caseId: c.id,
    route,
    ...extra,
  };
  const outcomes: AssertionOutcome[] = [];
  let weighted = 0;
  let weights = 0;
  for (const a of c.assertions) {
    let r;
    try {
      r = await a.check(ctx);
    } catch (e) {
      // Judge/embedding transport failures surface as errors of the sample, not as a verdict.
      if (e instanceof Error && 'retryable' in e) throw e;
      r = { pass: false, score: 0, reason: `check threw: ${e instanceof Error ? e.message : String(e)}` };
    }
    outcomes.push({ type: a.type, label: a.label, path: a.path, ...r });
    weighted += r.score * a.weight;
    weights += a.weight;
  }
  return { pass: outcomes.every((o) => o.pass), score: weights === 0 ? 1 : weighted / weights, outcomes };
}
