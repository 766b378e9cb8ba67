/**
 * What happened to the first target of a plan (a canary's candidate) during one dispatch, read from
 * its trace. Pure. A skip by an open circuit breaker is not an answer: canary guards must see it.
 */
import type { DispatchTrace } from './dispatch.js';
import type { ErrorCode } from '../core/errors.js';

export type CandidateOutcome =
  | { kind: 'answered' }
  | { kind: 'failed'; code: ErrorCode }
  | { kind: 'skipped' }
  /** The dispatch never got to it (the request failed before, or the client went away). */
  | { kind: 'untried' };

export function candidateOutcome(trace: DispatchTrace, candidate: string): CandidateOutcome {
  let failure: ErrorCode | null = null;
  for (const a of trace.attempts) {
    if (a.target !== candidate) continue;
    if (a.ok) return { kind: 'answered' };
    failure ??= a.code ?? 'upstream_error';
  }
  if (failure !== null) return { kind: 'failed', code: failure };
  if (trace.skipped.includes(candidate)) return { kind: 'skipped' };
  return { kind: 'untried' };
}
