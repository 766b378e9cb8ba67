import { describe, expect, it } from 'vitest';
import { telemetrySettings } from '../../src/telemetry/settings.js';
import { modelsFileSchema } from '../../src/config/schema.js';

describe('telemetry settings', () => {
  it('is off when nothing is configured', () => {
    expect(telemetrySettings({}, undefined)).toBeNull();
    expect(telemetrySettings({ OTEL_SERVICE_NAME: 'x' }, { capture_content: true })).toBeNull();
  });

  it('follows OTEL_EXPORTER_OTLP_ENDPOINT, appending the signal paths', () => {
    const s = telemetrySettings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318/' }, undefined);
    expect(s?.tracesUrl).toBe('http://127.0.0.1:4318/v1/traces');
    expect(s?.metricsUrl).toBe('http://127.0.0.1:4318/v1/metrics');
    expect(s?.tracesProtocol).toBe('http/protobuf');
    expect(s?.serviceName).toBe('modelpin');
    expect(s?.sampler).toEqual({ kind: 'parentbased_always_on' });
    expect(s?.captureContent).toBe(false);
  });

  it('uses a signal endpoint as given, and exports only that signal', () => {
    const s = telemetrySettings({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://127.0.0.1:4318/custom' }, undefined);
    expect(s?.tracesUrl).toBe('http://127.0.0.1:4318/custom');
    expect(s?.metricsUrl).toBeNull();
  });

  it('OTEL_SDK_DISABLED and enabled: false win over an endpoint', () => {
    expect(
      telemetrySettings({ OTEL_SDK_DISABLED: 'true', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' }, undefined),
    ).toBeNull();
    expect(telemetrySettings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' }, { enabled: false })).toBeNull();
    expect(
      telemetrySettings(
        {
          OTEL_TRACES_EXPORTER: 'none',
          OTEL_METRICS_EXPORTER: 'none',
          OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318',
        },
        undefined,
      ),
    ).toBeNull();
  });

  it('reads models.yml telemetry:, with the environment winning', () => {
    const file = modelsFileSchema.parse({
      telemetry: {
        endpoint: 'http://127.0.0.1:4318',
        protocol: 'http/json',
        service_name: 'gw',
        sample_ratio: 0.25,
        capture_content: true,
        resource_attributes: { team: 'a', region: 'eu' },
      },
    });
    const s = telemetrySettings({ OTEL_RESOURCE_ATTRIBUTES: 'team=b,note=a%20b' }, file.telemetry);
    expect(s?.tracesUrl).toBe('http://127.0.0.1:4318/v1/traces');
    expect(s?.tracesProtocol).toBe('http/json');
    expect(s?.serviceName).toBe('gw');
    expect(s?.sampler).toEqual({ kind: 'parentbased_traceidratio', ratio: 0.25 });
    expect(s?.captureContent).toBe(true);
    expect(s?.resourceAttributes).toEqual({ team: 'b', region: 'eu', note: 'a b' });
    expect(
      telemetrySettings({ OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: 'false' }, file.telemetry)
        ?.captureContent,
    ).toBe(false);
    expect(telemetrySettings({ OTEL_SERVICE_NAME: 'env-name' }, file.telemetry)?.serviceName).toBe('env-name');
  });

  it('parses the sampler variables', () => {
    const env = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' };
    expect(
      telemetrySettings({ ...env, OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.1' }, undefined)
        ?.sampler,
    ).toEqual({ kind: 'traceidratio', ratio: 0.1 });
    expect(telemetrySettings({ ...env, OTEL_TRACES_SAMPLER: 'always_off' }, undefined)?.sampler).toEqual({
      kind: 'always_off',
    });
    expect(() => telemetrySettings({ ...env, OTEL_TRACES_SAMPLER: 'sometimes' }, undefined)).toThrow(
      /OTEL_TRACES_SAMPLER must be one of/,
    );
    expect(() =>
      telemetrySettings({ ...env, OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '2' }, undefined),
    ).toThrow(/from 0 to 1/);
  });

  it('refuses what it cannot honour, saying what to do', () => {
    const env = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4317' };
    expect(() => telemetrySettings({ ...env, OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }, undefined)).toThrow(
      /gRPC is not supported.*http\/protobuf/,
    );
    expect(() => telemetrySettings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'localhost:4318' }, undefined)).toThrow(
      /not an http\(s\) URL/,
    );
    expect(() => telemetrySettings({}, { enabled: true })).toThrow(/no OTLP endpoint/);
    expect(() => telemetrySettings({ ...env, OTEL_EXPORTER_OTLP_HEADERS: 'novalue' }, undefined)).toThrow(/key=value/);
  });

  it('passes OTEL_EXPORTER_OTLP_HEADERS to both signals', () => {
    const s = telemetrySettings(
      {
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318',
        OTEL_EXPORTER_OTLP_HEADERS: 'x-team=a',
        OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'x-only=t',
      },
      undefined,
    );
    expect(s?.tracesHeaders).toEqual({ 'x-team': 'a', 'x-only': 't' });
    expect(s?.metricsHeaders).toEqual({ 'x-team': 'a' });
  });
});
