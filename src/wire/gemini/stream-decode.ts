import type { StreamEvent, Usage } from '../canonical.js';
import type { SseEvent, StreamDecoder } from '../codec.js';
import { parseUpstream, parseUpstreamJson } from '../shared/validate.js';
import { decodeGeminiError } from './errors.js';
import { createdFrom, fromFinishReason, fromUsageMetadata } from './mapping.js';
import { partFrom } from './response-decode.js';
import { GenerateContentResponse } from './schemas.js';

/**
 * `alt=sse` events (each a GenerateContentResponse) -> canonical events. Function calls
 * arrive whole, so each becomes start + one delta + end; `finish` comes with the chunk
 * that carries `finishReason`.
 */
export function createGeminiStreamDecoder(): StreamDecoder {
  let started = false;
  let finished = false;
  let next = 0;
  let textIndex: number | undefined;
  let calls = 0;
  let usage: Usage | undefined;

  return {
    decode(ev: SseEvent): StreamEvent[] {
      const json = parseUpstreamJson(ev.data, 'stream event');
      const unwrapped = Array.isArray(json) && json.length === 1 ? (json[0] as unknown) : json;
      if (unwrapped !== null && typeof unwrapped === 'object' && 'error' in unwrapped) {
        return [{ type: 'error', error: decodeGeminiError(200, unwrapped, {}) }];
      }
      const r = parseUpstream(GenerateContentResponse, unwrapped, 'stream event');
      const out: StreamEvent[] = [];
      if (finished) return out;
      if (r.usageMetadata) usage = fromUsageMetadata(r.usageMetadata);
      if (!started) {
        started = true;
        out.push({
          type: 'start',
          id: r.responseId ?? '',
          model: r.modelVersion ?? '',
          created: createdFrom(r.createTime),
          ...(r.usageMetadata?.promptTokenCount !== undefined ? { inputTokens: r.usageMetadata.promptTokenCount } : {}),
        });
      }
      const cand = r.candidates?.[0];
      for (const p of cand?.content?.parts ?? []) {
        const part = partFrom(p, calls);
        if (!part) continue;
        if (part.type === 'text') {
          if (part.text === '') continue;
          if (textIndex === undefined) textIndex = next++;
          out.push({ type: 'text_delta', index: textIndex, text: part.text });
          continue;
        }
        if (textIndex !== undefined) out.push({ type: 'part_end', index: textIndex });
        textIndex = undefined;
        calls++;
        const index = next++;
        out.push({ type: 'tool_call_start', index, id: part.id, name: part.name });
        out.push({ type: 'tool_call_delta', index, partialJson: JSON.stringify(part.input) });
        out.push({ type: 'part_end', index });
      }
      const blocked = !cand && r.promptFeedback?.blockReason !== undefined;
      if (cand?.finishReason || blocked) {
        finished = true;
        if (textIndex !== undefined) out.push({ type: 'part_end', index: textIndex });
        out.push({
          type: 'finish',
          stopReason: blocked ? 'content_filter' : fromFinishReason(cand?.finishReason, calls > 0),
          usage: usage ?? { inputTokens: 0, outputTokens: 0 },
        });
      }
      return out;
    },
  };
}
