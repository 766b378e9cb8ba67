/** Prometheus metrics of one gateway (own Registry, so several gateways in one process stay apart). */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { UsageRecord } from '../store/types.js';
import type { AttemptRecord } from '../routing/dispatch.js';
import type { RoutingRuntime } from '../routing/runtime.js';
import type { UsageWriter } from '../store/usage-writer.js';

export interface GatewayMetrics {
  registry: Registry;
  observe(u: UsageRecord, overheadMs: number): void;
  observeAttempts(attempts: readonly AttemptRecord[]): void;
  /** Register a gauge read at scrape time (usage writer counters, breaker states). */
  gauge(name: string, help: string, labelNames: string[], read: () => Array<{ labels?: Record<string, string>; value: number }>): void;
}

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
const OVERHEAD_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05];

export function createGatewayMetrics(opts: { defaultMetrics?: boolean } = {}): GatewayMetrics {
  const registry = new Registry();
  if (opts.defaultMetrics !== false) collectDefaultMetrics({ register: registry, prefix: 'modelpin_' });
  const base = ['route', 'target', 'served_model'] as const;
  const requests = new Counter({
    name: 'modelpin_requests_total',
    help: 'Client requests answered, by route, target, served model, status, canary arm and wire format',
    labelNames: [...base, 'status', 'arm', 'wire', 'stream'],
    registers: [registry],
  });
  const errors = new Counter({ name: 'modelpin_errors_total', help: 'Client requests that ended in an error, by error code', labelNames: ['route', 'target', 'code'], registers: [registry] });
  const latency = new Histogram({ name: 'modelpin_request_duration_seconds', help: 'End-to-end request latency', labelNames: base, buckets: LATENCY_BUCKETS, registers: [registry] });
  const ttft = new Histogram({ name: 'modelpin_ttft_seconds', help: 'Time to first token of streamed responses', labelNames: base, buckets: LATENCY_BUCKETS, registers: [registry] });
  const overhead = new Histogram({ name: 'modelpin_gateway_overhead_seconds', help: 'Time spent in the gateway itself (excludes upstream time and backoff)', buckets: OVERHEAD_BUCKETS, registers: [registry] });
  const tokens = new Counter({ name: 'modelpin_tokens_total', help: 'Tokens by direction (input, output, cached)', labelNames: [...base, 'direction'], registers: [registry] });
  const cost = new Counter({ name: 'modelpin_cost_usd_total', help: 'Cost in USD from catalog prices (requests without a known price are not counted)', labelNames: base, registers: [registry] });
  const unpriced = new Counter({ name: 'modelpin_unpriced_requests_total', help: 'Requests whose cost is unknown (no catalog price)', labelNames: base, registers: [registry] });
  const attempts = new Counter({ name: 'modelpin_upstream_attempts_total', help: 'Upstream attempts by target and outcome code', labelNames: ['target', 'outcome'], registers: [registry] });

  // Label children are cached per (route, target, served model): prom-client would otherwise
  // hash the label set on every observation, several times per request.
  type Children = {
    latency: ReturnType<typeof latency.labels>;
    ttft: ReturnType<typeof ttft.labels>;
    input: ReturnType<typeof tokens.labels>;
    output: ReturnType<typeof tokens.labels>;
    cached: ReturnType<typeof tokens.labels>;
    cost: ReturnType<typeof cost.labels>;
    unpriced: ReturnType<typeof unpriced.labels>;
    requests: Map<string, ReturnType<typeof requests.labels>>;
  };
  const children = new Map<string, Children>();
  const childrenFor = (route: string, target: string, served: string): Children => {
    const key = `${route}\u0000${target}\u0000${served}`;
    let c = children.get(key);
    if (!c) {
      if (children.size >= 5000) children.clear(); // passthrough ids come from clients: keep the cache bounded
      const l = { route, target, served_model: served };
      c = {
        latency: latency.labels(l),
        ttft: ttft.labels(l),
        input: tokens.labels({ ...l, direction: 'input' }),
        output: tokens.labels({ ...l, direction: 'output' }),
        cached: tokens.labels({ ...l, direction: 'cached' }),
        cost: cost.labels(l),
        unpriced: unpriced.labels(l),
        requests: new Map(),
      };
      children.set(key, c);
    }
    return c;
  };

  return {
    registry,
    observe(u, overheadMs) {
      const served = u.servedModel ?? 'none';
      const c = childrenFor(u.route, u.target, served);
      const rk = `${u.status}\u0000${u.arm ?? 'none'}\u0000${u.wire}\u0000${u.stream ? 1 : 0}`;
      let counter = c.requests.get(rk);
      if (!counter) {
        counter = requests.labels({ route: u.route, target: u.target, served_model: served, status: String(u.status), arm: u.arm ?? 'none', wire: u.wire, stream: u.stream ? 'true' : 'false' });
        c.requests.set(rk, counter);
      }
      counter.inc();
      if (u.errorCode) errors.inc({ route: u.route, target: u.target, code: u.errorCode });
      c.latency.observe(u.latencyMs / 1000);
      if (u.ttftMs !== null) c.ttft.observe(u.ttftMs / 1000);
      overhead.observe(Math.max(0, overheadMs) / 1000);
      if (u.inputTokens) c.input.inc(u.inputTokens);
      if (u.outputTokens) c.output.inc(u.outputTokens);
      if (u.cachedTokens) c.cached.inc(u.cachedTokens);
      if (u.costUsd !== null) c.cost.inc(u.costUsd);
      else if (u.status < 400) c.unpriced.inc();
    },
    observeAttempts(list) {
      for (const a of list) attempts.inc({ target: a.target, outcome: a.ok ? 'ok' : (a.code ?? 'error') });
    },
    gauge(name, help, labelNames, read) {
      new Gauge({
        name,
        help,
        labelNames,
        registers: [registry],
        collect() {
          this.reset();
          for (const p of read()) {
            if (p.labels) this.set(p.labels, p.value);
            else this.set(p.value);
          }
        },
      });
    },
  };
}

/** Gauges read at scrape time: usage writer counters and circuit breaker states. */
export function registerStateGauges(metrics: GatewayMetrics, writer: UsageWriter, runtime: () => RoutingRuntime): void {
  metrics.gauge('modelpin_usage_writer_records', 'Usage writer counters (written, pending, dropped, flush_errors)', ['state'], () => {
    const s = writer.stats();
    return [
      { labels: { state: 'written' }, value: s.written },
      { labels: { state: 'pending' }, value: s.pending },
      { labels: { state: 'dropped' }, value: s.dropped },
      { labels: { state: 'flush_errors' }, value: s.flushErrors },
    ];
  });
  metrics.gauge('modelpin_circuit_open', 'Targets whose circuit breaker is open (1) or half-open (0.5)', ['target'], () =>
    Object.entries(runtime().dispatcher.breakers.snapshot()).map(([target, st]) => ({ labels: { target }, value: st === 'open' ? 1 : st === 'half_open' ? 0.5 : 0 })),
  );
}
