import type { StreamEvent } from '../canonical.js';
import type { StreamEncoder, StreamEncoderOptions } from '../codec.js';
import { sseJson } from '../sse.js';
import { encodeOpenAiError } from './errors.js';
import { toFinishReason } from './stop-reason.js';
import { toOpenAiUsage } from './usage.js';

/** Canonical events -> chat.completion.chunk SSE, ending in `data: [DONE]`. */
export function createOpenAiStreamEncoder(model: string, opts: StreamEncoderOptions = {}): StreamEncoder {
  let id = '';
  let created = 0;
  let fingerprint: string | undefined;
  const toolIndex = new Map<number, number>();

  function chunk(delta: Record<string, unknown>, finishReason: string | null = null): string {
    return sseJson({
      id,
      object: 'chat.completion.chunk',
      created,
      model,
      ...(fingerprint !== undefined ? { system_fingerprint: fingerprint } : {}),
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
      ...(opts.includeUsage ? { usage: null } : {}),
    });
  }

  return {
    encode(ev: StreamEvent): string {
      switch (ev.type) {
        case 'start':
          id = ev.id;
          created = ev.created;
          fingerprint = ev.systemFingerprint;
          return chunk({ role: 'assistant', content: '' });
        case 'text_delta':
          return chunk({ content: ev.text });
        case 'tool_call_start': {
          const index = toolIndex.size;
          toolIndex.set(ev.index, index);
          return chunk({
            tool_calls: [{ index, id: ev.id, type: 'function', function: { name: ev.name, arguments: '' } }],
          });
        }
        case 'tool_call_delta':
          return chunk({
            tool_calls: [{ index: toolIndex.get(ev.index) ?? 0, function: { arguments: ev.partialJson } }],
          });
        case 'part_end':
        case 'thinking_delta':
        case 'signature':
          // Chat Completions has no field for reasoning text or signatures (docs/wire.md).
          return '';
        case 'finish': {
          if (ev.systemFingerprint !== undefined) fingerprint = ev.systemFingerprint;
          const last = chunk({}, toFinishReason(ev.stopReason));
          if (!opts.includeUsage) return last;
          return (
            last +
            sseJson({
              id,
              object: 'chat.completion.chunk',
              created,
              model,
              ...(fingerprint !== undefined ? { system_fingerprint: fingerprint } : {}),
              choices: [],
              usage: toOpenAiUsage(ev.usage),
            })
          );
        }
        case 'error':
          return sseJson(encodeOpenAiError(ev.error).body);
      }
    },
    end: () => 'data: [DONE]\n\n',
  };
}
