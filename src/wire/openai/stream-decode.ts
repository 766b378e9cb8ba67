import type { StopReason, StreamEvent, Usage } from '../canonical.js';
import type { SseEvent, StreamDecoder } from '../codec.js';
import { parseUpstream, parseUpstreamJson } from '../shared/validate.js';
import { decodeOpenAiError } from './errors.js';
import { ChatChunk } from './schemas.js';
import { fromFinishReason } from './stop-reason.js';
import { fromOpenAiUsage } from './usage.js';

/**
 * chat.completion.chunk events -> canonical events. `finish` waits for the usage chunk
 * (requested upstream with `stream_options.include_usage`) or for `[DONE]`.
 */
export function createOpenAiStreamDecoder(): StreamDecoder {
  let started = false;
  let finished = false;
  let next = 0;
  let textIndex: number | undefined;
  let refused = false;
  const tools = new Map<number, number>();
  const open: number[] = [];
  let finishReason: StopReason | undefined;
  let usage: Usage | undefined;
  let fingerprint: string | undefined;

  function closeParts(out: StreamEvent[]): void {
    for (const index of open.splice(0)) out.push({ type: 'part_end', index });
  }
  function finish(out: StreamEvent[]): void {
    if (finished || finishReason === undefined) return;
    finished = true;
    closeParts(out);
    out.push({
      type: 'finish',
      stopReason: refused ? 'content_filter' : finishReason,
      usage: usage ?? { inputTokens: 0, outputTokens: 0 },
      ...(fingerprint ? { systemFingerprint: fingerprint } : {}),
    });
  }

  return {
    decode(ev: SseEvent): StreamEvent[] {
      const out: StreamEvent[] = [];
      if (ev.data.trim() === '[DONE]') {
        finish(out);
        return out;
      }
      const json = parseUpstreamJson(ev.data, 'stream chunk');
      if (json !== null && typeof json === 'object' && 'error' in json) {
        return [{ type: 'error', error: decodeOpenAiError(200, json, {}) }];
      }
      const c = parseUpstream(ChatChunk, json, 'stream chunk');
      if (c.system_fingerprint) fingerprint = c.system_fingerprint;
      if (!started) {
        started = true;
        out.push({
          type: 'start',
          id: c.id,
          model: c.model,
          created: c.created,
          ...(fingerprint ? { systemFingerprint: fingerprint } : {}),
        });
      }
      const choice = c.choices.find((ch) => (ch.index ?? 0) === 0);
      const delta = choice?.delta;
      const text = (delta?.content ?? '') + (delta?.refusal ?? '');
      if (delta?.refusal) refused = true;
      if (text !== '') {
        if (textIndex === undefined) {
          textIndex = next++;
          open.push(textIndex);
        }
        out.push({ type: 'text_delta', index: textIndex, text });
      }
      for (const tc of delta?.tool_calls ?? []) {
        let index = tools.get(tc.index);
        if (index === undefined) {
          index = next++;
          tools.set(tc.index, index);
          open.push(index);
          out.push({ type: 'tool_call_start', index, id: tc.id ?? '', name: tc.function?.name ?? '' });
        }
        const args = tc.function?.arguments;
        if (args) out.push({ type: 'tool_call_delta', index, partialJson: args });
      }
      if (choice?.finish_reason) {
        finishReason = fromFinishReason(choice.finish_reason);
        closeParts(out);
      }
      if (c.usage) {
        usage = fromOpenAiUsage(c.usage);
        finish(out);
      }
      return out;
    },
  };
}
