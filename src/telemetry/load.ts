/**
 * Telemetry for a gateway or an eval run, or null when none is configured. The SDK and the span
 * code are imported here, dynamically, only when telemetry is on: a gateway without it loads none of
 * it, and its request path checks one null.
 */
import type { Logger } from '../core/logger.js';
import type { TelemetryConfig } from '../config/telemetry.js';
import type { GatewaySpanDeps } from './gateway-spans.js';
import { telemetrySettings } from './settings.js';
import type { EvalTelemetry, GatewayTelemetry } from './types.js';

/** How long a shutdown waits for the last spans and metrics to reach the collector. */
export const SHUTDOWN_TIMEOUT_MS = 5000;

type Env = Record<string, string | undefined>;

export async function loadGatewayTelemetry(
  env: Env,
  config: TelemetryConfig | undefined,
  o: Omit<GatewaySpanDeps, 'shutdownTimeoutMs'> & { instanceId: string },
): Promise<GatewayTelemetry | null> {
  const settings = telemetrySettings(env, config);
  if (settings === null) return null;
  const [{ startSdk }, { createGatewayTelemetry }] = await Promise.all([
    import('./sdk.js'),
    import('./gateway-spans.js'),
  ]);
  const sdk = startSdk(settings, { logger: o.logger, instanceId: o.instanceId });
  o.logger.log('info', 'telemetry: exporting over OTLP', {
    traces: settings.tracesUrl,
    metrics: settings.metricsUrl,
    protocol: settings.tracesProtocol,
    content: settings.captureContent,
  });
  return createGatewayTelemetry(sdk, {
    file: o.file,
    table: o.table,
    logger: o.logger,
    shutdownTimeoutMs: SHUTDOWN_TIMEOUT_MS,
  });
}

export async function loadEvalTelemetry(
  env: Env,
  config: TelemetryConfig | undefined,
  logger: Logger,
): Promise<EvalTelemetry | null> {
  const settings = telemetrySettings(env, config);
  if (settings === null) return null;
  const [{ startSdk }, { createEvalTelemetry }] = await Promise.all([import('./sdk.js'), import('./eval-spans.js')]);
  return createEvalTelemetry(startSdk(settings, { logger }), SHUTDOWN_TIMEOUT_MS);
}
