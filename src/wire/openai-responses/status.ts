/** Canonical stop reason -> Responses `status`, `incomplete_details` and `error`. */
import type { StopReason } from '../canonical.js';

export type ResponseStatus = 'completed' | 'incomplete' | 'failed';

export interface Outcome {
  status: ResponseStatus;
  incomplete_details: { reason: 'max_output_tokens' | 'content_filter' } | null;
  error: { code: string; message: string } | null;
}

const COMPLETED: Outcome = { status: 'completed', incomplete_details: null, error: null };

export function outcomeOf(stop: StopReason): Outcome {
  switch (stop) {
    case 'max_tokens':
      return { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' }, error: null };
    case 'content_filter':
      return { status: 'incomplete', incomplete_details: { reason: 'content_filter' }, error: null };
    case 'error':
      // The provider itself ended the answer as failed (e.g. Gemini MALFORMED_FUNCTION_CALL).
      return {
        status: 'failed',
        incomplete_details: null,
        error: { code: 'server_error', message: 'the model ended its answer with an error' },
      };
    case 'end_turn':
    case 'tool_use':
    case 'stop_sequence':
    case 'other':
      return COMPLETED;
  }
}

/** Output items are `completed`, except the last one of an answer that was cut off or failed. */
export function itemStatus(outcome: Outcome, isLast: boolean): 'completed' | 'incomplete' {
  return isLast && outcome.status !== 'completed' ? 'incomplete' : 'completed';
}

/**
 * The inverse of `outcomeOf` for a finished upstream answer: `incomplete` says why it was cut
 * off; a completed answer that called tools stopped to let them run.
 */
export function stopReasonOf(
  status: string | null | undefined,
  incompleteReason: string | null | undefined,
  calledTools: boolean,
): StopReason {
  if (status === 'incomplete') {
    if (incompleteReason === 'max_output_tokens') return 'max_tokens';
    if (incompleteReason === 'content_filter') return 'content_filter';
    return 'other';
  }
  return calledTools ? 'tool_use' : 'end_turn';
}
