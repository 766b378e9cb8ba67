/** A complete answer as canonical stream events; the finish event carries the same usage as the plain answer. */
import type { CanonicalResponse, StreamEvent } from '../wire/canonical.js';
import { chunkByTokens } from './tokenizer.js';

export function buildStreamEvents(res: CanonicalResponse, chunkTokens: number): StreamEvent[] {
  const events: StreamEvent[] = [
    {
      type: 'start',
      id: res.id,
      model: res.model,
      created: res.created,
      inputTokens: res.usage.inputTokens,
      ...(res.systemFingerprint !== undefined ? { systemFingerprint: res.systemFingerprint } : {}),
      ...(res.providerRequestId !== undefined ? { providerRequestId: res.providerRequestId } : {}),
    },
  ];
  res.content.forEach((part, index) => {
    if (part.type === 'text') {
      if (part.text !== '') for (const text of chunkByTokens(part.text, chunkTokens)) events.push({ type: 'text_delta', index, text });
    } else {
      events.push({ type: 'tool_call_start', index, id: part.id, name: part.name });
      const json = JSON.stringify(part.input);
      const step = Math.max(1, Math.ceil(json.length / 3));
      for (let i = 0; i < json.length; i += step) events.push({ type: 'tool_call_delta', index, partialJson: json.slice(i, i + step) });
    }
    events.push({ type: 'part_end', index });
  });
  events.push({
    type: 'finish',
    stopReason: res.stopReason,
    ...(res.stopSequence !== undefined ? { stopSequence: res.stopSequence } : {}),
    usage: res.usage,
    ...(res.systemFingerprint !== undefined ? { systemFingerprint: res.systemFingerprint } : {}),
  });
  return events;
}
