import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SseEvent } from '../../src/wire/codec.js';
import { createSseParser, formatSse } from '../../src/wire/sse.js';

function parseAll(chunks: string[]): SseEvent[] {
  const p = createSseParser();
  const out: SseEvent[] = [];
  for (const c of chunks) out.push(...p.push(c));
  out.push(...p.flush());
  return out;
}

describe('SSE parser', () => {
  it('handles CRLF, CR, comments, multi-line data, event names and field without space', () => {
    const text =
      ': keep-alive\r\nevent: message_start\r\ndata: {"a":\r\ndata: 1}\r\n\r\ndata:no-space\rid: 7\rretry: 10\r\r:comment only\n\nevent: x\n\n';
    expect(parseAll([text])).toEqual([{ event: 'message_start', data: '{"a":\n1}' }, { data: 'no-space' }]);
  });

  it('a CRLF split across chunks is one line ending', () => {
    expect(parseAll(['data: a\r', '\n\r', '\ndata: b\r\n\r\n'])).toEqual([{ data: 'a' }, { data: 'b' }]);
  });

  it('dispatches a final event without its trailing blank line on flush', () => {
    expect(parseAll(['data: [DONE]'])).toEqual([{ data: '[DONE]' }]);
  });

  it('is chunk-boundary independent (random splits) and inverts formatSse', () => {
    const event = fc.record({
      event: fc.option(fc.stringMatching(/^[a-z_]{1,12}$/), { nil: undefined }),
      data: fc.string({ maxLength: 30 }),
    });
    const newline = fc.constantFrom('\n', '\r\n', '\r');
    fc.assert(
      fc.property(
        fc.array(event, { maxLength: 6 }),
        fc.array(fc.nat(), { maxLength: 10 }),
        newline,
        (events, cuts, nl) => {
          const normalized = events.map((e) => ({
            ...(e.event !== undefined ? { event: e.event } : {}),
            data: e.data.replace(/\r\n|\r/g, '\n'),
          }));
          const text = events
            .map((e) => formatSse(e.event === undefined ? { data: e.data } : { event: e.event, data: e.data }))
            .join('')
            .replace(/\n/g, nl);
          const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
          const chunks: string[] = [];
          let last = 0;
          for (const p of points) {
            chunks.push(text.slice(last, p));
            last = p;
          }
          chunks.push(text.slice(last));
          expect(parseAll(chunks)).toEqual(normalized);
          expect(parseAll([text])).toEqual(normalized);
        },
      ),
      { numRuns: 300 },
    );
  });
});
