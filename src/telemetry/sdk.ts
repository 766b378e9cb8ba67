/**
 * The OpenTelemetry SDK, set up from resolved settings: a tracer provider with a batch span
 * processor and a meter provider with a periodic reader, both exporting over OTLP/HTTP (protobuf or
 * JSON). Only ever loaded by a dynamic import, when telemetry is on. Nothing is registered globally:
 * an application embedding modelpin keeps its own global providers.
 */
import type { Meter, Tracer } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BasicTracerProvider,
  BatchSpanProcessor,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  type ReadableSpan,
  type Sampler,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';
import {
  MeterProvider,
  PeriodicExportingMetricReader,
  type PushMetricExporter,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import { OTLPTraceExporter as JsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { OTLPMetricExporter as JsonMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as ProtoMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import type { Logger } from '../core/logger.js';
import { rateLimitedLogger } from '../core/logger.js';
import { VERSION } from '../version.js';
import type { SamplerSetting, TelemetrySettings } from './settings.js';

export interface TelemetrySdk {
  tracer: Tracer | null;
  meter: Meter | null;
  captureContent: boolean;
  /** Flush and stop, giving up after `timeoutMs`: a collector that is down must not hold a shutdown. */
  shutdown(timeoutMs: number): Promise<void>;
}

const SCOPE = 'modelpin';

export function startSdk(s: TelemetrySettings, o: { logger: Logger; instanceId?: string }): TelemetrySdk {
  const resource = defaultResource().merge(
    resourceFromAttributes({
      [ATTR_SERVICE_NAME]: s.serviceName,
      [ATTR_SERVICE_VERSION]: VERSION,
      ...(o.instanceId !== undefined ? { 'service.instance.id': o.instanceId } : {}),
      ...s.resourceAttributes,
    }),
  );
  // One warning a minute at most: a collector that is down must not flood the gateway's log.
  const warn = rateLimitedLogger(
    o.logger,
    60_000,
    () => Date.now(),
    (msg) => msg,
  );
  const report = (signal: string, url: string) => (r: ExportResult) => {
    if (r.code !== ExportResultCode.SUCCESS)
      warn.log('warn', `telemetry: ${signal} export failed`, { url, error: r.error?.message ?? 'unknown' });
  };

  let tracerProvider: BasicTracerProvider | null = null;
  if (s.tracesUrl !== null) {
    const config = { url: s.tracesUrl, headers: s.tracesHeaders, timeoutMillis: s.exportTimeoutMs };
    const exporter = s.tracesProtocol === 'http/json' ? new JsonTraceExporter(config) : new ProtoTraceExporter(config);
    tracerProvider = new BasicTracerProvider({
      resource,
      sampler: sampler(s.sampler),
      spanProcessors: [new BatchSpanProcessor(reportingSpanExporter(exporter, report('span', s.tracesUrl)))],
    });
  }
  let meterProvider: MeterProvider | null = null;
  if (s.metricsUrl !== null) {
    const config = { url: s.metricsUrl, headers: s.metricsHeaders, timeoutMillis: s.exportTimeoutMs };
    const exporter =
      s.metricsProtocol === 'http/json' ? new JsonMetricExporter(config) : new ProtoMetricExporter(config);
    meterProvider = new MeterProvider({
      resource,
      readers: [
        new PeriodicExportingMetricReader({
          exporter: reportingMetricExporter(exporter, report('metric', s.metricsUrl)),
          exportIntervalMillis: s.metricIntervalMs,
          exportTimeoutMillis: Math.min(s.exportTimeoutMs, s.metricIntervalMs),
        }),
      ],
    });
  }
  let stopping: Promise<void> | null = null;
  return {
    tracer: tracerProvider?.getTracer(SCOPE, VERSION) ?? null,
    meter: meterProvider?.getMeter(SCOPE, VERSION) ?? null,
    captureContent: s.captureContent,
    shutdown(timeoutMs) {
      return (stopping ??= (async () => {
        let timer: NodeJS.Timeout | undefined;
        const gaveUp = new Promise<'timeout'>((resolve) => {
          timer = setTimeout(() => resolve('timeout'), timeoutMs);
          timer.unref();
        });
        const done = Promise.allSettled([tracerProvider?.shutdown(), meterProvider?.shutdown()]).then(
          () => 'done' as const,
        );
        const outcome = await Promise.race([done, gaveUp]);
        clearTimeout(timer);
        if (outcome === 'timeout')
          o.logger.log('warn', 'telemetry: export did not finish before shutdown; the rest is dropped', {
            timeout_ms: timeoutMs,
          });
      })());
    },
  };
}

function sampler(s: SamplerSetting): Sampler {
  switch (s.kind) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return new TraceIdRatioBasedSampler(s.ratio);
    case 'parentbased_always_on':
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(s.ratio) });
  }
}

/** The exporter, telling `onResult` how each export went (the SDK itself only tells its diag logger). */
function reportingSpanExporter(inner: SpanExporter, onResult: (r: ExportResult) => void): SpanExporter {
  return {
    export(spans: ReadableSpan[], done: (r: ExportResult) => void) {
      inner.export(spans, (r) => {
        onResult(r);
        done(r);
      });
    },
    shutdown: () => inner.shutdown(),
    forceFlush: () => inner.forceFlush?.() ?? Promise.resolve(),
  };
}

function reportingMetricExporter(inner: PushMetricExporter, onResult: (r: ExportResult) => void): PushMetricExporter {
  return {
    export(metrics: ResourceMetrics, done: (r: ExportResult) => void) {
      inner.export(metrics, (r) => {
        onResult(r);
        done(r);
      });
    },
    forceFlush: () => inner.forceFlush(),
    shutdown: () => inner.shutdown(),
    ...(inner.selectAggregationTemporality
      ? { selectAggregationTemporality: inner.selectAggregationTemporality.bind(inner) }
      : {}),
    ...(inner.selectAggregation ? { selectAggregation: inner.selectAggregation.bind(inner) } : {}),
  };
}
