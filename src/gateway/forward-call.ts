/**
 * The same-format fast path of a model call (see src/wire/forward.ts). The request was decoded
 * and validated exactly as on the translating path, and it is planned and dispatched through the
 * same fallback, retry, breaker and timing wrappers; only each attempt differs. A target called in
 * the client's own format gets the client's JSON with the target's model and params, and its answer
 * goes back as it came, with the model the client asked for. Any other target in the chain (a
 * fallback to another format) is called through translation, as without the fast path.
 */
import type { ServerResponse } from 'node:http';
import { ProviderError, RequestError, toModelpinError } from '../core/errors.js';
import type { Target } from '../config/target.js';
import type { CanonicalRequest, CanonicalResponse } from '../wire/canonical.js';
import type { ClientCodec } from '../wire/codec.js';
import { createSseParser } from '../wire/sse.js';
import type { ForwardAnswer, ForwardStream, ForwardWire } from '../wire/forward.js';
import { openStream, requestForTarget } from '../routing/execute.js';
import type { CallOptions, ProviderClient, RawCall, RawStream } from '../providers/types.js';
import type { RoutePlan } from '../routing/types.js';
import { finishCall, overhead, recordAnswer, type CallDeps, type CallScope } from './call-scope.js';
import { sendText } from '../http/io.js';
import { routingHeaders } from './usage-record.js';
import { relayStream, translatedSource, type StreamItem, type StreamSource } from './stream-call.js';

type Answer = { raw: true; text: string; answer: ForwardAnswer } | { raw: false; response: CanonicalResponse };

/**
 * The body for one target, made before any network work starts: a body that cannot be serialised is the
 * client's fault (decoding already bounds its depth) and must never look like an upstream failure.
 */
function bodyFor(pw: ForwardWire, body: Record<string, unknown>, target: Target, stream: boolean): string {
  try {
    return pw.upstreamBody(body, target, stream);
  } catch (e) {
    if (e instanceof RangeError)
      throw new RequestError('bad_request', 'the request cannot be encoded: it is too large or too deeply nested', {
        retryable: false,
        cause: e,
      });
    throw toModelpinError(e);
  }
}

/**
 * The client's own format, when this target is called in it over HTTP. Reasoning settings are mapped
 * per target model (nearest supported effort, or a refusal naming the model), so such a request is
 * translated even between same-format endpoints.
 */
function forwarder(client: ProviderClient, pw: ForwardWire, request: CanonicalRequest) {
  const f = client.forward;
  return f && f.format === pw.format && request.reasoning === undefined ? f : null;
}

/**
 * The forwarder and the upstream call for one target, or null when that target is translated (another
 * format, or reasoning settings mapped per model). The target model's limits are checked first.
 */
function prepare(
  client: ProviderClient,
  pw: ForwardWire,
  request: CanonicalRequest,
  body: Record<string, unknown>,
  target: Target,
  stream: boolean,
) {
  const f = forwarder(client, pw, request);
  if (!f) return null;
  pw.check(request, target.model, f.capabilities?.(target.model));
  const at = pw.call(target.model, stream);
  // Written out, not `{ ...at, body }`: optimised V8 code gives an object spread and then extended a
  // hidden class of its own on every call, so each later read of the call missed its inline cache.
  const call: RawCall = { path: at.path, query: at.query, body: bodyFor(pw, body, target, stream) };
  return { f, call };
}

/** A planned call whose client format has a forwarder: what both the whole and the streamed answer need. */
export interface ForwardedCall {
  res: ServerResponse;
  pw: ForwardWire;
  body: Record<string, unknown>;
  request: CanonicalRequest;
  codec: ClientCodec;
  scope: CallScope;
  deps: CallDeps;
  signal: AbortSignal;
}

/** Answer a planned call through the same-format fast path, streamed or whole as the client asked. */
export function runForwarded(call: ForwardedCall): Promise<void> {
  const plan = call.scope.plan;
  if (!plan) throw new Error('forwarding without a planned request');
  return call.request.stream ? streamForwarded(call, plan) : completeForwarded(call, plan);
}

async function completeForwarded(
  { res, pw, body, request, codec, scope, deps, signal }: ForwardedCall,
  plan: RoutePlan,
): Promise<void> {
  // Not async: the forwarder's own promise is the attempt's, one promise and two microtask hops fewer per call
  // than an async wrapper returning it. A throw from `prepare` reaches the chain's try/catch as a rejection would.
  const attempt = (client: ProviderClient, target: Target, opts: CallOptions): Promise<Answer> => {
    const fw = prepare(client, pw, request, body, target, false);
    if (!fw) return translatedAnswer(client, request, target, opts);
    return fw.f.complete(
      fw.call,
      target.model,
      (text, headers): Answer => ({ raw: true, text, answer: pw.readAnswer(text, headers, target.model) }),
      opts,
    );
  };
  const value = await deps.runtime().dispatcher.run(plan.targets, attempt, { signal, trace: scope.trace });
  let out: string;
  if (value.raw) {
    const a = value.answer;
    scope.response = a.response;
    scope.servedModel = a.served;
    scope.fingerprint = a.fingerprint;
    scope.usage = a.usage;
    out = pw.clientAnswer(value.text, a, request.model);
  } else {
    recordAnswer(scope, value.response);
    out = JSON.stringify(codec.encodeResponse(value.response, request.model, request));
  }
  scope.overheadMs = overhead(scope, deps);
  sendText(res, 200, out, routingHeaders(plan, scope.trace, scope.servedModel, scope.overheadMs));
  finishCall(scope, deps, 200, null);
}

async function translatedAnswer(
  client: ProviderClient,
  request: CanonicalRequest,
  target: Target,
  opts: CallOptions,
): Promise<Answer> {
  return { raw: false, response: await client.complete(requestForTarget(request, target), target.model, opts) };
}

async function streamForwarded(
  { res, pw, body, request, codec, scope, deps, signal }: ForwardedCall,
  plan: RoutePlan,
): Promise<void> {
  const attempt = async (client: ProviderClient, target: Target, opts: CallOptions): Promise<StreamSource> => {
    const fw = prepare(client, pw, request, body, target, true);
    if (!fw) return translatedSource(await openStream(client, request, target, opts), codec, scope);
    return openRaw(await fw.f.stream(fw.call, target.model, opts), pw, codec, request, target);
  };
  const value = await deps.runtime().dispatcher.run(plan.targets, attempt, { signal, trace: scope.trace });
  await relayStream(res, scope, deps, signal, value);
}

/** Read the upstream until its first event (a failure up to there can still fall back), then relay the rest as it comes. */
async function openRaw(
  raw: RawStream,
  pw: ForwardWire,
  codec: ClientCodec,
  request: CanonicalRequest,
  target: Target,
): Promise<StreamSource> {
  const stream = pw.openStream(request.model, { includeUsage: request.streamUsage === true });
  const r = new RawReader(raw, stream);
  const queue = r.queue;
  try {
    while (!r.ended && !queue.some((q) => q.events.length > 0)) await r.read();
    const firstAt = queue.findIndex((q) => q.events.length > 0);
    if (firstAt === -1)
      throw new ProviderError('stream_cut', 'upstream stream ended before any event', { provider: target.provider });
    for (const ev of queue[firstAt]?.events ?? []) if (ev.type === 'error') throw raw.attribute(ev.error);
  } catch (e) {
    raw.cancel();
    throw toModelpinError(e);
  }
  // Whatever preceded the first event (comments, keep-alives) goes out with it.
  const first: StreamItem = { events: [], out: '' };
  while (queue.length > 0) {
    const q = queue.shift() as StreamItem;
    first.events.push(...q.events);
    first.out += q.out;
    if (q.events.length > 0) break;
  }
  let encoder: ReturnType<ClientCodec['createStreamEncoder']> | null = null;
  return {
    first,
    rest: restOf(r),
    end: () => stream.end(),
    error: (err) =>
      (encoder ??= codec.createStreamEncoder(request.model, {
        includeUsage: request.streamUsage === true,
        request,
      })).encode({ type: 'error', error: err }),
    cancel: () => raw.cancel(),
  };
}

/** The upstream's SSE text read into stream items, one chunk at a time. */
class RawReader {
  readonly queue: StreamItem[] = [];
  ended = false;
  private readonly parser = createSseParser();
  constructor(
    readonly raw: RawStream,
    private readonly stream: ForwardStream,
  ) {}

  async read(): Promise<void> {
    const next = await this.raw.chunks.next();
    const events = next.done ? this.parser.flush() : this.parser.push(next.value);
    if (next.done) this.ended = true;
    for (const sse of events) {
      try {
        this.queue.push(this.stream.event(sse));
      } catch (e) {
        throw this.raw.attribute(toModelpinError(e));
      }
    }
  }
}

/**
 * What is left of a stream after its first event. At module level, not inside `openRaw`: a generator
 * function made per call gives its generator objects a hidden class of their own each time.
 */
async function* restOf(r: RawReader): AsyncGenerator<StreamItem> {
  for (;;) {
    while (r.queue.length > 0) {
      const q = r.queue.shift() as StreamItem;
      for (const ev of q.events) if (ev.type === 'error') throw r.raw.attribute(ev.error);
      yield q;
    }
    if (r.ended) return;
    await r.read();
  }
}
