/**
 * Served-model sentinel (gateway extension). Remembers which model actually answered behind each
 * target; when that changes it alerts in four places: a warn log line, prom-client metrics, a
 * sentinel event in the store (shown by the usage view), and an optional webhook.
 */
import { Counter, Gauge } from 'prom-client';
import { request } from 'undici';
import type { GatewayContext, GatewayExtension, ServedEvent } from '../gateway/extension.js';
import { targetRef, type Target } from '../config/target.js';
import type { SentinelEventRecord } from '../store/types.js';
import { decideSentinel, type TargetKind } from './sentinel-decide.js';
import { registerOnce } from './metrics.js';

export interface SentinelOptions {
  /** How a target's model id is classified (from the catalog). Unknown ids count as pinned-like. */
  classify?: (target: Target) => TargetKind;
  /** Webhook timeout. */
  webhookTimeoutMs?: number;
  /**
   * An unchanged observation is written to the store again (refreshing `lastSeen`) at most this
   * often per target (default 60 s). Changes and the first answer per process are always written.
   */
  refreshMs?: number;
}

/** What this process last wrote to the store for a target. */
interface Known {
  servedModel: string;
  fingerprint: string | null;
  writtenAt: number;
}

export interface Sentinel extends GatewayExtension {
  /** Resolves when every observation queued so far has been processed (tests, shutdown). */
  idle(): Promise<void>;
}

export function sentinel(opts: SentinelOptions = {}): Sentinel {
  let ctx: GatewayContext | null = null;
  let alerts: Counter<'route' | 'target' | 'kind'> | null = null;
  let servedGauge: Gauge<'route' | 'target' | 'served_model'> | null = null;
  const lastServed = new Map<string, string>();
  // The store round-trip (a write transaction) and the catalog lookup only happen when the answer
  // differs from what this process last recorded: the request path stays free of synchronous I/O.
  const known = new Map<string, Known>();
  const refreshMs = opts.refreshMs ?? 60_000;
  // One chain per target: concurrent answers must compare against each other in order, not race.
  const chains = new Map<string, Promise<void>>();
  const pending = new Set<Promise<void>>();

  async function observe(c: GatewayContext, e: ServedEvent): Promise<void> {
    if (!e.response) return;
    const target = targetRef(e.target);
    const servedModel = e.response.model;
    const fingerprint = e.response.systemFingerprint ?? null;
    const now = c.clock.now();
    const prev = await c.store.observeServed({ target, servedModel, fingerprint, lastSeen: now });
    known.set(target, { servedModel, fingerprint, writtenAt: now });
    const alert = decideSentinel(prev, { servedModel, fingerprint }, opts.classify?.(e.target) ?? 'unknown');
    if (!alert) return;
    const event: SentinelEventRecord = { ts: now, route: e.route, target, kind: alert.kind, previous: alert.previous, current: alert.current };
    alerts?.inc({ route: e.route, target, kind: alert.kind });
    const { ts: _ts, ...fields } = event;
    c.logger.log('warn', `sentinel: ${describe(event)}`, { ...fields, observedAt: new Date(now).toISOString() });
    await c.store.insertSentinelEvent(event);
    const url = c.config().gateway.sentinel_webhook;
    if (url) await postWebhook(c, url, event, opts.webhookTimeoutMs ?? 5000);
  }

  function updateGauge(route: string, target: string, servedModel: string): void {
    if (!servedGauge) return;
    const key = `${route}\u0000${target}`;
    const before = lastServed.get(key);
    if (before === servedModel) return;
    if (before !== undefined) servedGauge.remove({ route, target, served_model: before });
    servedGauge.set({ route, target, served_model: servedModel }, 1);
    lastServed.set(key, servedModel);
  }

  return {
    name: 'sentinel',
    async start(c) {
      ctx = c;
      alerts = registerOnce(
        c.metrics,
        'modelpin_sentinel_alerts_total',
        () => new Counter({ name: 'modelpin_sentinel_alerts_total', help: 'Served-model changes seen behind a target', labelNames: ['route', 'target', 'kind'], registers: [] }),
      );
      servedGauge = registerOnce(
        c.metrics,
        'modelpin_served_model',
        () => new Gauge({ name: 'modelpin_served_model', help: 'The model currently answering behind a target (value 1)', labelNames: ['route', 'target', 'served_model'], registers: [] }),
      );
    },
    onServed(e) {
      const c = ctx;
      if (!c || !e.response || e.arm === 'shadow') return;
      const key = targetRef(e.target);
      const servedModel = e.response.model;
      updateGauge(e.route, key, servedModel);
      if (!chains.has(key)) {
        const k = known.get(key);
        const age = c.clock.now() - (k?.writtenAt ?? 0);
        if (k && k.servedModel === servedModel && k.fingerprint === (e.response.systemFingerprint ?? null) && age >= 0 && age < refreshMs) return;
      }
      const run = (chains.get(key) ?? Promise.resolve())
        .then(() => observe(c, e))
        .catch((err: unknown) => c.logger.log('error', 'sentinel observation failed', { target: key, error: err instanceof Error ? err.message : String(err) }));
      chains.set(key, run);
      pending.add(run);
      void run.finally(() => {
        pending.delete(run);
        if (chains.get(key) === run) chains.delete(key);
      });
    },
    idle: async () => {
      while (pending.size > 0) await Promise.all([...pending]);
    },
    async stop() {
      while (pending.size > 0) await Promise.all([...pending]);
      ctx = null;
    },
  };
}

export function describe(e: SentinelEventRecord): string {
  switch (e.kind) {
    case 'alias_moved':
      return `alias ${e.target} (route ${e.route}) moved from ${e.previous ?? '?'} to ${e.current}`;
    case 'served_model_changed':
      return `pinned target ${e.target} (route ${e.route}) is now served by ${e.current}, was ${e.previous ?? '?'}`;
    case 'fingerprint_changed':
      return `backend fingerprint of ${e.target} (route ${e.route}) changed from ${e.previous ?? '?'} to ${e.current}`;
  }
}

/** POST the event to the configured webhook only; failures are logged, never thrown. */
async function postWebhook(c: GatewayContext, url: string, event: SentinelEventRecord, timeoutMs: number): Promise<void> {
  try {
    const res = await request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ source: 'modelpin', type: 'sentinel', gatewayId: c.gatewayId, message: describe(event), event }),
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    await res.body.dump();
    if (res.statusCode >= 400) c.logger.log('warn', 'sentinel webhook answered an error', { status: res.statusCode });
  } catch (err) {
    c.logger.log('warn', 'sentinel webhook failed', { error: err instanceof Error ? err.message : String(err) });
  }
}
