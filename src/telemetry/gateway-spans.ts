/**
 * Gateway calls as OpenTelemetry spans and metrics, following the GenAI semantic conventions.
 * A call is one SERVER span (`chat summarize`), continuing the caller's W3C traceparent; each
 * upstream attempt is a CLIENT child span whose own traceparent goes upstream with it. When the call
 * ends, its usage record gives the span its attributes and the two gen_ai.client.* metrics a point.
 * Loaded only when telemetry is on.
 */
import type { IncomingHttpHeaders } from 'node:http';
import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  defaultTextMapGetter,
  defaultTextMapSetter,
  trace,
  type Attributes,
  type Histogram,
  type Span,
  type Tracer,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
} from '@opentelemetry/semantic-conventions';
import type { ModelpinError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { targetRef, type Target } from '../config/target.js';
import type { ModelsFile } from '../config/schema.js';
import type { AttemptObserver } from '../routing/dispatch.js';
import type { RouteTable } from '../routing/types.js';
import {
  DURATION_BUCKETS,
  GEN_AI,
  TOKEN_BUCKETS,
  finishReason,
  inputContent,
  outputContent,
  providerNames,
  type GenAiOperation,
} from './genai.js';
import type { TelemetrySdk } from './sdk.js';
import type { CallSpan, FinishedCall, GatewayTelemetry } from './types.js';

export interface GatewaySpanDeps {
  /** Current config and route table (they change on reload and store polls). */
  file(): ModelsFile;
  table(): RouteTable;
  /** How long shutdown waits for the last exports. */
  shutdownTimeoutMs: number;
  logger: Logger;
}

const propagator = new W3CTraceContextPropagator();

/** Where a provider is reached: its base_url, or the public API its type defaults to. */
const DEFAULT_HOSTS: Record<string, string> = {
  openai: 'https://api.openai.com',
  anthropic: 'https://api.anthropic.com',
  gemini: 'https://generativelanguage.googleapis.com',
};

export function createGatewayTelemetry(sdk: TelemetrySdk, deps: GatewaySpanDeps): GatewayTelemetry {
  const tracer = sdk.tracer;
  const meter = sdk.meter;
  const duration = meter?.createHistogram(GEN_AI.operationDurationMetric, {
    description: 'GenAI operation duration',
    unit: 's',
    advice: { explicitBucketBoundaries: DURATION_BUCKETS },
  });
  const tokens = meter?.createHistogram(GEN_AI.tokenUsageMetric, {
    description: 'Measures number of input and output tokens used',
    unit: '{token}',
    advice: { explicitBucketBoundaries: TOKEN_BUCKETS },
  });
  // Provider configs are replaced on reload: keyed by the config object, so a new base_url is seen.
  const servers = new WeakMap<object, Attributes>();
  const serverOf = (providerId: string): Attributes => {
    const p = deps.file().providers[providerId];
    if (!p) return {};
    let a = servers.get(p);
    if (!a) {
      a = serverAttributes(p.base_url ?? DEFAULT_HOSTS[p.type]);
      servers.set(p, a);
    }
    return a;
  };
  const typeOf = (providerId: string): string | undefined => deps.file().providers[providerId]?.type;
  const metrics = duration && tokens ? { duration, tokens } : null;
  const onError = (e: unknown): void =>
    deps.logger.log('warn', 'telemetry: a call span could not be completed', {
      error: e instanceof Error ? e.message : String(e),
    });
  const ctx: SpanContext = {
    tracer,
    metrics,
    captureContent: sdk.captureContent,
    serverOf,
    typeOf,
    table: deps.table,
    onError,
  };
  return {
    open: (headers, operation) => new GatewayCallSpan(ctx, headers, operation),
    shutdown: () => sdk.shutdown(deps.shutdownTimeoutMs),
  };
}

interface SpanContext {
  tracer: Tracer | null;
  metrics: { duration: Histogram; tokens: Histogram } | null;
  captureContent: boolean;
  serverOf(providerId: string): Attributes;
  typeOf(providerId: string): string | undefined;
  table(): RouteTable;
  onError(e: unknown): void;
}

class GatewayCallSpan implements CallSpan {
  private readonly span: Span | null;
  private readonly started = performance.now();
  private attempts = 0;

  constructor(
    private readonly c: SpanContext,
    headers: IncomingHttpHeaders,
    private readonly operation: GenAiOperation,
  ) {
    const parent = propagator.extract(ROOT_CONTEXT, headers, defaultTextMapGetter);
    this.span =
      c.tracer?.startSpan(
        operation,
        { kind: SpanKind.SERVER, attributes: { [GEN_AI.operationName]: operation } },
        parent,
      ) ?? null;
  }

  attempt(target: Target): AttemptObserver {
    const n = ++this.attempts;
    if (this.span === null || this.c.tracer === null) return NO_HEADERS;
    const names = providerNames(this.c.typeOf(target.provider));
    const child = this.c.tracer.startSpan(
      `${this.operation} ${target.model}`,
      {
        kind: SpanKind.CLIENT,
        attributes: {
          [GEN_AI.operationName]: this.operation,
          [GEN_AI.providerName]: names.provider,
          [GEN_AI.system]: names.system,
          [GEN_AI.requestModel]: target.model,
          'modelpin.target': targetRef(target),
          'modelpin.attempt': n,
          ...this.c.serverOf(target.provider),
        },
      },
      trace.setSpan(ROOT_CONTEXT, this.span),
    );
    const headers: Record<string, string> = {};
    propagator.inject(trace.setSpan(ROOT_CONTEXT, child), headers, defaultTextMapSetter);
    return {
      headers,
      end(error: ModelpinError | null) {
        if (error === null) child.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, 200);
        else {
          child.setAttributes({ [ATTR_ERROR_TYPE]: error.code, [ATTR_HTTP_RESPONSE_STATUS_CODE]: error.status });
          child.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
        }
        child.end();
      },
    };
  }

  end(call: FinishedCall): void {
    // Telemetry must never cost a call its usage record: finishCall runs this before recording.
    try {
      this.finish(call);
    } catch (e) {
      this.c.onError(e);
      this.span?.end();
    }
  }

  private finish(call: FinishedCall): void {
    const u = call.usage;
    const names = providerNames(this.c.typeOf(u.provider));
    const error = call.error ?? null;
    const errorType = error?.code ?? (u.status >= 400 ? String(u.status) : null);
    if (this.c.metrics !== null) {
      const a: Attributes = {
        [GEN_AI.operationName]: this.operation,
        [GEN_AI.providerName]: names.provider,
        [GEN_AI.requestModel]: u.requestedModel,
        ...(u.servedModel !== null ? { [GEN_AI.responseModel]: u.servedModel } : {}),
        ...(errorType !== null ? { [ATTR_ERROR_TYPE]: errorType } : {}),
        'modelpin.env': u.env,
      };
      this.c.metrics.duration.record((performance.now() - this.started) / 1000, a);
      if (u.inputTokens > 0 || u.outputTokens > 0) {
        this.c.metrics.tokens.record(u.inputTokens, { ...a, [GEN_AI.tokenType]: 'input' });
        if (this.operation === 'chat')
          this.c.metrics.tokens.record(u.outputTokens, { ...a, [GEN_AI.tokenType]: 'output' });
      }
    }
    const span = this.span;
    if (span === null) return;
    if (!span.isRecording()) {
      span.end();
      return;
    }
    span.updateName(`${this.operation} ${u.requestedModel}`);
    const res = call.response;
    const req = call.request;
    const plan = call.plan;
    const fallbackIndex = plan ? plan.targets.findIndex((t) => targetRef(t) === u.target) : -1;
    const source = plan ? this.c.table().routes.get(plan.route)?.source : undefined;
    const attrs: Attributes = {
      [GEN_AI.providerName]: names.provider,
      [GEN_AI.system]: names.system,
      [GEN_AI.requestModel]: u.requestedModel,
      [ATTR_HTTP_RESPONSE_STATUS_CODE]: u.status,
      'modelpin.route': u.route,
      'modelpin.env': u.env,
      'modelpin.target': u.target,
      'modelpin.attempts': u.attempts,
      'modelpin.wire': u.wire,
      'modelpin.stream': u.stream,
    };
    if (u.arm !== null) attrs['modelpin.arm'] = u.arm;
    if (fallbackIndex >= 0) attrs['modelpin.fallback_index'] = fallbackIndex;
    if (source !== undefined)
      attrs['modelpin.override'] = source.startsWith('override')
        ? 'runtime'
        : source.startsWith('env-var')
          ? 'env-var'
          : 'none';
    if (u.servedModel !== null) attrs[GEN_AI.responseModel] = u.servedModel;
    if (res !== null && res.id !== '') attrs[GEN_AI.responseId] = res.id;
    if (res !== null) attrs[GEN_AI.responseFinishReasons] = [finishReason(res.stopReason)];
    if (u.status < 400 || u.inputTokens > 0) {
      attrs[GEN_AI.inputTokens] = u.inputTokens;
      if (this.operation === 'chat') attrs[GEN_AI.outputTokens] = u.outputTokens;
      if (u.cachedTokens > 0) attrs[GEN_AI.cacheReadInputTokens] = u.cachedTokens;
      if (u.cacheWriteTokens > 0) attrs[GEN_AI.cacheCreationInputTokens] = u.cacheWriteTokens;
      attrs['modelpin.cache'] = u.cachedTokens > 0 ? 'hit' : u.cacheWriteTokens > 0 ? 'write' : 'miss';
    }
    if (req !== null) {
      if (req.temperature !== undefined) attrs[GEN_AI.requestTemperature] = req.temperature;
      if (req.topP !== undefined) attrs[GEN_AI.requestTopP] = req.topP;
      if (req.maxTokens !== undefined) attrs[GEN_AI.requestMaxTokens] = req.maxTokens;
      if (req.seed !== undefined) attrs[GEN_AI.requestSeed] = req.seed;
    }
    if (this.c.captureContent) {
      if (req !== null) {
        const input = inputContent(req);
        attrs[GEN_AI.inputMessages] = input.messages;
        if (input.system !== null) attrs[GEN_AI.systemInstructions] = input.system;
      }
      if (res !== null) attrs[GEN_AI.outputMessages] = outputContent(res);
    }
    if (errorType !== null) {
      attrs[ATTR_ERROR_TYPE] = errorType;
      span.setStatus({ code: SpanStatusCode.ERROR, message: error?.message ?? `status ${u.status}` });
    }
    span.setAttributes(attrs);
    span.end();
  }

  abandon(status: number, error: ModelpinError): void {
    if (this.span === null) return;
    this.span.setAttributes({ [ATTR_ERROR_TYPE]: error.code, [ATTR_HTTP_RESPONSE_STATUS_CODE]: status });
    this.span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
    this.span.end();
  }
}

/** Metrics only (no tracer): attempts carry no traceparent. */
const NO_HEADERS: AttemptObserver = { headers: undefined, end() {} };

function serverAttributes(url: string | undefined): Attributes {
  if (url === undefined) return {};
  try {
    const u = new URL(url);
    const port = u.port !== '' ? Number(u.port) : u.protocol === 'https:' ? 443 : 80;
    return { [ATTR_SERVER_ADDRESS]: u.hostname, [ATTR_SERVER_PORT]: port };
  } catch {
    return {};
  }
}
