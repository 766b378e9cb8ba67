/** Prometheus metrics of one gateway (own Registry, so several gateways in one process stay apart). */
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { FastCounter, FastHistogram, type CounterCell, type HistogramCell } from './fast-metrics.js';
import type { UsageRecord } from '../store/types.js';
import type { AttemptRecord } from '../routing/dispatch.js';
import type { DispatchEvents } from '../routing/dispatch-events.js';
import type { RoutingRuntime } from '../routing/runtime.js';
import type { UsageWriter } from '../store/usage-writer.js';
import { PairMap } from '../core/pair-map.js';

/** The route label of requests that never reached a target (unknown route, bad body, auth). */
export const UNROUTED = '(unrouted)';

export interface GatewayMetrics {
  registry: Registry;
  observe(u: UsageRecord, overheadMs: number): void;
  observeAttempts(attempts: readonly AttemptRecord[]): void;
  /** Counts failed upstream attempts, retries, fallbacks and breaker transitions (the runtime reports them). */
  dispatchEvents: DispatchEvents;
  /** A client connection was closed at once because `gateway.max_connections` were open. */
  connectionDropped(): void;
  /** Register a gauge read at scrape time (usage writer counters, breaker states). */
  gauge(
    name: string,
    help: string,
    labelNames: string[],
    read: () => Array<{ labels?: Record<string, string>; value: number }>,
  ): void;
}

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
const OVERHEAD_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05];

export function createGatewayMetrics(opts: { defaultMetrics?: boolean } = {}): GatewayMetrics {
  const registry = new Registry();
  if (opts.defaultMetrics !== false) collectDefaultMetrics({ register: registry, prefix: 'modelpin_' });
  const base = ['route', 'target', 'served_model'] as const;
  const requests = new FastCounter(
    'modelpin_requests_total',
    'Client requests answered, by route, target, served model, status, canary arm and wire format',
    [...base, 'status', 'arm', 'wire', 'stream'],
    registry,
  );
  const errors = new FastCounter(
    'modelpin_errors_total',
    'Client requests that ended in an error, by error code',
    ['route', 'target', 'code'],
    registry,
  );
  const latency = new FastHistogram(
    'modelpin_request_duration_seconds',
    'End-to-end request latency',
    base,
    LATENCY_BUCKETS,
    registry,
  );
  const ttft = new FastHistogram(
    'modelpin_ttft_seconds',
    'Time to first token of streamed responses',
    base,
    LATENCY_BUCKETS,
    registry,
  );
  const overhead = new FastHistogram(
    'modelpin_gateway_overhead_seconds',
    'Time spent in the gateway itself (excludes upstream time and backoff)',
    [],
    OVERHEAD_BUCKETS,
    registry,
  ).cell();
  const tokens = new FastCounter(
    'modelpin_tokens_total',
    'Tokens by direction (input, output, cached, cache_write, reasoning; cached and cache_write are part of input, reasoning part of output)',
    [...base, 'direction'],
    registry,
  );
  const cost = new FastCounter(
    'modelpin_cost_usd_total',
    'Cost in USD from catalog prices (requests without a known price are not counted)',
    base,
    registry,
  );
  const unpriced = new FastCounter(
    'modelpin_unpriced_requests_total',
    'Requests whose cost is unknown (no catalog price)',
    base,
    registry,
  );
  const attempts = new FastCounter(
    'modelpin_upstream_attempts_total',
    'Upstream attempts by target and outcome code',
    ['target', 'outcome'],
    registry,
  );
  const upstreamErrors = new FastCounter(
    'modelpin_upstream_errors_total',
    'Failed upstream attempts by target and error code (a client that went away is not counted)',
    ['target', 'code'],
    registry,
  );
  const retries = new FastCounter(
    'modelpin_retries_total',
    'Upstream attempts retried on the same target after a retryable failure',
    ['target'],
    registry,
  );
  const fallbacks = new FastCounter(
    'modelpin_fallbacks_total',
    'Moves to the next target of a fallback chain, by the target given up and the one tried next',
    ['from', 'to'],
    registry,
  );
  const breakerTransitions = new FastCounter(
    'modelpin_breaker_transitions_total',
    'Circuit breaker state changes by target and new state (open, half_open, closed)',
    ['target', 'to'],
    registry,
  );
  const dispatchEvents: DispatchEvents = {
    upstreamError: (e) => upstreamErrors.cell({ target: e.target, code: e.code }).inc(),
    retry: (e) => retries.cell({ target: e.target }).inc(),
    fallback: (e) => fallbacks.cell({ from: e.from, to: e.to }).inc(),
    breaker: (e) => breakerTransitions.cell({ target: e.target, to: e.to }).inc(),
  };
  const dropped = new FastCounter(
    'modelpin_connections_dropped_total',
    'Client connections closed at once because gateway.max_connections were open',
    [],
    registry,
  ).cell();

  // Cells are cached per (route, target, served model): lookups by those strings, which V8 has hashed
  // already (names from models.yml, the served model of this answer), not by a key joined per request.
  type Children = {
    latency: HistogramCell;
    ttft: HistogramCell;
    input: CounterCell;
    output: CounterCell;
    cached: CounterCell;
    cacheWrite: CounterCell;
    reasoning: CounterCell;
    cost: CounterCell;
    unpriced: CounterCell;
    /** By (arm, wire), then status * 2 + (streamed ? 1 : 0). */
    requests: PairMap<Map<number, CounterCell>>;
  };
  const children = new PairMap<Map<string, Children>>();
  let childCount = 0;
  const attemptCells = new PairMap<CounterCell>();
  const childrenFor = (route: string, target: string, served: string): Children => {
    let byServed = children.get(route, target);
    let c = byServed?.get(served);
    if (c === undefined) {
      // Passthrough ids come from clients: keep the cache bounded.
      if (childCount >= 5000) {
        children.clear();
        childCount = 0;
        byServed = undefined;
      }
      if (byServed === undefined) children.set(route, target, (byServed = new Map()));
      const l = { route, target, served_model: served };
      c = {
        latency: latency.cell(l),
        ttft: ttft.cell(l),
        input: tokens.cell({ ...l, direction: 'input' }),
        output: tokens.cell({ ...l, direction: 'output' }),
        cached: tokens.cell({ ...l, direction: 'cached' }),
        cacheWrite: tokens.cell({ ...l, direction: 'cache_write' }),
        reasoning: tokens.cell({ ...l, direction: 'reasoning' }),
        cost: cost.cell(l),
        unpriced: unpriced.cell(l),
        requests: new PairMap(),
      };
      byServed.set(served, c);
      childCount++;
    }
    return c;
  };

  return {
    registry,
    dispatchEvents,
    observe(u, overheadMs) {
      const served = u.servedModel ?? 'none';
      // A request that never resolved to a target carries whatever name the client sent; labelling
      // by it would let any caller grow the series without bound.
      const route = u.target === '' ? UNROUTED : u.route;
      const c = childrenFor(route, u.target, served);
      const arm = u.arm ?? 'none';
      let byStatus = c.requests.get(arm, u.wire);
      if (byStatus === undefined) c.requests.set(arm, u.wire, (byStatus = new Map()));
      const sk = u.status * 2 + (u.stream ? 1 : 0);
      let counter = byStatus.get(sk);
      if (!counter) {
        counter = requests.cell({
          route,
          target: u.target,
          served_model: served,
          status: String(u.status),
          arm,
          wire: u.wire,
          stream: u.stream ? 'true' : 'false',
        });
        byStatus.set(sk, counter);
      }
      counter.inc();
      if (u.errorCode) errors.cell({ route, target: u.target, code: u.errorCode }).inc();
      c.latency.observe(u.latencyMs / 1000);
      if (u.ttftMs !== null) c.ttft.observe(u.ttftMs / 1000);
      overhead.observe(Math.max(0, overheadMs) / 1000);
      if (u.inputTokens) c.input.inc(u.inputTokens);
      if (u.outputTokens) c.output.inc(u.outputTokens);
      if (u.cachedTokens) c.cached.inc(u.cachedTokens);
      if (u.cacheWriteTokens) c.cacheWrite.inc(u.cacheWriteTokens);
      if (u.reasoningTokens) c.reasoning.inc(u.reasoningTokens);
      if (u.costUsd !== null) c.cost.inc(u.costUsd);
      else if (u.status < 400) c.unpriced.inc();
    },
    observeAttempts(list) {
      for (const a of list) {
        const outcome = a.ok ? 'ok' : (a.code ?? 'error');
        let cell = attemptCells.get(a.target, outcome);
        if (!cell) {
          if (attemptCells.size >= 5000) attemptCells.clear();
          cell = attempts.cell({ target: a.target, outcome });
          attemptCells.set(a.target, outcome, cell);
        }
        cell.inc();
      }
    },
    connectionDropped() {
      dropped.inc();
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
  metrics.gauge(
    'modelpin_usage_writer_records',
    'Usage writer counters (written, pending, dropped, flush_errors)',
    ['state'],
    () => {
      const s = writer.stats();
      return [
        { labels: { state: 'written' }, value: s.written },
        { labels: { state: 'pending' }, value: s.pending },
        { labels: { state: 'dropped' }, value: s.dropped },
        { labels: { state: 'flush_errors' }, value: s.flushErrors },
        { labels: { state: 'raw_written' }, value: s.rawWritten },
        { labels: { state: 'raw_pending' }, value: s.rawPending },
      ];
    },
  );
  // A counter read from the writer at scrape time (the writer owns the count; it only grows).
  new Counter({
    name: 'modelpin_usage_records_shed_total',
    help: 'Usage the writer shed instead of growing without bound: part="rollup" requests counted nowhere, part="raw" raw rows only (the request is still in the rollups)',
    labelNames: ['part'],
    registers: [metrics.registry],
    collect() {
      const s = writer.stats();
      this.reset();
      this.inc({ part: 'rollup' }, s.dropped);
      this.inc({ part: 'raw' }, s.rawDropped);
    },
  });
  metrics.gauge(
    'modelpin_circuit_open',
    'Targets whose circuit breaker is open (1) or half-open (0.5)',
    ['target'],
    () =>
      Object.entries(runtime().dispatcher.breakers.snapshot()).map(([target, st]) => ({
        labels: { target },
        value: st === 'open' ? 1 : st === 'half_open' ? 0.5 : 0,
      })),
  );
}
