/**
 * The optional `telemetry:` section: OpenTelemetry export, for teams that would rather say it in
 * models.yml than in the environment. The standard OTEL_* variables win over it, except that
 * `enabled: false` (and OTEL_SDK_DISABLED=true) turn telemetry off whatever else is set.
 */
import { z } from 'zod';

export const telemetrySchema = z
  .object({
    enabled: z
      .boolean()
      .optional()
      .describe(
        'false: no telemetry, whatever the environment says. Absent: on when an OTLP endpoint is set here or in OTEL_EXPORTER_OTLP_*ENDPOINT',
      ),
    endpoint: z
      .string()
      .regex(/^https?:\/\/\S+$/, 'expected an http(s) URL, e.g. http://127.0.0.1:4318')
      .optional()
      .describe(
        'OTLP/HTTP base URL, like OTEL_EXPORTER_OTLP_ENDPOINT: traces go to <endpoint>/v1/traces, metrics to <endpoint>/v1/metrics',
      ),
    protocol: z
      .enum(['http/protobuf', 'http/json'])
      .optional()
      .describe('OTLP encoding (default http/protobuf), like OTEL_EXPORTER_OTLP_PROTOCOL'),
    service_name: z
      .string()
      .min(1)
      .optional()
      .describe('service.name of the exported resource (default modelpin), like OTEL_SERVICE_NAME'),
    sample_ratio: z
      .number()
      .min(0)
      .max(1)
      .optional()
      .describe(
        "Share of new traces recorded (parent-based: a caller's traceparent decides for its own trace), like OTEL_TRACES_SAMPLER=parentbased_traceidratio",
      ),
    capture_content: z
      .boolean()
      .optional()
      .describe(
        'Export prompts and answers as gen_ai.input.messages / gen_ai.output.messages (default false), like OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true',
      ),
    resource_attributes: z
      .record(z.string(), z.string())
      .optional()
      .describe('Extra resource attributes, like OTEL_RESOURCE_ATTRIBUTES (which wins per key)'),
  })
  .strict()
  .describe(
    'OpenTelemetry traces and metrics over OTLP/HTTP (docs/observability.md). Off unless an endpoint is configured.',
  );

export type TelemetryConfig = z.infer<typeof telemetrySchema>;
