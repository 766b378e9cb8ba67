/**
 * Whether OpenTelemetry is on, and how it exports: read from the standard OTEL_* environment
 * variables and the optional `telemetry:` section of models.yml. Pure: no SDK is touched here, so a
 * gateway with nothing configured never loads one.
 */
import { ConfigError } from '../core/errors.js';
import type { TelemetryConfig } from '../config/telemetry.js';

export type OtlpProtocol = 'http/protobuf' | 'http/json';

export type SamplerSetting =
  | { kind: 'always_on' | 'always_off' | 'parentbased_always_on' | 'parentbased_always_off' }
  | { kind: 'traceidratio' | 'parentbased_traceidratio'; ratio: number };

export interface TelemetrySettings {
  /** Full OTLP/HTTP URL for spans, or null when traces are not exported. */
  tracesUrl: string | null;
  /** Full OTLP/HTTP URL for metrics, or null when metrics are not exported. */
  metricsUrl: string | null;
  tracesProtocol: OtlpProtocol;
  metricsProtocol: OtlpProtocol;
  tracesHeaders: Record<string, string>;
  metricsHeaders: Record<string, string>;
  serviceName: string;
  resourceAttributes: Record<string, string>;
  sampler: SamplerSetting;
  /** Prompts and answers on spans (the GenAI conventions' opt-in). */
  captureContent: boolean;
  metricIntervalMs: number;
  /** Per export request. */
  exportTimeoutMs: number;
}

type Env = Record<string, string | undefined>;

const SAMPLERS = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
] as const;

/** Telemetry settings, or null when telemetry is off (the default). Throws ConfigError on values it cannot honour. */
export function telemetrySettings(env: Env, config: TelemetryConfig | undefined): TelemetrySettings | null {
  if (isTrue(env['OTEL_SDK_DISABLED']) || config?.enabled === false) return null;
  const base = nonEmpty(env['OTEL_EXPORTER_OTLP_ENDPOINT']) ?? config?.endpoint;
  const tracesOff = nonEmpty(env['OTEL_TRACES_EXPORTER']) === 'none';
  const metricsOff = nonEmpty(env['OTEL_METRICS_EXPORTER']) === 'none';
  const tracesUrl = tracesOff
    ? null
    : (nonEmpty(env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT']) ?? signalUrl(base, 'traces'));
  const metricsUrl = metricsOff
    ? null
    : (nonEmpty(env['OTEL_EXPORTER_OTLP_METRICS_ENDPOINT']) ?? signalUrl(base, 'metrics'));
  if (tracesUrl === null && metricsUrl === null) {
    if (config?.enabled === true)
      throw new ConfigError(
        'telemetry.enabled is true but no OTLP endpoint is set: set telemetry.endpoint or OTEL_EXPORTER_OTLP_ENDPOINT',
        { path: 'telemetry.endpoint' },
      );
    return null;
  }
  for (const [name, url] of [
    ['traces', tracesUrl],
    ['metrics', metricsUrl],
  ] as const) {
    if (url !== null && !/^https?:\/\/[^\s/]+/.test(url))
      throw new ConfigError(`OTLP ${name} endpoint ${JSON.stringify(url)} is not an http(s) URL`);
  }
  const protocol = nonEmpty(env['OTEL_EXPORTER_OTLP_PROTOCOL']) ?? config?.protocol;
  const resourceAttributes = {
    ...config?.resource_attributes,
    ...parseKeyValues(env['OTEL_RESOURCE_ATTRIBUTES'], 'OTEL_RESOURCE_ATTRIBUTES'),
  };
  const headers = parseKeyValues(env['OTEL_EXPORTER_OTLP_HEADERS'], 'OTEL_EXPORTER_OTLP_HEADERS');
  return {
    tracesUrl,
    metricsUrl,
    tracesProtocol: otlpProtocol(nonEmpty(env['OTEL_EXPORTER_OTLP_TRACES_PROTOCOL']) ?? protocol),
    metricsProtocol: otlpProtocol(nonEmpty(env['OTEL_EXPORTER_OTLP_METRICS_PROTOCOL']) ?? protocol),
    tracesHeaders: {
      ...headers,
      ...parseKeyValues(env['OTEL_EXPORTER_OTLP_TRACES_HEADERS'], 'OTEL_EXPORTER_OTLP_TRACES_HEADERS'),
    },
    metricsHeaders: {
      ...headers,
      ...parseKeyValues(env['OTEL_EXPORTER_OTLP_METRICS_HEADERS'], 'OTEL_EXPORTER_OTLP_METRICS_HEADERS'),
    },
    serviceName:
      nonEmpty(env['OTEL_SERVICE_NAME']) ?? resourceAttributes['service.name'] ?? config?.service_name ?? 'modelpin',
    resourceAttributes,
    sampler: samplerSetting(env, config),
    captureContent:
      env['OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT'] !== undefined
        ? isTrue(env['OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT'])
        : config?.capture_content === true,
    metricIntervalMs: positiveInt(env['OTEL_METRIC_EXPORT_INTERVAL'], 'OTEL_METRIC_EXPORT_INTERVAL', 60_000),
    exportTimeoutMs: positiveInt(env['OTEL_EXPORTER_OTLP_TIMEOUT'], 'OTEL_EXPORTER_OTLP_TIMEOUT', 10_000),
  };
}

/** The spec's rule: a base endpoint gets `/v1/<signal>` appended; a signal-specific one is used as given. */
function signalUrl(base: string | undefined, signal: 'traces' | 'metrics'): string | null {
  if (base === undefined) return null;
  return `${base.replace(/\/+$/, '')}/v1/${signal}`;
}

function otlpProtocol(v: string | undefined): OtlpProtocol {
  if (v === undefined || v === 'http/protobuf') return 'http/protobuf';
  if (v === 'http/json') return 'http/json';
  if (v === 'grpc')
    throw new ConfigError(
      'OTLP over gRPC is not supported: set OTEL_EXPORTER_OTLP_PROTOCOL to http/protobuf or http/json (a collector listens for OTLP/HTTP on port 4318)',
    );
  throw new ConfigError(`OTEL_EXPORTER_OTLP_PROTOCOL must be http/protobuf or http/json, got ${JSON.stringify(v)}`);
}

function samplerSetting(env: Env, config: TelemetryConfig | undefined): SamplerSetting {
  const name = nonEmpty(env['OTEL_TRACES_SAMPLER']);
  if (name === undefined) {
    return config?.sample_ratio === undefined
      ? { kind: 'parentbased_always_on' }
      : { kind: 'parentbased_traceidratio', ratio: config.sample_ratio };
  }
  const kind = SAMPLERS.find((s) => s === name);
  if (kind === undefined)
    throw new ConfigError(`OTEL_TRACES_SAMPLER must be one of ${SAMPLERS.join(', ')}, got ${JSON.stringify(name)}`);
  if (kind !== 'traceidratio' && kind !== 'parentbased_traceidratio') return { kind };
  const arg = nonEmpty(env['OTEL_TRACES_SAMPLER_ARG']);
  const ratio = arg === undefined ? 1 : Number(arg);
  if (!Number.isFinite(ratio) || ratio < 0 || ratio > 1)
    throw new ConfigError(`OTEL_TRACES_SAMPLER_ARG must be a number from 0 to 1, got ${JSON.stringify(arg)}`);
  return { kind, ratio };
}

/** `key1=value1,key2=value2` with percent-encoded values (OTEL_RESOURCE_ATTRIBUTES, OTEL_EXPORTER_OTLP_HEADERS). */
export function parseKeyValues(raw: string | undefined, name: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (raw === undefined || raw.trim() === '') return out;
  for (const pair of raw.split(',')) {
    if (pair.trim() === '') continue;
    const eq = pair.indexOf('=');
    const key = eq === -1 ? '' : pair.slice(0, eq).trim();
    if (key === '')
      throw new ConfigError(
        `${name}: expected key=value pairs separated by commas, got ${JSON.stringify(pair.trim())}`,
      );
    try {
      out[key] = decodeURIComponent(pair.slice(eq + 1).trim());
    } catch {
      throw new ConfigError(`${name}: the value of ${key} is not valid percent-encoding`);
    }
  }
  return out;
}

function positiveInt(raw: string | undefined, name: string, def: number): number {
  const v = nonEmpty(raw);
  if (v === undefined) return def;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0)
    throw new ConfigError(`${name} must be a positive integer (milliseconds), got ${JSON.stringify(v)}`);
  return n;
}

function nonEmpty(v: string | undefined): string | undefined {
  const t = v?.trim();
  return t === undefined || t === '' ? undefined : t;
}

function isTrue(v: string | undefined): boolean {
  return v?.trim().toLowerCase() === 'true';
}
