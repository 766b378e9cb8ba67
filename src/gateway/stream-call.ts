/**
 * Streamed answers. Fallback is possible only until the first event arrived (inside the
 * dispatcher); after headers are sent a failure ends the stream with the client format's
 * error event, never with a clean-looking finish.
 */
import type { ServerResponse } from 'node:http';
import { ProviderError, toModelpinError, type ModelpinError } from '../core/errors.js';
import { targetRef } from '../config/target.js';
import type { StreamEvent } from '../wire/canonical.js';
import type { ClientCodec } from '../wire/codec.js';
import type { OpenedStream } from '../routing/execute.js';
import type { CallDeps, CallScope } from './call-scope.js';
import { finishCall, overhead } from './call-scope.js';
import { routingHeaders } from './usage-record.js';
import { createStreamCollector } from './stream-collect.js';

/** Part of a stream: the canonical events it carries and the text the client receives for them. */
export interface StreamItem {
  events: StreamEvent[];
  out: string;
}

/** An opened stream, whichever way it is relayed (translated event by event, or passed through). */
export interface StreamSource {
  /** Read before the headers are sent: it carries the `start` event. */
  first: StreamItem;
  rest: AsyncIterator<StreamItem>;
  /** What closes a stream that finished cleanly. */
  end(): string;
  /** The client format's error event. */
  error(err: ModelpinError): string;
  cancel(): void;
}

export async function runStream(
  res: ServerResponse,
  codec: ClientCodec,
  scope: CallScope,
  deps: CallDeps,
  signal: AbortSignal,
): Promise<void> {
  const request = scope.request;
  const plan = scope.plan;
  if (!request || !plan) throw new Error('stream without a planned request');
  const { stream } = await deps.runtime().dispatcher.stream(request, plan.targets, { signal, trace: scope.trace });
  await relayStream(res, scope, deps, signal, translatedSource(stream, codec, scope));
}

/** Canonical events encoded one by one in the client's format. */
export function translatedSource(stream: OpenedStream, codec: ClientCodec, scope: CallScope): StreamSource {
  const request = scope.request;
  const encoder = codec.createStreamEncoder(request?.model ?? scope.requested, {
    includeUsage: request?.streamUsage === true,
    ...(request ? { request } : {}),
  });
  return {
    first: { events: [stream.first], out: encoder.encode(stream.first) },
    rest: encodedRest(stream, encoder),
    end: () => encoder.end(),
    error: (err) => encoder.encode({ type: 'error', error: err }),
    cancel: () => stream.upstream.cancel(),
  };
}

/**
 * The events after the first, encoded. At module level, not inside `translatedSource`: a generator function
 * made per call gives its generator objects a hidden class of their own each time.
 */
async function* encodedRest(
  stream: OpenedStream,
  encoder: ReturnType<ClientCodec['createStreamEncoder']>,
): AsyncGenerator<StreamItem> {
  for (;;) {
    const next = await stream.rest.next();
    if (next.done) return;
    const ev = next.value;
    // An error event ends the relay before anything is written for it.
    yield { events: [ev], out: ev.type === 'error' ? '' : encoder.encode(ev) };
  }
}

export async function relayStream(
  res: ServerResponse,
  scope: CallScope,
  deps: CallDeps,
  signal: AbortSignal,
  source: StreamSource,
): Promise<void> {
  const plan = scope.plan;
  if (!plan) throw new Error('stream without a planned request');
  const collector = createStreamCollector();
  let finished = false;
  const onEvents = (events: StreamEvent[]): void => {
    for (const ev of events) {
      if (ev.type === 'error') throw ev.error;
      collector.add(ev);
      if (ev.type === 'start') {
        scope.servedModel = ev.model;
        scope.fingerprint = ev.systemFingerprint ?? null;
      } else if (
        (ev.type === 'text_delta' || ev.type === 'thinking_delta' || ev.type === 'tool_call_start') &&
        scope.ttftMs === null
      ) {
        scope.ttftMs = Math.round((deps.now() - scope.t0) * 1000) / 1000;
      } else if (ev.type === 'finish') {
        finished = true;
        scope.usage = ev.usage;
        if (ev.systemFingerprint !== undefined) scope.fingerprint = ev.systemFingerprint;
      }
    }
  };
  let failure: ModelpinError | null = null;
  try {
    onEvents(source.first.events);
  } catch (e) {
    failure = toModelpinError(e);
  }
  scope.overheadMs = overhead(scope, deps);
  // Completed in place, not spread into a new object: see the upstream body in src/wire/openai/forward.ts.
  const headers = routingHeaders(plan, scope.trace, scope.servedModel, scope.overheadMs);
  headers['content-type'] = 'text/event-stream; charset=utf-8';
  headers['cache-control'] = 'no-cache';
  // During a shutdown drain the answer already says `Connection: close`: keep it.
  if (!res.hasHeader('connection')) headers.connection = 'keep-alive';
  res.writeHead(200, headers);
  const onClose = (): void => source.cancel();
  res.on('close', onClose);
  try {
    if (failure) throw failure;
    await write(res, source.first.out);
    for (;;) {
      const next = await source.rest.next();
      if (next.done) break;
      onEvents(next.value.events);
      await write(res, next.value.out);
    }
    if (!finished && !signal.aborted)
      throw new ProviderError('stream_cut', 'upstream stream ended before its finish event', {
        provider: scope.trace.target?.provider,
      });
  } catch (e) {
    failure = toModelpinError(e);
  } finally {
    res.off('close', onClose);
  }
  if (signal.aborted) {
    source.cancel();
    finishCall(scope, deps, 499, failure);
    return;
  }
  if (failure) {
    source.cancel();
    // Failures before the first event were reported by the dispatcher; this one came mid-stream.
    const target = scope.trace.target;
    if (target)
      deps.runtime().dispatcher.events.upstreamError({
        target: targetRef(target),
        code: failure.code,
        status: failure.status,
        message: failure.message,
      });
    if (!res.writableEnded) res.end(source.error(failure));
    finishCall(scope, deps, failure.status, failure);
    return;
  }
  res.end(source.end());
  scope.response = collector.response();
  finishCall(scope, deps, 200, null);
}

/** Respect backpressure: a slow client must not make the gateway buffer a whole answer. */
function write(res: ServerResponse, chunk: string): Promise<void> | void {
  if (chunk === '' || res.writableEnded || res.destroyed) return;
  if (res.write(chunk)) return;
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}
