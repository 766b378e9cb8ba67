import { ProviderError } from '../../core/errors.js';
import type { StreamEvent } from '../canonical.js';
import type { StreamEncoder } from '../codec.js';
import { sseJson } from '../sse.js';
import { geminiErrorBody } from './errors.js';
import { toFinishReason, toUsageMetadata } from './mapping.js';

/** Canonical events -> `alt=sse` GenerateContentResponse events. Function calls are sent whole at part end. */
export function createGeminiStreamEncoder(model: string): StreamEncoder {
  let responseId = '';
  const calls = new Map<number, { id: string; name: string; json: string; signature?: string }>();
  const thoughts = new Set<number>();
  /** Redacted reasoning from another provider: nothing Gemini could show. */
  const skipped = new Set<number>();

  function chunk(
    parts: Array<Record<string, unknown>>,
    extra: Record<string, unknown> = {},
    candidate: Record<string, unknown> = {},
  ): string {
    return sseJson({
      candidates: [{ content: { role: 'model', parts }, index: 0, ...candidate }],
      ...extra,
      modelVersion: model,
      responseId,
    });
  }

  return {
    encode(ev: StreamEvent): string {
      switch (ev.type) {
        case 'start':
          responseId = ev.id;
          return '';
        case 'text_delta':
          return chunk([{ text: ev.text }]);
        case 'thinking_delta':
          thoughts.add(ev.index);
          return chunk([{ text: ev.text, thought: true }]);
        case 'signature': {
          const own = ev.signature.format === 'gemini' && ev.signature.value !== '';
          const c = calls.get(ev.index);
          if (c) {
            if (own) c.signature = ev.signature.value;
            return '';
          }
          if (ev.redacted && !own) {
            skipped.add(ev.index);
            return '';
          }
          if (!own) return '';
          // Gemini sends a signature for streamed text in a part of its own, after the text.
          return chunk([
            {
              text: '',
              ...(thoughts.has(ev.index) || ev.redacted ? { thought: true } : {}),
              thoughtSignature: ev.signature.value,
            },
          ]);
        }
        case 'tool_call_start':
          calls.set(ev.index, { id: ev.id, name: ev.name, json: '' });
          return '';
        case 'tool_call_delta': {
          const c = calls.get(ev.index);
          if (c) c.json += ev.partialJson;
          return '';
        }
        case 'part_end': {
          const c = calls.get(ev.index);
          if (!c) return '';
          calls.delete(ev.index);
          let args: unknown;
          try {
            args = c.json.trim() === '' ? {} : JSON.parse(c.json);
          } catch {
            const err = new ProviderError('upstream_bad_response', `tool call ${c.name} arguments are not valid JSON`);
            return sseJson(geminiErrorBody(err).body);
          }
          return chunk([
            {
              functionCall: { id: c.id, name: c.name, args },
              ...(c.signature !== undefined ? { thoughtSignature: c.signature } : {}),
            },
          ]);
        }
        case 'finish':
          return chunk(
            [{ text: '' }],
            { usageMetadata: toUsageMetadata(ev.usage) },
            { finishReason: toFinishReason(ev.stopReason) },
          );
        case 'error':
          return sseJson(geminiErrorBody(ev.error).body);
      }
    },
    end: () => '',
  };
}
