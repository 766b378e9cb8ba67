/**
 * JSON asked through a forced tool (EncodedRequest.answerTool) comes back as a call to that tool:
 * these turn the call into the text answer the client asked for, whole or as stream events.
 */
import type { CanonicalResponse, StreamEvent } from '../canonical.js';

export function answerFromTool(res: CanonicalResponse, tool: string): CanonicalResponse {
  let answered = false;
  const content = res.content.map((p) => {
    if (p.type !== 'tool_use' || p.name !== tool) return p;
    answered = true;
    return { type: 'text' as const, text: JSON.stringify(p.input) };
  });
  return { ...res, content, ...(answered && res.stopReason === 'tool_use' ? { stopReason: 'end_turn' as const } : {}) };
}

/** Stateful per stream: the tool's argument deltas become text deltas of the same part. */
export function answerToolEvents(tool: string): (ev: StreamEvent) => StreamEvent[] {
  const parts = new Set<number>();
  return (ev) => {
    if (ev.type === 'tool_call_start' && ev.name === tool) {
      parts.add(ev.index);
      return [];
    }
    if (ev.type === 'tool_call_delta' && parts.has(ev.index))
      return ev.partialJson === '' ? [] : [{ type: 'text_delta', index: ev.index, text: ev.partialJson }];
    if (ev.type === 'finish' && parts.size > 0 && ev.stopReason === 'tool_use')
      return [{ ...ev, stopReason: 'end_turn' }];
    return [ev];
  };
}
