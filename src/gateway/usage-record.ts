/** Build the one usage record a client request leaves behind. */
import type { ErrorCode, ModelpinError } from '../core/errors.js';
import { candidateOutcome } from '../routing/candidate-outcome.js';
import { targetRef } from '../config/target.js';
import type { ClientWireFormat, Usage } from '../wire/canonical.js';
import type { UsageRecord } from '../store/types.js';
import type { DispatchTrace } from '../routing/dispatch.js';
import type { RoutePlan } from '../routing/types.js';

/**
 * The `wire` of a usage record (and label of `modelpin_requests_total`): the client's format for
 * chat-style calls, `openai-embeddings` / `gemini-embeddings` for embeddings calls.
 */
export type UsageWire = ClientWireFormat | 'openai-embeddings' | 'gemini-embeddings';

/** USD for a call, or null when the catalog has no price for that provider/model. */
export type Pricer = (provider: string, model: string, usage: Usage) => number | null;

export interface UsageInput {
  ts: number;
  plan: RoutePlan | null;
  requested: string;
  env: string;
  trace: DispatchTrace | null;
  servedModel: string | null;
  fingerprint: string | null;
  usage: Usage | null;
  error: ModelpinError | null;
  status: number;
  latencyMs: number;
  ttftMs: number | null;
  keyId: string | null;
  wire: UsageWire;
  stream: boolean;
  gatewayId: string;
  price: Pricer;
  /** JSON-mode answers: bare JSON (and schema-valid)? null when not checked. */
  formatValid?: boolean | null;
}

export function buildUsageRecord(i: UsageInput): UsageRecord {
  const target = i.trace?.target ?? i.plan?.targets[0] ?? null;
  const u = i.usage;
  const errorCode = i.error?.code ?? candidateError(i) ?? null;
  return {
    ts: i.ts,
    route: i.plan?.route ?? i.requested,
    env: i.plan?.env ?? i.env,
    target: target ? targetRef(target) : '',
    provider: target?.provider ?? '',
    requestedModel: i.requested,
    servedModel: i.servedModel,
    fingerprint: i.fingerprint,
    status: i.status,
    errorCode,
    attempts: i.trace?.attempts.length ?? 0,
    latencyMs: i.latencyMs,
    ttftMs: i.ttftMs,
    inputTokens: u?.inputTokens ?? 0,
    outputTokens: u?.outputTokens ?? 0,
    cachedTokens: u?.cachedInputTokens ?? 0,
    cacheWriteTokens: u?.cacheCreationInputTokens ?? 0,
    reasoningTokens: u?.reasoningTokens ?? 0,
    costUsd:
      u && target
        ? ((i.servedModel ? i.price(target.provider, i.servedModel, u) : null) ??
          i.price(target.provider, target.model, u))
        : null,
    clientKeyId: i.keyId,
    arm: i.plan ? i.plan.arm : null,
    wire: i.wire,
    stream: i.stream,
    formatValid: i.formatValid ?? null,
    gatewayId: i.gatewayId,
  };
}

/**
 * A canary-arm request that another target answered still says what happened to the candidate, so
 * the guards count it: its error code when it was tried and failed, `circuit_open` when its breaker
 * was open and it was skipped. Null when the candidate answered (or was never reached).
 */
function candidateError(i: UsageInput): ErrorCode | null {
  const candidate = i.plan?.arm === 'canary' ? i.plan.targets[0] : undefined;
  if (!candidate || !i.trace) return null;
  const o = candidateOutcome(i.trace, targetRef(candidate));
  return o.kind === 'failed' ? o.code : o.kind === 'skipped' ? 'circuit_open' : null;
}

/** Minimal response headers for every answered model call. */
export function routingHeaders(
  plan: RoutePlan,
  trace: DispatchTrace,
  servedModel: string | null,
  overheadMs: number,
): Record<string, string> {
  const target = trace.target ?? plan.targets[0];
  return {
    'x-modelpin-route': plan.route,
    'x-modelpin-target': target ? targetRef(target) : '',
    'x-modelpin-served-model': servedModel ?? '',
    'x-modelpin-attempts': String(trace.attempts.length),
    'x-modelpin-overhead-ms': overheadMs.toFixed(3),
    'x-modelpin-arm': plan.arm,
  };
}
