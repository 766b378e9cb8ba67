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
  let thoughtIndex: number | undefined;
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
      const endText = () => {
        if (textIndex !== undefined) out.push({ type: 'part_end', index: textIndex });
        textIndex = undefined;
      };
      const endThought = () => {
        if (thoughtIndex !== undefined) out.push({ type: 'part_end', index: thoughtIndex });
        thoughtIndex = undefined;
      };
      for (const p of cand?.content?.parts ?? []) {
        const part = partFrom(p, calls);
        if (!part) continue;
        if (part.type === 'thinking') {
          endText();
          if (thoughtIndex === undefined) thoughtIndex = next++;
          if (part.text !== '') out.push({ type: 'thinking_delta', index: thoughtIndex, text: part.text });
          if (part.signature && part.signature.value !== '')
            out.push({ type: 'signature', index: thoughtIndex, signature: part.signature });
          continue;
        }
        if (part.type === 'text') {
          if (part.text === '' && !part.signature) continue;
          endThought();
          if (textIndex === undefined) textIndex = next++;
          if (part.text !== '') out.push({ type: 'text_delta', index: textIndex, text: part.text });
          if (part.signature) out.push({ type: 'signature', index: textIndex, signature: part.signature });
          continue;
        }
        endText();
        endThought();
        calls++;
        const index = next++;
        out.push({ type: 'tool_call_start', index, id: part.id, name: part.name });
        out.push({ type: 'tool_call_delta', index, partialJson: JSON.stringify(part.input) });
        if (part.signature) out.push({ type: 'signature', index, signature: part.signature });
        out.push({ type: 'part_end', index });
      }
      const blocked = !cand && r.promptFeedback?.blockReason !== undefined;
      if (cand?.finishReason || blocked) {
        finished = true;
        endThought();
        endText();
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
