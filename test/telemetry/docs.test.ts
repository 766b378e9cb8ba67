/** The OpenTelemetry snippets of docs/observability.md mean what the page says. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { modelsFileSchema } from '../../src/config/schema.js';
import { telemetrySettings } from '../../src/telemetry/settings.js';
import { GEN_AI } from '../../src/telemetry/genai.js';

const doc = readFileSync(new URL('../../docs/observability.md', import.meta.url), 'utf8');
const otel = doc.slice(doc.indexOf('## OpenTelemetry'));
const blocks = (lang: string): string[] =>
  [...otel.matchAll(new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1] ?? '');

describe('docs/observability.md: OpenTelemetry', () => {
  it('the shell snippet turns telemetry on with the variables it sets', () => {
    const [sh] = blocks('sh');
    const env = Object.fromEntries(
      [...(sh ?? '').matchAll(/\b(OTEL_[A-Z_]+)=(\S+)/g)].map((m) => [m[1] ?? '', m[2] ?? '']),
    );
    expect(Object.keys(env)).toEqual(['OTEL_EXPORTER_OTLP_ENDPOINT', 'OTEL_SERVICE_NAME']);
    const s = telemetrySettings(env, undefined);
    expect(s?.tracesUrl).toBe('http://127.0.0.1:4318/v1/traces');
    expect(s?.serviceName).toBe('llm-gateway');
  });

  it('the models.yml snippet is valid and configures what its comments say', () => {
    const [yaml] = blocks('yaml');
    const file = modelsFileSchema.parse(parse(yaml ?? ''));
    const s = telemetrySettings({}, file.telemetry);
    expect(s?.metricsUrl).toBe('http://127.0.0.1:4318/v1/metrics');
    expect(s?.tracesProtocol).toBe('http/protobuf');
    expect(s?.sampler).toEqual({ kind: 'parentbased_traceidratio', ratio: 0.25 });
    expect(s?.captureContent).toBe(false);
    expect(s?.resourceAttributes).toEqual({ 'deployment.environment.name': 'production' });
    // "the variables win over it"
    expect(telemetrySettings({ OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' }, file.telemetry)?.tracesProtocol).toBe(
      'http/json',
    );
  });

  it('names the metrics and content attributes the code emits', () => {
    for (const name of [
      GEN_AI.operationDurationMetric,
      GEN_AI.tokenUsageMetric,
      GEN_AI.inputMessages,
      GEN_AI.outputMessages,
      GEN_AI.systemInstructions,
      GEN_AI.providerName,
      GEN_AI.responseModel,
    ]) {
      expect(otel, name).toContain(`\`${name}\``);
    }
  });
});
