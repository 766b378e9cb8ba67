import { StringDecoder } from 'node:string_decoder';
import type { Clock } from '../../core/clock.js';
import { isModelpinError, ProviderError, type ModelpinError } from '../../core/errors.js';
import type { ClientWireFormat, StreamEvent } from '../../wire/canonical.js';
import type { WireCodec } from '../../wire/codec.js';
import { createSseParser } from '../../wire/sse.js';
import type { UpstreamStream } from '../types.js';
import type { RawResponse } from './client.js';
import type { Deadline } from './deadline.js';
import { localFault, networkError } from './net-errors.js';
import { getHeader } from '../../wire/shared/retry-after.js';

export interface OpenStreamArgs {
  res: RawResponse;
  deadline: Deadline;
  codec: WireCodec<ClientWireFormat>;
  model: string;
  clock: Clock;
  provider: string;
  timeoutMs: number | undefined;
  fail: (e: ModelpinError) => ModelpinError;
  /** Rewrites each decoded event (a forced answer tool's call becomes text); identity when absent. */
  transform?: (ev: StreamEvent) => StreamEvent[];
}

/**
 * Upstream SSE bytes -> canonical events. Ends with exactly one of `finish` or `error`:
 * a body that closes before the format's terminal event is reported as `stream_cut`.
 */
export function openEventStream(a: OpenStreamArgs): UpstreamStream {
  const requestId = getHeader(a.res.headers, 'request-id') ?? getHeader(a.res.headers, 'x-request-id');
  let cancelled = false;

  async function* events(): AsyncGenerator<StreamEvent> {
    const parser = createSseParser();
    const decoder = a.codec.createStreamDecoder();
    const text = new StringDecoder('utf8');
    let finished = false;
    let ended = false;

    function* handle(chunk: string, last = false): Generator<StreamEvent, boolean> {
      for (const sse of last ? [...parser.push(chunk), ...parser.flush()] : parser.push(chunk)) {
        if (finished) continue;
        let out: StreamEvent[];
        try {
          out = decoder.decode(sse);
          if (a.transform) out = out.flatMap(a.transform);
        } catch (e) {
          // Decoders raise typed errors for bad upstream bytes: anything else is our own bug, not the upstream's.
          yield { type: 'error', error: a.fail(isModelpinError(e) ? e : localFault(e, a.provider)) };
          return true;
        }
        for (const ev of out) {
          if (ev.type === 'start') {
            yield {
              ...ev,
              model: ev.model || a.model,
              created: ev.created || Math.floor(a.clock.now() / 1000),
              ...(requestId !== undefined || ev.providerRequestId !== undefined
                ? { providerRequestId: ev.providerRequestId ?? requestId }
                : {}),
            };
            continue;
          }
          if (ev.type === 'error') {
            yield { type: 'error', error: a.fail(ev.error) };
            return true;
          }
          yield ev;
          if (ev.type === 'finish') finished = true;
        }
      }
      return false;
    }

    try {
      for await (const buf of a.res.body) {
        a.deadline.rearm();
        if (yield* handle(text.write(buf))) return;
      }
      ended = true;
      if (yield* handle(text.end(), true)) return;
      if (!finished) {
        yield {
          type: 'error',
          error: a.fail(
            new ProviderError('stream_cut', `${a.provider}: stream ended before its final event`, {
              provider: a.provider,
            }),
          ),
        };
      }
    } catch (e) {
      if (finished || cancelled) return;
      const net = networkError(e, a.provider, a.deadline.state, a.timeoutMs);
      // A timeout or a local fault mid-stream keeps its code; any other transport failure after the headers is a cut stream.
      const err =
        net.code === 'timeout' || net.code === 'internal'
          ? net
          : new ProviderError(
              'stream_cut',
              `${a.provider}: stream interrupted (${net.message.replace(`${a.provider}: `, '')})`,
              { provider: a.provider },
            );
      yield { type: 'error', error: a.fail(err) };
    } finally {
      a.deadline.clear();
      // An unread body pins its pooled connection: drop it unless it was read to the end.
      if (!ended) a.res.body.destroy();
    }
  }

  const iterator = events();
  return {
    ...(requestId !== undefined ? { providerRequestId: requestId } : {}),
    [Symbol.asyncIterator]: () => iterator,
    cancel() {
      cancelled = true;
      a.deadline.abort();
      a.res.body.destroy();
      void iterator.return(undefined);
    },
  };
}
