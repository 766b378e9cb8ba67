/** Everything one client request accumulates on its way through the gateway. */
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { RequestUrl } from '../http/request-url.js';
import { newTrace } from '../routing/dispatch.js';
import type { Clock } from '../core/clock.js';
import type { Random } from '../core/random.js';
import type { Logger } from '../core/logger.js';
import { ModelpinError, toModelpinError } from '../core/errors.js';
import type { CanonicalRequest, CanonicalResponse, ClientWireFormat, Usage } from '../wire/canonical.js';
import type { ClientCodec } from '../wire/codec.js';
import type { UsageRecord } from '../store/types.js';
import type { DispatchTrace } from '../routing/dispatch.js';
import type { RoutePlan } from '../routing/types.js';
import type { RoutingRuntime } from '../routing/runtime.js';
import type { Authenticator, ClientIdentity } from './auth.js';
import { planRequest } from '../routing/plan.js';
import { headerOf } from '../http/io.js';
import type { GatewayMetrics } from './metrics.js';
import { buildUsageRecord, type UsageWire } from './usage-record.js';
import { formatValid } from './format-check.js';
import type { CallSpan, GatewayTelemetry } from '../telemetry/types.js';

export interface CallScope {
  t0: number;
  ts: number;
  wire: UsageWire;
  stream: boolean;
  requested: string;
  keyId: string | null;
  /** The caller passed authentication: from here on the call leaves a usage record. */
  authenticated: boolean;
  plan: RoutePlan | null;
  trace: DispatchTrace;
  /** Null for embeddings calls (and requests that failed before decoding): extensions only see calls that have one. */
  request: CanonicalRequest | null;
  response: CanonicalResponse | null;
  servedModel: string | null;
  fingerprint: string | null;
  usage: Usage | null;
  ttftMs: number | null;
  overheadMs: number;
  /** The call's trace span; null when telemetry is off. */
  span: CallSpan | null;
}

/** The scope of a call as it arrives: nothing decoded, planned or answered yet. */
export function openScope(
  deps: Pick<CallDeps, 'now' | 'clock' | 'telemetry'>,
  wire: UsageWire,
  o: { stream: boolean; requested: string; headers: IncomingHttpHeaders },
): CallScope {
  const trace = newTrace();
  // Telemetry off: this comparison is all it costs a request.
  const span =
    deps.telemetry === null
      ? null
      : (trace.hook = deps.telemetry.open(o.headers, isEmbeddings(wire) ? 'embeddings' : 'chat'));
  return {
    t0: deps.now(),
    ts: deps.clock.now(),
    wire,
    stream: o.stream,
    requested: o.requested,
    keyId: null,
    authenticated: false,
    plan: null,
    trace,
    request: null,
    response: null,
    servedModel: null,
    fingerprint: null,
    usage: null,
    ttftMs: null,
    overheadMs: 0,
    span,
  };
}

/** Authenticate the caller; a failure after this is the caller's call and leaves a usage record. */
export function authenticateCall(
  req: IncomingMessage,
  url: RequestUrl,
  scope: CallScope,
  deps: Pick<CallDeps, 'auth'>,
): ClientIdentity {
  const identity = deps.auth().authenticate(req, url);
  scope.authenticated = true;
  scope.keyId = identity.keyId;
  return identity;
}

/** Plan the route for the model the client named, within the routes its key may use. */
export function planCall(
  req: IncomingMessage,
  scope: CallScope,
  deps: Pick<CallDeps, 'runtime' | 'random'>,
  model: string,
  identity: ClientIdentity,
): RoutePlan {
  scope.requested = model;
  const plan = planRequest(
    deps.runtime().table,
    { model, header: (n) => headerOf(req, n), allowedRoutes: identity.allowedRoutes },
    deps.random,
  );
  scope.plan = plan;
  return plan;
}

function isEmbeddings(wire: UsageWire): boolean {
  return wire === 'openai-embeddings' || wire === 'gemini-embeddings';
}

export interface CallDeps {
  runtime(): RoutingRuntime;
  auth(): Authenticator;
  bodyLimit(): number;
  codecs: Record<ClientWireFormat, ClientCodec>;
  /** Send a client's own JSON to targets that speak its format (default on; off translates every call). */
  forward: boolean;
  clock: Clock;
  random: Random;
  logger: Logger;
  metrics: GatewayMetrics;
  gatewayId: string;
  /** Monotonic ms timer (performance.now) for latency and overhead. */
  now(): number;
  /** Hand a finished request to the usage writer and extensions (must not block). */
  record(u: UsageRecord, scope: CallScope, error: ModelpinError | null): void;
  /** OpenTelemetry spans and metrics; null when off (the default). */
  telemetry: GatewayTelemetry | null;
}

/** Errors that are ours (not a client's or an upstream's) are logged in full and shown generically. */
export function publicError(e: unknown, logger: Logger): ModelpinError {
  const err = toModelpinError(e);
  if (err.code !== 'internal') return err;
  logger.log('error', 'internal gateway error', { error: err.message, stack: err.stack });
  return new ModelpinError('internal', 'internal gateway error');
}

/** What a whole (non-streamed) answer tells the scope: the response, who served it, its usage. */
export function recordAnswer(scope: CallScope, response: CanonicalResponse): void {
  scope.response = response;
  scope.servedModel = response.model;
  scope.fingerprint = response.systemFingerprint ?? null;
  scope.usage = response.usage;
}

export function finishCall(scope: CallScope, deps: CallDeps, status: number, error: ModelpinError | null): void {
  const u = buildUsageRecord({
    ts: scope.ts,
    plan: scope.plan,
    requested: scope.requested,
    env: deps.runtime().env,
    trace: scope.trace,
    servedModel: scope.servedModel,
    fingerprint: scope.fingerprint,
    usage: scope.usage,
    error,
    status,
    latencyMs: Math.round((deps.now() - scope.t0) * 1000) / 1000,
    ttftMs: scope.ttftMs,
    keyId: scope.keyId,
    wire: scope.wire,
    stream: scope.stream,
    gatewayId: deps.gatewayId,
    price: deps.runtime().price,
    formatValid: error === null ? formatValid(scope.request, scope.response) : null,
  });
  deps.metrics.observe(u, scope.overheadMs);
  deps.metrics.observeAttempts(scope.trace.attempts);
  if (scope.span !== null)
    scope.span.end({ usage: u, error, plan: scope.plan, request: scope.request, response: scope.response });
  deps.record(u, scope, error);
}

/** Gateway time so far, excluding upstream calls and backoff waits. */
export function overhead(scope: CallScope, deps: CallDeps): number {
  return Math.max(0, deps.now() - scope.t0 - scope.trace.upstreamMs - scope.trace.waitedMs);
}
