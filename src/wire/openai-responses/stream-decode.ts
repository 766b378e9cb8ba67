/**
 * Responses streaming events (upstream) -> canonical events. `response.created` starts the answer;
 * each message or function_call output item becomes one canonical part (opened by
 * `output_item.added`, closed by `output_item.done`); `response.completed` / `response.incomplete`
 * finish it with usage. `error` and `response.failed` end it as a stream error. Events the
 * canonical model has no use for (reasoning summaries, `in_progress`, `*.done` repeats) are skipped.
 */
import type { StreamEvent } from '../canonical.js';
import type { SseEvent, StreamDecoder } from '../codec.js';
import { parseUpstream, parseUpstreamJson } from '../shared/validate.js';
import { decodeResponseFailure } from './errors.js';
import { stopReasonOf } from './status.js';
import {
  DeltaEvent,
  ErrorEvent,
  ItemEvent,
  OutputFunctionCall,
  OutputMessage,
  ResponseEvent,
  StreamEventEnvelope,
} from './upstream-schemas.js';
import { fromResponsesUsage } from './usage.js';

interface Part {
  index: number;
  kind: 'text' | 'tool';
  /** Whether any delta arrived: if none did, the text or arguments come from `output_item.done`. */
  streamed: boolean;
  ended: boolean;
}

export function createResponsesStreamDecoder(): StreamDecoder {
  let started = false;
  let next = 0;
  let refused = false;
  let calledTools = false;
  /** Canonical part per upstream `output_index`. */
  const parts = new Map<number, Part>();

  function start(out: StreamEvent[], r?: { id: string; model: string; created_at?: number | null | undefined }): void {
    if (started) return;
    started = true;
    out.push({ type: 'start', id: r?.id ?? '', model: r?.model ?? '', created: r?.created_at ?? 0 });
  }

  function open(out: StreamEvent[], outputIndex: number, kind: Part['kind'], callId = '', name = ''): Part {
    const part: Part = { index: next++, kind, streamed: false, ended: false };
    parts.set(outputIndex, part);
    if (kind === 'tool') {
      calledTools = true;
      out.push({ type: 'tool_call_start', index: part.index, id: callId, name });
    }
    return part;
  }

  function itemAdded(out: StreamEvent[], data: unknown): void {
    const ev = parseUpstream(ItemEvent, data, 'output_item.added event');
    if (parts.has(ev.output_index)) return;
    if (ev.item.type === 'message') open(out, ev.output_index, 'text');
    else if (ev.item.type === 'function_call') {
      const fc = parseUpstream(OutputFunctionCall, ev.item, 'function call');
      open(out, ev.output_index, 'tool', fc.call_id, fc.name);
    }
  }

  function delta(out: StreamEvent[], data: unknown, kind: Part['kind']): void {
    const ev = parseUpstream(DeltaEvent, data, 'delta event');
    // A server that skips `output_item.added` still gets its text through; a tool call cannot (no name).
    const part = parts.get(ev.output_index) ?? (kind === 'text' ? open(out, ev.output_index, 'text') : undefined);
    if (!part || part.kind !== kind || ev.delta === '') return;
    part.streamed = true;
    out.push(
      kind === 'text'
        ? { type: 'text_delta', index: part.index, text: ev.delta }
        : { type: 'tool_call_delta', index: part.index, partialJson: ev.delta },
    );
  }

  function itemDone(out: StreamEvent[], data: unknown): void {
    const ev = parseUpstream(ItemEvent, data, 'output_item.done event');
    const part = parts.get(ev.output_index);
    if (!part || part.ended) return;
    if (!part.streamed) {
      if (part.kind === 'text') {
        const text = parseUpstream(OutputMessage, ev.item, 'output message')
          .content.map((c) => (c.type === 'output_text' ? c.text : c.refusal))
          .join('');
        if (text !== '') out.push({ type: 'text_delta', index: part.index, text });
      } else {
        const args = parseUpstream(OutputFunctionCall, ev.item, 'function call').arguments;
        if (args !== '') out.push({ type: 'tool_call_delta', index: part.index, partialJson: args });
      }
    }
    part.ended = true;
    out.push({ type: 'part_end', index: part.index });
  }

  function finish(out: StreamEvent[], data: unknown): void {
    const { response: r } = parseUpstream(ResponseEvent, data, 'terminal event');
    start(out, r);
    for (const part of parts.values()) {
      if (part.ended) continue;
      part.ended = true;
      out.push({ type: 'part_end', index: part.index });
    }
    out.push({
      type: 'finish',
      stopReason: refused ? 'content_filter' : stopReasonOf(r.status, r.incomplete_details?.reason, calledTools),
      usage: r.usage ? fromResponsesUsage(r.usage) : { inputTokens: 0, outputTokens: 0 },
    });
  }

  return {
    decode(sse: SseEvent): StreamEvent[] {
      const data = parseUpstreamJson(sse.data, 'stream event');
      const { type } = parseUpstream(StreamEventEnvelope, data, 'stream event');
      const out: StreamEvent[] = [];
      switch (type) {
        case 'response.created':
          start(out, parseUpstream(ResponseEvent, data, 'response.created event').response);
          return out;
        case 'response.output_item.added':
          start(out);
          itemAdded(out, data);
          return out;
        case 'response.output_text.delta':
        case 'response.refusal.delta':
        case 'response.function_call_arguments.delta':
          if (type === 'response.refusal.delta') refused = true;
          start(out);
          delta(out, data, type === 'response.function_call_arguments.delta' ? 'tool' : 'text');
          return out;
        case 'response.output_item.done':
          itemDone(out, data);
          return out;
        case 'response.completed':
        case 'response.incomplete':
          finish(out, data);
          return out;
        case 'response.failed': {
          const { response } = parseUpstream(ResponseEvent, data, 'response.failed event');
          return [{ type: 'error', error: decodeResponseFailure(response.error ?? {}) }];
        }
        case 'error': {
          const ev = parseUpstream(ErrorEvent, data, 'error event');
          return [{ type: 'error', error: decodeResponseFailure(ev.error ?? ev) }];
        }
        default:
          return out;
      }
    },
  };
}
