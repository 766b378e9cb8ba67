import type { StopReason } from '../canonical.js';

export function fromFinishReason(r: string | null | undefined): StopReason {
  switch (r) {
    case 'stop':
      return 'end_turn';
    case 'length':
      return 'max_tokens';
    case 'tool_calls':
    case 'function_call':
      return 'tool_use';
    case 'content_filter':
      return 'content_filter';
    default:
      return 'other';
  }
}

const TO: Record<StopReason, string> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  max_tokens: 'length',
  tool_use: 'tool_calls',
  content_filter: 'content_filter',
  error: 'stop',
  other: 'stop',
};

export function toFinishReason(r: StopReason): string {
  return TO[r];
}
