/**
 * Properties of the Responses codec: a request an SDK app writes decodes to the canonical request it
 * came from; a streamed answer, split anywhere and replayed event by event, builds exactly the
 * `response` the plain answer returns; and the `response` carries the canonical answer back.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ProviderError } from '../../../src/core/errors.js';
import { responseToEvents } from '../../../src/wire/assemble.js';
import type { CanonicalRequest, CanonicalResponse, StopReason, StreamEvent } from '../../../src/wire/canonical.js';
import { clientCodecs } from '../../../src/wire/registry.js';
import { createSseParser } from '../../../src/wire/sse.js';
import { canonicalRequest, canonicalResponse } from '../arbitraries.js';
import { encodeResponsesRequest } from './encode-request.js';
import { splitRandomly } from '../split-randomly.js';

const RUNS = { numRuns: 150 };
const codec = clientCodecs['openai-responses'];

/** Responses requests carry what Chat Completions requests do, minus `stop`, `seed` and the penalties. */
const responsesRequest = canonicalRequest('openai').map((r) => {
  const out: CanonicalRequest = { ...r };
  delete out.stop;
  delete out.seed;
  delete out.presencePenalty;
  delete out.frequencyPenalty;
  // Usage always arrives in `response.completed`: there is no include_usage switch to decode.
  delete out.streamUsage;
  return out;
});

const stopReason = fc.constantFrom<StopReason>(
  'end_turn',
  'tool_use',
  'max_tokens',
  'content_filter',
  'stop_sequence',
  'other',
  'error',
);
/** Any order of text and tool parts (Anthropic's caps), any stop reason. */
const answer = (stream: boolean) =>
  fc.tuple(canonicalResponse('anthropic', { stream }), stopReason).map(([res, stop]): CanonicalResponse => {
    const out = { ...res, stopReason: stop };
    delete out.stopSequence;
    return out;
  });

type Ev = Record<string, unknown> & { type: string; sequence_number: number };

function streamEvents(
  events: StreamEvent[],
  cuts: number[],
  request?: CanonicalRequest,
): Array<{ name: string | undefined; data: Ev }> {
  const enc = codec.createStreamEncoder('client-model', request ? { request } : {});
  const text = events.map((e) => enc.encode(e)).join('') + enc.end();
  const parser = createSseParser();
  const out = splitRandomly(text, cuts).flatMap((c) => parser.push(c));
  out.push(...parser.flush());
  return out.map((e) => ({ name: e.event, data: JSON.parse(e.data) as Ev }));
}

type Item = Record<string, unknown> & { type: string; content?: Array<Record<string, unknown>>; arguments?: string };

/**
 * A strict client: applies each event to its snapshot the way the SDKs do, and checks every
 * `.done` event against what the deltas built.
 */
function replay(events: Ev[]): Item[] {
  const output: Item[] = [];
  for (const ev of events) {
    const at = ev.output_index as number;
    switch (ev.type) {
      case 'response.output_item.added':
        expect(at).toBe(output.length);
        output.push(structuredClone(ev.item) as Item);
        break;
      case 'response.content_part.added':
        output[at]?.content?.push(structuredClone(ev.part) as Record<string, unknown>);
        break;
      case 'response.output_text.delta': {
        const part = output[at]?.content?.[ev.content_index as number];
        if (!part) throw new Error('delta before its content part');
        part.text = (part.text as string) + (ev.delta as string);
        break;
      }
      case 'response.output_text.done':
        expect(output[at]?.content?.[ev.content_index as number]?.text).toBe(ev.text);
        break;
      case 'response.function_call_arguments.delta':
        (output[at] as Item).arguments = ((output[at] as Item).arguments ?? '') + (ev.delta as string);
        break;
      case 'response.function_call_arguments.done':
        expect(output[at]?.arguments).toBe(ev.arguments);
        break;
      case 'response.output_item.done': {
        const done = ev.item as Item;
        expect({ ...done, status: 'x' }).toEqual({ ...output[at], status: 'x' });
        output[at] = structuredClone(done);
        break;
      }
    }
  }
  return output;
}

describe('OpenAI Responses codec round trips', () => {
  it('request: an SDK-style body decodes to the canonical request it was written from', () => {
    fc.assert(
      fc.property(responsesRequest, (req) => {
        const body = JSON.parse(JSON.stringify(encodeResponsesRequest(req))) as unknown;
        expect(codec.decodeRequest(body)).toEqual(req);
      }),
      RUNS,
    );
  });

  it('response: the plain answer carries the canonical content, stop and usage', () => {
    fc.assert(
      fc.property(answer(false), (res) => {
        const body = JSON.parse(JSON.stringify(codec.encodeResponse(res, 'client-model'))) as {
          id: string;
          model: string;
          created_at: number;
          status: string;
          incomplete_details: { reason: string } | null;
          output: Item[];
          usage: {
            input_tokens: number;
            output_tokens: number;
            total_tokens: number;
            input_tokens_details: { cached_tokens: number };
          };
        };
        expect(body.id).toBe(`resp_${res.id}`);
        expect(body.model).toBe('client-model');
        expect(body.created_at).toBe(res.created);
        const content = body.output.map((item) =>
          item.type === 'message'
            ? { type: 'text', text: item.content?.map((p) => p.text).join('') }
            : {
                type: 'tool_use',
                id: item.call_id,
                name: item.name,
                input: JSON.parse(item.arguments ?? '') as unknown,
              },
        );
        expect(content).toEqual(res.content);
        const want =
          { max_tokens: 'incomplete', content_filter: 'incomplete', error: 'failed' }[res.stopReason as string] ??
          'completed';
        expect(body.status).toBe(want);
        expect(body.incomplete_details?.reason ?? null).toBe(
          res.stopReason === 'max_tokens'
            ? 'max_output_tokens'
            : res.stopReason === 'content_filter'
              ? 'content_filter'
              : null,
        );
        expect(body.usage).toMatchObject({
          input_tokens: res.usage.inputTokens,
          output_tokens: res.usage.outputTokens,
          total_tokens: res.usage.inputTokens + res.usage.outputTokens,
          input_tokens_details: { cached_tokens: res.usage.cachedInputTokens ?? 0 },
        });
      }),
      RUNS,
    );
  });

  it('stream: events split anywhere replay to exactly the response the plain answer returns', () => {
    fc.assert(
      fc.property(
        answer(true),
        responsesRequest,
        fc.array(fc.nat(), { maxLength: 12 }),
        fc.integer({ min: 1, max: 9 }),
        (res, req, cuts, size) => {
          const events = streamEvents(responseToEvents(res, size), cuts, req);
          const data = events.map((e) => e.data);
          // SSE event names are the event types; sequence numbers count from 0 without gaps.
          for (const e of events) expect(e.name).toBe(e.data.type);
          expect(data.map((d) => d.sequence_number)).toEqual(data.map((_, i) => i));
          expect(data.slice(0, 2).map((d) => d.type)).toEqual(['response.created', 'response.in_progress']);
          const terminal = data.filter((d) =>
            ['response.completed', 'response.incomplete', 'response.failed'].includes(d.type),
          );
          expect(terminal).toHaveLength(1);
          expect(data.at(-1)).toBe(terminal[0]);
          expect(data.some((d) => d.type === 'error')).toBe(false);

          const plain = JSON.parse(JSON.stringify(codec.encodeResponse(res, 'client-model', req))) as {
            status: string;
            output: Item[];
          };
          expect(terminal[0]?.type).toBe(`response.${plain.status}`);
          expect(terminal[0]?.response).toEqual(plain);
          expect(replay(data)).toEqual(plain.output);
        },
      ),
      RUNS,
    );
  });

  it('stream: a failure after any number of events ends with `error` then `response.failed`, never a finish', () => {
    fc.assert(
      fc.property(answer(true), fc.nat(), fc.array(fc.nat(), { maxLength: 6 }), (res, at, cuts) => {
        const all = responseToEvents(res, 3).filter((e) => e.type !== 'finish');
        const cut = [
          ...all.slice(0, 1 + (at % all.length)),
          {
            type: 'error' as const,
            error: new ProviderError('stream_cut', 'upstream stream ended before its finish event'),
          },
        ];
        const data = streamEvents(cut, cuts).map((e) => e.data);
        expect(data.map((d) => d.type).slice(-2)).toEqual(['error', 'response.failed']);
        expect(data.filter((d) => d.type === 'response.completed' || d.type === 'response.incomplete')).toEqual([]);
        const error = data.at(-2) as Ev;
        expect(error).toMatchObject({
          code: 'stream_cut',
          message: 'upstream stream ended before its finish event',
          param: null,
          error: { type: 'server_error', code: 'stream_cut' },
        });
        const failed = (data.at(-1) as Ev).response as { status: string; error: unknown; output: Item[] };
        expect(failed.status).toBe('failed');
        expect(failed.error).toEqual({
          code: 'server_error',
          message: 'upstream stream ended before its finish event',
        });
        // What had been streamed is in the failed response, nothing more; items left open are `incomplete`.
        const replayed = replay(data);
        const anyStatus = (items: Item[]) => items.map((i) => ({ ...i, status: 'any' }));
        expect(anyStatus(failed.output)).toEqual(anyStatus(replayed));
        failed.output.forEach((item, i) =>
          expect(item.status).toBe(replayed[i]?.status === 'in_progress' ? 'incomplete' : 'completed'),
        );
      }),
      RUNS,
    );
  });
});
