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
import type { CallDeps, CallScope } from './call-scope.js';
import { finishCall, overhead } from './call-scope.js';
import { routingHeaders } from './usage-record.js';
import { createStreamCollector } from './stream-collect.js';

export async function runStream(res: ServerResponse, codec: ClientCodec, scope: CallScope, deps: CallDeps, signal: AbortSignal): Promise<void> {
  const request = scope.request;
  const plan = scope.plan;
  if (!request || !plan) throw new Error('stream without a planned request');
  const { stream } = await deps.runtime().dispatcher.stream(request, plan.targets, { signal, trace: scope.trace });
  const encoder = codec.createStreamEncoder(request.model, { includeUsage: request.streamUsage === true, request });
  const collector = createStreamCollector();
  let finished = false;
  const onEvent = (ev: StreamEvent): void => {
    collector.add(ev);
    if (ev.type === 'start') {
      scope.servedModel = ev.model;
      scope.fingerprint = ev.systemFingerprint ?? null;
    } else if ((ev.type === 'text_delta' || ev.type === 'thinking_delta' || ev.type === 'tool_call_start') && scope.ttftMs === null) {
      scope.ttftMs = Math.round((deps.now() - scope.t0) * 1000) / 1000;
    } else if (ev.type === 'finish') {
      finished = true;
      scope.usage = ev.usage;
      if (ev.systemFingerprint !== undefined) scope.fingerprint = ev.systemFingerprint;
    }
  };
  onEvent(stream.first);
  scope.overheadMs = overhead(scope, deps);
  res.writeHead(200, {
    ...routingHeaders(plan, scope.trace, scope.servedModel, scope.overheadMs),
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    // During a shutdown drain the answer already says `Connection: close`: keep it.
    ...(res.hasHeader('connection') ? {} : { connection: 'keep-alive' }),
  });
  const onClose = (): void => stream.upstream.cancel();
  res.on('close', onClose);
  let failure: ModelpinError | null = null;
  try {
    await write(res, encoder.encode(stream.first));
    for (;;) {
      const next = await stream.rest.next();
      if (next.done) break;
      const ev = next.value;
      if (ev.type === 'error') throw ev.error;
      onEvent(ev);
      await write(res, encoder.encode(ev));
    }
    if (!finished && !signal.aborted) throw new ProviderError('stream_cut', 'upstream stream ended before its finish event', { provider: scope.trace.target?.provider });
  } catch (e) {
    failure = toModelpinError(e);
  } finally {
    res.off('close', onClose);
  }
  if (signal.aborted) {
    stream.upstream.cancel();
    finishCall(scope, deps, 499, failure);
    return;
  }
  if (failure) {
    // Failures before the first event were reported by the dispatcher; this one came mid-stream.
    const target = scope.trace.target;
    if (target) deps.runtime().dispatcher.events.upstreamError({ target: targetRef(target), code: failure.code, status: failure.status, message: failure.message });
    if (!res.writableEnded) res.end(encoder.encode({ type: 'error', error: failure }));
    finishCall(scope, deps, failure.status, failure);
    return;
  }
  res.end(encoder.end());
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
