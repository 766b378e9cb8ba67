import type { StopReason } from '../canonical.js';
import { readStopReason } from '../shared/stop-reason.js';

const FROM: Record<string, StopReason> = {
  stop: 'end_turn',
  length: 'max_tokens',
  tool_calls: 'tool_use',
  function_call: 'tool_use',
  content_filter: 'content_filter',
};
export const fromFinishReason = (r: string | null | undefined): StopReason => readStopReason(FROM, r);

const TO: Record<StopReason, string> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  max_tokens: 'length',
  tool_use: 'tool_calls',
  content_filter: 'content_filter',
  error: 'stop',
  other: 'stop',
};
export const toFinishReason = (r: StopReason): string => TO[r];
