import type { StreamEvent } from '../canonical.js';
import type { StreamEncoder } from '../codec.js';
import { sseJson } from '../sse.js';
import { anthropicErrorBody } from './errors.js';
import { toAnthropicUsage, toStopReason } from './mapping.js';

function ev(type: string, payload: Record<string, unknown>): string {
  return sseJson({ type, ...payload }, type);
}

/** Canonical events -> Messages stream events (message_start … message_stop). */
export function createAnthropicStreamEncoder(model: string): StreamEncoder {
  const blocks = new Map<number, number>();
  const thinking = new Set<number>();
  /** Canonical indexes not sent at all (redacted reasoning another provider signed). */
  const skipped = new Set<number>();
  const open = new Set<number>();
  let count = 0;

  function startBlock(canonical: number, block: Record<string, unknown>): string {
    const i = count++;
    blocks.set(canonical, i);
    open.add(i);
    return ev('content_block_start', { index: i, content_block: block });
  }
  function stopBlock(i: number): string {
    if (!open.delete(i)) return '';
    return ev('content_block_stop', { index: i });
  }

  return {
    encode(e: StreamEvent): string {
      switch (e.type) {
        case 'start':
          return (
            ev('message_start', {
              message: {
                id: e.id,
                type: 'message',
                role: 'assistant',
                model,
                content: [],
                stop_reason: null,
                stop_sequence: null,
                usage: { input_tokens: e.inputTokens ?? 0, output_tokens: 0 },
              },
            }) + ev('ping', {})
          );
        case 'text_delta': {
          let out = '';
          let i = blocks.get(e.index);
          if (i === undefined) {
            out += startBlock(e.index, { type: 'text', text: '' });
            i = blocks.get(e.index) as number;
          }
          return out + ev('content_block_delta', { index: i, delta: { type: 'text_delta', text: e.text } });
        }
        case 'thinking_delta': {
          let out = '';
          let i = blocks.get(e.index);
          if (i === undefined) {
            out += startBlock(e.index, { type: 'thinking', thinking: '', signature: '' });
            thinking.add(e.index);
            i = blocks.get(e.index) as number;
          }
          return e.text === ''
            ? out
            : out + ev('content_block_delta', { index: i, delta: { type: 'thinking_delta', thinking: e.text } });
        }
        case 'signature': {
          // Other providers' signatures mean nothing to Anthropic: their reasoning is shown unsigned.
          const own = e.signature.format === 'anthropic';
          const i = blocks.get(e.index);
          if (i === undefined) {
            if (skipped.has(e.index)) return '';
            if (e.redacted) {
              if (!own) {
                skipped.add(e.index);
                return '';
              }
              return startBlock(e.index, { type: 'redacted_thinking', data: e.signature.value });
            }
            thinking.add(e.index);
            const start = startBlock(e.index, { type: 'thinking', thinking: '', signature: '' });
            return own
              ? start +
                  ev('content_block_delta', {
                    index: blocks.get(e.index),
                    delta: { type: 'signature_delta', signature: e.signature.value },
                  })
              : start;
          }
          if (!own || !thinking.has(e.index)) return '';
          return ev('content_block_delta', {
            index: i,
            delta: { type: 'signature_delta', signature: e.signature.value },
          });
        }
        case 'tool_call_start':
          return startBlock(e.index, { type: 'tool_use', id: e.id, name: e.name, input: {} });
        case 'tool_call_delta': {
          const i = blocks.get(e.index);
          return i === undefined
            ? ''
            : ev('content_block_delta', { index: i, delta: { type: 'input_json_delta', partial_json: e.partialJson } });
        }
        case 'part_end': {
          const i = blocks.get(e.index);
          return i === undefined ? '' : stopBlock(i);
        }
        case 'finish': {
          let out = '';
          for (const i of [...open]) out += stopBlock(i);
          out += ev('message_delta', {
            delta: { stop_reason: toStopReason(e.stopReason), stop_sequence: e.stopSequence ?? null },
            usage: toAnthropicUsage(e.usage),
          });
          return out + ev('message_stop', {});
        }
        case 'error':
          return sseJson(anthropicErrorBody(e.error), 'error');
      }
    },
    end: () => '',
  };
}
