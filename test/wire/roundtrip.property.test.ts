import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assembleStream } from '../../src/wire/assemble.js';
import type { CanonicalRequest, CanonicalResponse, StreamEvent, WireFormat } from '../../src/wire/canonical.js';
import { WIRE_FORMATS } from '../../src/wire/canonical.js';
import type { SseEvent } from '../../src/wire/codec.js';
import { codecs } from '../../src/wire/registry.js';
import { createSseParser } from '../../src/wire/sse.js';
import { responseToEvents } from '../../src/wire/assemble.js';
import { canonicalRequest, canonicalResponse } from './arbitraries.js';
import { splitRandomly } from './split-randomly.js';

const RUNS = { numRuns: 150 };

function viaFormat(format: WireFormat, req: CanonicalRequest): CanonicalRequest {
  const codec = codecs[format];
  const enc = codec.encodeRequest(req, req.model);
  // What a client sends and what a provider receives have the same shape: decode it back.
  const body = JSON.parse(JSON.stringify(enc.body)) as unknown;
  return codec.decodeRequest(
    body,
    format === 'gemini' ? { pathModel: req.model, stream: enc.path.includes(':streamGenerateContent') } : {},
  );
}

function throughStream(format: WireFormat, events: StreamEvent[], cuts: number[], model: string): StreamEvent[] {
  const codec = codecs[format];
  const enc = codec.createStreamEncoder(model, { includeUsage: true });
  const text = events.map((e) => enc.encode(e)).join('') + enc.end();
  const parser = createSseParser();
  const sse: SseEvent[] = [];
  for (const chunk of splitRandomly(text, cuts)) sse.push(...parser.push(chunk));
  sse.push(...parser.flush());
  const dec = codec.createStreamDecoder();
  return sse.flatMap((e) => dec.decode(e));
}

/** What a format's response cannot carry, removed from the expectation. */
function expectedResponse(format: WireFormat, res: CanonicalResponse, model: string): CanonicalResponse {
  const out: CanonicalResponse = { ...res, model, usage: { ...res.usage } };
  if (format !== 'openai') delete out.systemFingerprint;
  if (format !== 'anthropic') delete out.usage.cacheCreationInputTokens;
  return out;
}

function mergeAdjacentText(content: CanonicalResponse['content']): CanonicalResponse['content'] {
  const out: CanonicalResponse['content'] = [];
  for (const p of content) {
    const last = out[out.length - 1];
    if (p.type === 'text' && last?.type === 'text') out[out.length - 1] = { type: 'text', text: last.text + p.text };
    else out.push(p);
  }
  return out;
}

describe.each(WIRE_FORMATS)('%s codec round trips', (format) => {
  it('request: encode -> decode returns the same canonical request', () => {
    fc.assert(
      fc.property(canonicalRequest(format), (req) => {
        expect(viaFormat(format, req)).toEqual(req);
      }),
      RUNS,
    );
  });

  it('response: encodeResponse -> decodeResponse returns the same canonical response', () => {
    fc.assert(
      fc.property(canonicalResponse(format), (res) => {
        const codec = codecs[format];
        const body = JSON.parse(JSON.stringify(codec.encodeResponse(res, 'client-model'))) as unknown;
        expect(codec.decodeResponse(body, {})).toEqual(expectedResponse(format, res, 'client-model'));
      }),
      RUNS,
    );
  });

  it('stream: encoder -> SSE text split anywhere -> parser -> decoder assembles the same response', () => {
    fc.assert(
      fc.property(
        canonicalResponse(format, { stream: true }),
        fc.array(fc.nat(), { maxLength: 12 }),
        fc.integer({ min: 1, max: 9 }),
        (res, cuts, size) => {
          const events = throughStream(format, responseToEvents(res, size), cuts, 'client-model');
          expect(events.filter((e) => e.type === 'finish')).toHaveLength(1);
          expect(events.at(-1)?.type).toBe('finish');
          const got = assembleStream(events);
          const want = expectedResponse(format, res, 'client-model');
          delete want.providerRequestId;
          if (format === 'gemini' || format === 'anthropic') want.created = 0;
          // Gemini streams carry no part boundaries between texts: adjacent text parts arrive as one.
          if (format === 'gemini') want.content = mergeAdjacentText(want.content);
          expect(got).toEqual(want);
        },
      ),
      RUNS,
    );
  });
});

describe('cross-format translation keeps what both sides express', () => {
  const pairs = WIRE_FORMATS.flatMap((a) => WIRE_FORMATS.filter((b) => b !== a).map((b) => [a, b] as const));
  it.each(pairs)('%s -> %s', (a, b) => {
    fc.assert(
      fc.property(canonicalRequest('all'), (req) => {
        // OpenAI always asks upstream for stream usage, so a decoded OpenAI stream request says so.
        const want = b === 'openai' && req.stream ? { ...req, streamUsage: true } : req;
        expect(viaFormat(b, viaFormat(a, req))).toEqual(want);
      }),
      RUNS,
    );
  });
});
