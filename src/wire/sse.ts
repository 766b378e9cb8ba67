import type { SseEvent } from './codec.js';

/**
 * Incremental server-sent-events parser (WHATWG event-stream rules): accepts text in
 * arbitrary chunks, so a line ending, a field or a CRLF pair may be split anywhere.
 */
export interface SseParser {
  /** Feed the next chunk; returns the events completed by it. */
  push(chunk: string): SseEvent[];
  /** End of input: an event without its trailing blank line is dispatched too. */
  flush(): SseEvent[];
}

export function createSseParser(): SseParser {
  let buffer = '';
  // A chunk that ended in CR may be followed by the LF of the same CRLF pair.
  let skipLeadingLf = false;
  let eventName: string | undefined;
  let data: string[] = [];
  let hasData = false;

  function dispatch(out: SseEvent[]): void {
    if (hasData)
      out.push(eventName === undefined ? { data: data.join('\n') } : { event: eventName, data: data.join('\n') });
    eventName = undefined;
    data = [];
    hasData = false;
  }

  function line(text: string, out: SseEvent[]): void {
    if (text === '') return dispatch(out);
    if (text.startsWith(':')) return;
    const colon = text.indexOf(':');
    const field = colon === -1 ? text : text.slice(0, colon);
    let value = colon === -1 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') eventName = value;
    else if (field === 'data') {
      data.push(value);
      hasData = true;
    }
    // `id` and `retry` carry nothing the codecs use.
  }

  return {
    push(chunk) {
      const out: SseEvent[] = [];
      let text = chunk;
      if (skipLeadingLf && text.startsWith('\n')) text = text.slice(1);
      skipLeadingLf = false;
      buffer += text;
      let start = 0;
      for (let i = 0; i < buffer.length; i++) {
        const c = buffer.charCodeAt(i);
        if (c !== 10 && c !== 13) continue;
        line(buffer.slice(start, i), out);
        if (c === 13) {
          if (i + 1 < buffer.length) {
            if (buffer.charCodeAt(i + 1) === 10) i++;
          } else skipLeadingLf = true;
        }
        start = i + 1;
      }
      buffer = buffer.slice(start);
      return out;
    },
    flush() {
      const out: SseEvent[] = [];
      if (buffer !== '') line(buffer, out);
      buffer = '';
      dispatch(out);
      return out;
    },
  };
}

/** One SSE event as text. Multi-line data is split over several `data:` lines. */
export function formatSse(ev: SseEvent): string {
  const head = ev.event === undefined ? '' : `event: ${ev.event}\n`;
  return (
    head +
    ev.data
      .split(/\r\n|\r|\n/)
      .map((l) => `data: ${l}\n`)
      .join('') +
    '\n'
  );
}

/** Shorthand for a JSON data event. */
export function sseJson(data: unknown, event?: string): string {
  return formatSse(event === undefined ? { data: JSON.stringify(data) } : { event, data: JSON.stringify(data) });
}
