/**
 * Served-model sentinel (gateway extension). Remembers which model actually answered behind each
 * target; when that changes it alerts in four places: a warn log line, prom-client metrics, a
 * sentinel event in the store (shown by the usage view), and an optional webhook.
 */
import { Counter, Gauge } from 'prom-client';
import { request } from 'undici';
import type { GatewayContext, GatewayExtension, ServedEvent } from '../../gateway/extension.js';
import { targetRef, type Target } from '../../config/target.js';
import type { SentinelEventRecord } from '../../store/types.js';
import { decideSentinel, type TargetKind } from './decide.js';
import { registerOnce } from '../metrics.js';
import { storeFailureLevel } from '../../store/store-health.js';
import { PairMap } from '../../core/pair-map.js';

export interface SentinelOptions {
  /** How a target's model id is classified (from the catalog). Unknown ids count as pinned-like. */
  classify?: (target: Target) => TargetKind;
  /** Webhook timeout. */
  webhookTimeoutMs?: number;
  /**
   * Heartbeat: an unchanged observation is written to the store again (refreshing `lastSeen`) at most
   * this often per target (default 60 s). Changes and the first answer per process are written at once.
   */
  refreshMs?: number;
  /** First retry after a failed store write, doubling up to `refreshMs` (default 1 s). */
  retryMs?: number;
}

/** What this process last wrote to the store for a target. */
interface Known {
  servedModel: string;
  fingerprint: string | null;
  writtenAt: number;
}

/**
 * Per target: at most one store write in flight, and at most one answer waiting behind it (the newest,
 * or the first one that differs from what was written). However many answers arrive meanwhile, the
 * store sees one write per change plus one heartbeat per `refreshMs`, never one per request.
 */
interface TargetState {
  written: Known | null;
  waiting: ServedEvent | null;
  busy: boolean;
  retry: NodeJS.Timeout | null;
  failures: number;
}

const SENTINEL_KINDS: readonly SentinelEventRecord['kind'][] = [
  'served_model_changed',
  'alias_moved',
  'fingerprint_changed',
];

const sameAs = (k: Known | null, e: ServedEvent): boolean =>
  k !== null &&
  e.response !== null &&
  k.servedModel === e.response.model &&
  k.fingerprint === (e.response.systemFingerprint ?? null);

export interface Sentinel extends GatewayExtension {
  /** Resolves when every observation queued so far has been processed (tests, shutdown). */
  idle(): Promise<void>;
}

export function sentinel(opts: SentinelOptions = {}): Sentinel {
  let ctx: GatewayContext | null = null;
  let alerts: Counter<'route' | 'target' | 'kind'> | null = null;
  let servedGauge: Gauge<'route' | 'target' | 'served_model'> | null = null;
  const lastServed = new PairMap<string>();
  // The store round-trip (a write transaction) and the catalog lookup only happen when the answer
  // differs from what this process last recorded, or the heartbeat is due: the request path stays
  // free of synchronous I/O and the store's load does not grow with traffic.
  const targets = new Map<string, TargetState>();
  const refreshMs = opts.refreshMs ?? 60_000;
  const retryMs = opts.retryMs ?? 1000;
  const draining = new Set<Promise<void>>();

  async function observe(c: GatewayContext, e: ServedEvent): Promise<void> {
    if (!e.response) return;
    const target = targetRef(e.target);
    const servedModel = e.response.model;
    const fingerprint = e.response.systemFingerprint ?? null;
    const now = c.clock.now();
    const prev = await c.store.observeServed({ target, servedModel, fingerprint, lastSeen: now });
    state(target).written = { servedModel, fingerprint, writtenAt: now };
    const alert = decideSentinel(prev, { servedModel, fingerprint }, opts.classify?.(e.target) ?? 'unknown');
    if (!alert) return;
    const event: SentinelEventRecord = {
      ts: now,
      route: e.route,
      target,
      kind: alert.kind,
      previous: alert.previous,
      current: alert.current,
    };
    alerts?.inc({ route: e.route, target, kind: alert.kind });
    const { ts: _ts, ...fields } = event;
    c.logger.log('warn', `sentinel: ${describe(event)}`, { ...fields, observedAt: new Date(now).toISOString() });
    await c.store.insertSentinelEvent(event);
    const url = c.config().gateway.sentinel_webhook;
    if (url) await postWebhook(c, url, event, opts.webhookTimeoutMs ?? 5000);
  }

  function updateGauge(route: string, target: string, servedModel: string): void {
    if (!servedGauge) return;
    const before = lastServed.get(route, target);
    if (before === servedModel) return;
    if (before !== undefined) servedGauge.remove({ route, target, served_model: before });
    // Every kind starts at 0 the first time a target answers: a rule's increase() only sees a change
    // between two scrapes, and a series born at 1 would hide the first alert of a process.
    else for (const kind of SENTINEL_KINDS) alerts?.inc({ route, target, kind }, 0);
    servedGauge.set({ route, target, served_model: servedModel }, 1);
    lastServed.set(route, target, servedModel);
  }

  return {
    name: 'sentinel',
    async start(c) {
      ctx = c;
      alerts = registerOnce(
        c.metrics,
        'modelpin_sentinel_alerts_total',
        () =>
          new Counter({
            name: 'modelpin_sentinel_alerts_total',
            help: 'Served-model changes seen behind a target',
            labelNames: ['route', 'target', 'kind'],
            registers: [],
          }),
      );
      servedGauge = registerOnce(
        c.metrics,
        'modelpin_served_model',
        () =>
          new Gauge({
            name: 'modelpin_served_model',
            help: 'The model currently answering behind a target (value 1)',
            labelNames: ['route', 'target', 'served_model'],
            registers: [],
          }),
      );
    },
    onServed(e) {
      const c = ctx;
      if (!c || !e.response || e.arm === 'shadow') return;
      const key = targetRef(e.target);
      updateGauge(e.route, key, e.response.model);
      const st = state(key);
      if (!st.busy && st.retry === null && st.waiting === null && sameAs(st.written, e) && fresh(c, st.written)) return;
      // A change waiting to be written is what an alert is about: a repeat of the old answer must not replace it.
      if (!(st.waiting && !sameAs(st.written, st.waiting) && sameAs(st.written, e))) st.waiting = e;
      if (!st.busy && st.retry === null) startDrain(c, key, st);
    },
    idle: async () => {
      while (draining.size > 0) await Promise.all([...draining]);
    },
    async stop() {
      for (const st of targets.values()) {
        if (st.retry) clearTimeout(st.retry);
        st.retry = null;
      }
      while (draining.size > 0) await Promise.all([...draining]);
      ctx = null;
    },
  };

  function state(key: string): TargetState {
    let st = targets.get(key);
    if (!st) {
      st = { written: null, waiting: null, busy: false, retry: null, failures: 0 };
      targets.set(key, st);
    }
    return st;
  }

  function fresh(c: GatewayContext, k: Known | null): boolean {
    if (!k) return false;
    const age = c.clock.now() - k.writtenAt;
    return age >= 0 && age < refreshMs;
  }

  function startDrain(c: GatewayContext, key: string, st: TargetState): void {
    const run = drain(c, key, st);
    draining.add(run);
    void run.finally(() => draining.delete(run));
  }

  /** Write what is waiting for one target, one observation at a time, until nothing new is waiting. */
  async function drain(c: GatewayContext, key: string, st: TargetState): Promise<void> {
    st.busy = true;
    try {
      while (st.waiting) {
        const e = st.waiting;
        st.waiting = null;
        if (sameAs(st.written, e) && fresh(c, st.written)) continue;
        try {
          await observe(c, e);
          st.failures = 0;
        } catch (err) {
          st.failures++;
          // Keep it for the retry unless a newer answer already took its place (or the write got through before the failure).
          if (st.waiting === null && !sameAs(st.written, e)) st.waiting = e;
          if (st.failures === 1)
            c.logger.log(storeFailureLevel(err, 'error'), 'sentinel observation failed; retrying', {
              target: key,
              error: err instanceof Error ? err.message : String(err),
            });
          const delay = Math.min(refreshMs, retryMs * 2 ** (st.failures - 1));
          st.retry = setTimeout(() => {
            st.retry = null;
            if (ctx && st.waiting && !st.busy) startDrain(ctx, key, st);
          }, delay);
          st.retry.unref();
          return;
        }
      }
    } finally {
      st.busy = false;
    }
  }
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
async function postWebhook(
  c: GatewayContext,
  url: string,
  event: SentinelEventRecord,
  timeoutMs: number,
): Promise<void> {
  try {
    const res = await request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        source: 'modelpin',
        type: 'sentinel',
        gatewayId: c.gatewayId,
        message: describe(event),
        event,
      }),
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    await res.body.dump();
    if (res.statusCode >= 400) c.logger.log('warn', 'sentinel webhook answered an error', { status: res.statusCode });
  } catch (err) {
    c.logger.log('warn', 'sentinel webhook failed', { error: err instanceof Error ? err.message : String(err) });
  }
}
