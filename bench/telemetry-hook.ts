/**
 * CPU cost of the gateway's telemetry hook per call, in process (not a test): open a call span,
 * one upstream attempt (span + traceparent), end the call (attributes + two metric points). The
 * batch processor exports to a local sink that answers at once (bench/otlp-sink.mjs), so export
 * work is counted too. Less noisy than a throughput run on a shared machine.
 *   npm run build && npx tsx bench/telemetry-hook.ts [--calls 200000] [--ratio 1]
 *   OTEL_TRACES_EXPORTER=none npx tsx bench/telemetry-hook.ts   # metrics only
 */
import { performance } from 'node:perf_hooks';
import { join } from 'node:path';
import { ROOT, benchUsageRecord, numberFlag, start } from './harness.js';
import { telemetrySettings } from '../src/telemetry/settings.js';
import { startSdk } from '../src/telemetry/sdk.js';
import { createGatewayTelemetry } from '../src/telemetry/gateway-spans.js';
import { modelsFileSchema } from '../src/config/schema.js';
import { normalizeTarget } from '../src/config/target.js';
import type { RouteTable } from '../src/routing/types.js';
import type { UsageRecord } from '../src/store/types.js';

const args = process.argv.slice(2);
const CALLS = numberFlag(args, '--calls', 200_000);
const RATIO = numberFlag(args, '--ratio', 1);

async function main(): Promise<void> {
  const sink = await start([join(ROOT, 'bench/otlp-sink.mjs')]);
  try {
    const env = {
      OTEL_EXPORTER_OTLP_ENDPOINT: sink.url,
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: String(RATIO),
      OTEL_TRACES_EXPORTER: process.env['OTEL_TRACES_EXPORTER'],
    };
    const settings = telemetrySettings(env, undefined);
    if (!settings) throw new Error('telemetry settings resolved to off');
    const file = modelsFileSchema.parse({
      providers: { up: { type: 'openai', base_url: 'http://127.0.0.1:9/v1', api_key: 'x' } },
      routes: { r: { targets: { production: 'up/m-1' } } },
    });
    const table = { routes: new Map([['r', { source: 'config: models.yml' }]]) } as unknown as RouteTable;
    const telemetry = createGatewayTelemetry(startSdk(settings, { logger: { log: () => undefined } }), {
      file: () => file,
      table: () => table,
      logger: { log: () => undefined },
      shutdownTimeoutMs: 5000,
    });
    const target = normalizeTarget('up/m-1');
    // The bench row, on this file's route and without a price.
    const usage: UsageRecord = {
      ...benchUsageRecord(0, 0, 'up/m-1'),
      route: 'r',
      requestedModel: 'r',
      fingerprint: null,
      latencyMs: 1,
      costUsd: null,
      gatewayId: 'bench',
    };
    const plan = {
      route: 'r',
      env: 'production',
      arm: 'stable' as const,
      targets: [target],
      requested: 'r',
      passthrough: false,
    };
    const headers = { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' };
    const one = (withParent: boolean): void => {
      const span = telemetry.open(withParent ? headers : {}, 'chat');
      const a = span.attempt(target);
      a.end(null);
      span.end({ usage, error: null, plan, request: null, response: null });
    };
    for (let i = 0; i < 20_000; i++) one(i % 2 === 0); // warm-up
    // Yield now and then, as a server does between requests: the batch processor's timer must get to run.
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    for (let i = 0; i < CALLS; i++) {
      one(i % 2 === 0);
      if (i % 500 === 0) await new Promise((r) => setImmediate(r));
    }
    await telemetry.shutdown();
    const cpu = process.cpuUsage(cpu0);
    const wall = performance.now() - t0;
    console.log(
      `telemetry hook, ${settings.tracesUrl === null ? 'metrics only' : `sample ratio ${RATIO}`}: ${((cpu.user + cpu.system) / CALLS).toFixed(2)} µs CPU per call (incl. export), ${((wall * 1000) / CALLS).toFixed(2)} µs wall, ${CALLS} calls`,
    );
  } finally {
    sink.proc.kill('SIGTERM');
  }
}

await main();
