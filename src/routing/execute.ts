/**
 * One implementation of "call a routing plan": used by the gateway and by the in-process client.
 * Builds the wrapper chains once per dispatcher and runs complete or stream calls through them;
 * `run` takes any other attempt (embeddings) through the same wrappers.
 */
import type { Clock } from '../core/clock.js';
import type { Random } from '../core/random.js';
import { ProviderError, toModelpinError } from '../core/errors.js';
import type { Target } from '../config/target.js';
import type { RetryConfig } from '../config/schema.js';
import type { CanonicalRequest, CanonicalResponse, StreamEvent } from '../wire/canonical.js';
import type { CallOptions, ProviderClient, UpstreamStream } from '../providers/types.js';
import { attemptBudget } from './budget.js';
import { CircuitBreakers } from './circuit-breaker.js';
import { NO_DISPATCH_EVENTS, type DispatchEvents } from './dispatch-events.js';
import { dispatchChain } from './chain.js';
import {
  newTrace,
  realSleep,
  type CallContext,
  type DispatchTrace,
  type RetrySettings,
  type Sleep,
  type TargetCall,
} from './dispatch.js';

/** A stream whose first event already arrived: after this point there is no fallback. */
export interface OpenedStream {
  first: StreamEvent;
  rest: AsyncIterator<StreamEvent>;
  upstream: UpstreamStream;
}

export interface DispatcherDeps {
  clock: Clock;
  random: Random;
  sleep?: Sleep;
  /** Monotonic ms timer for measuring upstream time (default performance.now). */
  monotonic?: () => number;
  /** Provider client by provider id, for the current config. */
  provider(id: string): ProviderClient;
  /** Told of failed attempts, retries, fallbacks and breaker transitions. */
  events?: DispatchEvents;
}

/** The call context of one dispatch, carrying the client's request to the provider call. */
interface RequestContext extends CallContext {
  req: CanonicalRequest;
}

/** `run`'s context: the caller's attempt travels with the call, so one chain serves every call. */
interface RunContext extends CallContext {
  attempt: Attempt<unknown>;
}

export interface DispatchOptions {
  signal?: AbortSignal;
  trace?: DispatchTrace;
}

/**
 * One upstream attempt of a call that is neither a completion nor a stream (embeddings): the
 * dispatcher hands it the target's provider client and the attempt's signal and timeout.
 */
export type Attempt<T> = (client: ProviderClient, target: Target, opts: CallOptions) => Promise<T>;

export interface Dispatcher {
  complete(
    req: CanonicalRequest,
    targets: readonly Target[],
    opts?: DispatchOptions,
  ): Promise<{ response: CanonicalResponse; trace: DispatchTrace }>;
  stream(
    req: CanonicalRequest,
    targets: readonly Target[],
    opts?: DispatchOptions,
  ): Promise<{ stream: OpenedStream; trace: DispatchTrace }>;
  /**
   * Any other upstream call, through the same fallback, retry, breaker and timing wrappers: what the
   * attempt that succeeded returned; the caller's trace records the attempts. No wrapper object, unlike
   * `complete` and `stream`: this is the gateway's per-request path, and an async wrapper costs two
   * promises per call.
   */
  run<T>(targets: readonly Target[], attempt: Attempt<T>, opts: DispatchOptions & { trace: DispatchTrace }): Promise<T>;
  /** Apply new retry/breaker settings after a config reload. */
  configure(retry: RetryConfig): void;
  readonly breakers: CircuitBreakers;
  /** Where the dispatcher reports; callers report upstream failures it cannot see (a stream cut mid-answer). */
  readonly events: DispatchEvents;
}

export function retrySettings(r: RetryConfig): RetrySettings {
  return {
    maxAttempts: r.max_attempts,
    baseDelayMs: r.base_delay_ms,
    maxDelayMs: r.max_delay_ms,
    totalDeadlineMs: r.total_deadline_ms,
    attemptTimeoutMs: r.attempt_timeout_ms,
    firstByteTimeoutMs: r.first_byte_timeout_ms,
  };
}

/** The request the upstream sees: the target's real model id and the params the target forces. */
export function requestForTarget(req: CanonicalRequest, target: Target): CanonicalRequest {
  const p = target.params;
  const out: CanonicalRequest = { ...req, model: target.model };
  if (!p) return out;
  if (p.temperature !== undefined) out.temperature = p.temperature;
  if (p.topP !== undefined) out.topP = p.topP;
  if (p.maxTokens !== undefined) out.maxTokens = p.maxTokens;
  if (p.stop !== undefined) out.stop = p.stop;
  return out;
}

/**
 * Open a translated stream on one target and wait for its first event before committing:
 * a failure up to there can still fall back.
 */
export async function openStream(
  client: ProviderClient,
  req: CanonicalRequest,
  target: Target,
  opts: CallOptions,
): Promise<OpenedStream> {
  const upstream = await client.stream(requestForTarget(req, target), target.model, opts);
  const rest = upstream[Symbol.asyncIterator]();
  try {
    const first = await rest.next();
    if (first.done)
      throw new ProviderError('stream_cut', 'upstream stream ended before any event', { provider: target.provider });
    if (first.value.type === 'error') throw first.value.error;
    return { first: first.value, rest, upstream };
  } catch (e) {
    upstream.cancel();
    throw toModelpinError(e);
  }
}

export function createDispatcher(retry: RetryConfig, deps: DispatcherDeps): Dispatcher {
  let settings = retrySettings(retry);
  const events = deps.events ?? NO_DISPATCH_EVENTS;
  const breakers = new CircuitBreakers(
    { failureThreshold: retry.failure_threshold, cooldownMs: retry.cooldown_ms },
    deps.clock,
    (target, from, to) => events.breaker({ target, from, to }),
  );
  const sleep = deps.sleep ?? realSleep;
  const monotonic = deps.monotonic ?? (() => performance.now());

  const callOpts = (target: Target, ctx: CallContext): CallOptions => {
    const b = attemptBudget(ctx.deadlineAt - deps.clock.now(), ctx.targetsLeft ?? 1, settings, target.timeoutMs);
    const o: CallOptions =
      b.firstByteTimeoutMs < b.timeoutMs
        ? { signal: ctx.signal, timeoutMs: b.timeoutMs, firstByteTimeoutMs: b.firstByteTimeoutMs }
        : { signal: ctx.signal, timeoutMs: b.timeoutMs };
    if (ctx.headers !== undefined) o.headers = ctx.headers;
    return o;
  };

  // `settings` is read through getters so a reload changes retries without rebuilding the chains.
  const live: RetrySettings = {
    get maxAttempts() {
      return settings.maxAttempts;
    },
    get baseDelayMs() {
      return settings.baseDelayMs;
    },
    get maxDelayMs() {
      return settings.maxDelayMs;
    },
    get totalDeadlineMs() {
      return settings.totalDeadlineMs;
    },
    get attemptTimeoutMs() {
      return settings.attemptTimeoutMs;
    },
    get firstByteTimeoutMs() {
      return settings.firstByteTimeoutMs;
    },
  };
  // The completion and stream chains are built once per dispatcher; the request travels in the call context.
  // One loop for fallback ∘ retry ∘ breaker ∘ timed (src/routing/chain.ts): no promise per wrapper.
  const chain = <T, C extends CallContext>(base: TargetCall<T, C>) =>
    dispatchChain(base, {
      breakers,
      settings: live,
      clock: deps.clock,
      random: deps.random,
      sleep,
      now: monotonic,
      events,
    });

  const completeChain = chain<CanonicalResponse, RequestContext>((target, ctx) =>
    deps.provider(target.provider).complete(requestForTarget(ctx.req, target), target.model, callOpts(target, ctx)),
  );

  const streamChain = chain<OpenedStream, RequestContext>((target, ctx) =>
    openStream(deps.provider(target.provider), ctx.req, target, callOpts(target, ctx)),
  );

  const runChain = chain<unknown, RunContext>((target, ctx) =>
    ctx.attempt(deps.provider(target.provider), target, callOpts(target, ctx)),
  );

  const ctxFor = (req: CanonicalRequest, opts: DispatchOptions | undefined): RequestContext => ({
    signal: opts?.signal,
    deadlineAt: deps.clock.now() + settings.totalDeadlineMs,
    trace: opts?.trace ?? newTrace(),
    req,
  });

  return {
    breakers,
    events,
    configure(r) {
      settings = retrySettings(r);
      breakers.configure({ failureThreshold: r.failure_threshold, cooldownMs: r.cooldown_ms });
    },
    async complete(req, targets, opts) {
      const ctx = ctxFor(req, opts);
      const response = await completeChain(targets, ctx);
      return { response, trace: ctx.trace };
    },
    async stream(req, targets, opts) {
      const ctx = ctxFor(req, opts);
      const stream = await streamChain(targets, ctx);
      return { stream, trace: ctx.trace };
    },
    run<T>(targets: readonly Target[], attempt: Attempt<T>, opts: DispatchOptions & { trace: DispatchTrace }) {
      const ctx: RunContext = {
        signal: opts.signal,
        deadlineAt: deps.clock.now() + settings.totalDeadlineMs,
        trace: opts.trace,
        attempt,
      };
      // The chain returns what this call's attempt returned.
      return runChain(targets, ctx) as Promise<T>;
    },
  };
}
