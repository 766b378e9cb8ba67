/**
 * What counts as an error in a usage record: one home for both definitions, so summaries, canary
 * guards and any aggregate built from records (per-minute rollups) count the same way.
 */
import type { UsageRecord } from '../store/types.js';

export type ErrorFields = Pick<UsageRecord, 'status' | 'errorCode' | 'attempts'>;

/**
 * The request failed, or an error was recorded for it: the client got an error status, or the
 * record names a failure the client did not see. On a canary-arm record that is the candidate's fate
 * when another target answered: its own error code when it was tried and failed, `circuit_open`
 * when its breaker was open and it was skipped (see src/gateway/usage-record.ts).
 */
export function isError(r: ErrorFields): boolean {
  // 499: the client closed the connection. That is the caller's choice, not a failure of the version,
  // and counting it would let impatient clients roll a healthy canary back.
  if (r.status === CLIENT_CLOSED) return false;
  return r.status >= 400 || r.errorCode !== null;
}

/** The status recorded when a client goes away before its answer (src/gateway/call-failure.ts). */
export const CLIENT_CLOSED = 499;

/**
 * The canary guards' definition (arm stats, error-rate guard): an error as above, or a target that
 * needed more than one attempt — retries that end well still mean the version failed upstream, and
 * hiding that would blind the error-rate guard.
 */
export function isArmError(r: ErrorFields): boolean {
  return isError(r) || r.attempts > 1;
}
