import type { StopReason, StreamEvent } from '../canonical.js';
import type { SseEvent, StreamDecoder } from '../codec.js';
import { parseUpstream, parseUpstreamJson } from '../shared/validate.js';
import { decodeAnthropicError } from './errors.js';
import { fromAnthropicUsage, fromStopReason } from './mapping.js';
import { StreamPayload, type AnthropicUsage } from './schemas.js';

/** Messages stream events -> canonical events; `finish` is emitted on `message_stop`. */
export function createAnthropicStreamDecoder(): StreamDecoder {
  const index = new Map<number, number>();
  let next = 0;
  const usage: AnthropicUsage = {};
  let stopReason: StopReason = 'other';
  let stopSequence: string | undefined;

  function merge(u: AnthropicUsage | null | undefined): void {
    if (!u) return;
    for (const [k, v] of Object.entries(u))
      if (v !== null && v !== undefined) (usage as Record<string, unknown>)[k] = v;
  }

  return {
    decode(ev: SseEvent): StreamEvent[] {
      const p = parseUpstream(StreamPayload, parseUpstreamJson(ev.data, 'stream event'), 'stream event');
      switch (p.type) {
        case 'message_start': {
          merge(p.message.usage);
          const start = fromAnthropicUsage(p.message.usage);
          return [
            { type: 'start', id: p.message.id, model: p.message.model, created: 0, inputTokens: start.inputTokens },
          ];
        }
        case 'content_block_start': {
          const b = p.content_block;
          const i = next++;
          index.set(p.index, i);
          if (b.type === 'redacted_thinking') {
            return [
              {
                type: 'signature',
                index: i,
                redacted: true,
                signature: { format: 'anthropic', value: (b as { data?: string }).data ?? '' },
              },
            ];
          }
          if (b.type === 'thinking') {
            const t = b as { thinking?: string; signature?: string };
            const out: StreamEvent[] = [{ type: 'thinking_delta', index: i, text: t.thinking ?? '' }];
            if (t.signature)
              out.push({ type: 'signature', index: i, signature: { format: 'anthropic', value: t.signature } });
            return out;
          }
          if (b.type === 'tool_use') {
            const t = b as { id: string; name: string };
            return [{ type: 'tool_call_start', index: i, id: t.id, name: t.name }];
          }
          const text = b.type === 'text' ? (b as { text: string }).text : '';
          return text ? [{ type: 'text_delta', index: i, text }] : [];
        }
        case 'content_block_delta': {
          const i = index.get(p.index);
          if (i === undefined) return [];
          const d = p.delta;
          if (d.type === 'text_delta') return [{ type: 'text_delta', index: i, text: (d as { text: string }).text }];
          if (d.type === 'input_json_delta')
            return [{ type: 'tool_call_delta', index: i, partialJson: (d as { partial_json: string }).partial_json }];
          if (d.type === 'thinking_delta')
            return [{ type: 'thinking_delta', index: i, text: (d as { thinking?: string }).thinking ?? '' }];
          if (d.type === 'signature_delta')
            return [
              {
                type: 'signature',
                index: i,
                signature: { format: 'anthropic', value: (d as { signature?: string }).signature ?? '' },
              },
            ];
          return [];
        }
        case 'content_block_stop': {
          const i = index.get(p.index);
          return i === undefined ? [] : [{ type: 'part_end', index: i }];
        }
        case 'message_delta':
          merge(p.usage);
          stopReason = fromStopReason(p.delta.stop_reason);
          stopSequence = p.delta.stop_sequence ?? undefined;
          return [];
        case 'message_stop':
          return [
            { type: 'finish', stopReason, ...(stopSequence ? { stopSequence } : {}), usage: fromAnthropicUsage(usage) },
          ];
        case 'ping':
          return [];
        case 'error':
          return [{ type: 'error', error: decodeAnthropicError(200, p, {}) }];
      }
    },
  };
}
