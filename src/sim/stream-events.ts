/** A complete answer as canonical stream events; the finish event carries the same usage as the plain answer. */
import type { CanonicalResponse, StreamEvent } from '../wire/canonical.js';
import { responseToEvents } from '../wire/assemble.js';
import { chunkByTokens } from '../core/tokenizer.js';

/** Text arrives `chunkTokens` tokens at a time; tool arguments in three deltas, as providers tend to send them. */
export function buildStreamEvents(res: CanonicalResponse, chunkTokens: number): StreamEvent[] {
  return responseToEvents(res, {
    text: (t) => (t === '' ? [] : chunkByTokens(t, chunkTokens)),
    json: (j) => {
      const step = Math.max(1, Math.ceil(j.length / 3));
      const out: string[] = [];
      for (let i = 0; i < j.length; i += step) out.push(j.slice(i, i + step));
      return out;
    },
  });
}
