/**
 * Canary controller (gateway extension): on an interval, judges every running canary from the
 * usage records of both arms and advances, completes or rolls it back by updating its
 * CanaryRecord in the store. Gateways route from those records, so every gateway sharing the
 * store follows, and a restart loses nothing.
 */
import { Counter, Gauge } from 'prom-client';
import type { GatewayContext, GatewayExtension } from '../../gateway/extension.js';
import type { CanaryRecord } from '../../store/types.js';
import { audit, type AuditAction } from '../audit.js';
import { applyDecision, type CanaryDecision } from './evaluate.js';
import { canaryStatus, startCanary } from './ops.js';
import { normalizeTarget, targetRef } from '../../config/target.js';
import { registerOnce } from '../metrics.js';
import { isStoreUnavailable, storeFailureLevel } from '../../store/store-health.js';

export interface CanaryControllerOptions {
  /** How often to judge running canaries (real-time interval; decisions use the injected clock). */
  intervalMs?: number;
}

const ACTION_AUDIT: Record<Exclude<CanaryDecision['action'], 'hold'>, AuditAction> = {
  advance: 'canary.advance',
  rollback: 'canary.rollback',
  complete: 'canary.complete',
};

const DECISION_ACTIONS = Object.keys(ACTION_AUDIT) as Array<keyof typeof ACTION_AUDIT>;

export interface CanaryController extends GatewayExtension {
  /** Judge every running canary once now; returns the records that changed. */
  tick(): Promise<CanaryRecord[]>;
}

export function canaryController(opts: CanaryControllerOptions = {}): CanaryController {
  let ctx: GatewayContext | null = null;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<CanaryRecord[]> | null = null;
  let decisions: Counter<'route' | 'action'> | null = null;
  let percent: Gauge<'route' | 'candidate'> | null = null;

  async function judge(c: GatewayContext): Promise<CanaryRecord[]> {
    const changed: CanaryRecord[] = [];
    const now = c.clock.now();
    const seen = new Map<string, CanaryRecord>();
    for (const rec of await c.store.listCanaries()) {
      if (rec.status !== 'running') continue;
      if (rec.env === c.env) seen.set(rec.route, rec);
      // Each action starts at 0 while a canary runs, so a rule's increase() sees the first rollback.
      for (const action of DECISION_ACTIONS) decisions?.inc({ route: rec.route, action }, 0);
      const view = await canaryStatus(c.store, rec, now, { breaker: c.breakerState(rec.candidate) });
      const d = view.next;
      if (d.action === 'hold') continue;
      // Another gateway may have moved this canary meanwhile: only act on the record we judged.
      const fresh = await c.store.getCanary(rec.route, rec.env);
      if (!fresh || fresh.status !== 'running' || fresh.stepIndex !== rec.stepIndex) continue;
      const next = applyDecision(fresh, d, now);
      await c.store.putCanary(next);
      if (d.action === 'complete' && next.percent >= 100) await keepCandidate(c, next);
      changed.push(next);
      if (rec.env === c.env) {
        if (next.status === 'running') seen.set(rec.route, next);
        else seen.delete(rec.route);
      }
      decisions?.inc({ route: rec.route, action: d.action });
      await audit(c.store, c.clock, {
        actor: `canary-controller@${c.gatewayId}`,
        action: ACTION_AUDIT[d.action],
        route: rec.route,
        detail: {
          env: rec.env,
          candidate: rec.candidate,
          fromPercent: rec.percent,
          toPercent: next.percent,
          reason: d.reason,
          stable: view.stable,
          canary: view.canary,
        },
      });
      c.logger.log(d.action === 'rollback' ? 'warn' : 'info', `canary ${d.action}: ${rec.route}`, {
        route: rec.route,
        env: rec.env,
        candidate: rec.candidate,
        percent: next.percent,
        reason: d.reason,
      });
    }
    // Set after the whole pass (not per record): a scrape never sees a half-updated set.
    percent?.reset();
    for (const rec of seen.values()) percent?.set({ route: rec.route, candidate: rec.candidate }, rec.percent);
    return changed;
  }

  /**
   * A canary that completed at 100% would otherwise snap back to stable (gateways route only
   * running canaries): keep the candidate through an audited override until models.yml is promoted.
   */
  async function keepCandidate(c: GatewayContext, rec: CanaryRecord): Promise<void> {
    const reason = `canary completed at 100%; promote ${rec.candidate} in models.yml, then clear this override`;
    await c.store.setOverride({
      route: rec.route,
      env: rec.env,
      target: rec.candidate,
      reason,
      actor: `canary-controller@${c.gatewayId}`,
      createdAt: c.clock.now(),
      expiresAt: null,
    });
    await audit(c.store, c.clock, {
      actor: `canary-controller@${c.gatewayId}`,
      action: 'override.set',
      route: rec.route,
      detail: { env: rec.env, target: rec.candidate, reason },
    });
  }

  /** `canary:` in models.yml starts a canary once per candidate; a finished one is never restarted. */
  async function syncFromConfig(c: GatewayContext): Promise<void> {
    for (const [route, r] of Object.entries(c.config().routes)) {
      if (!r.canary || r.targets[c.env] === undefined) continue;
      const candidate = targetRef(normalizeTarget(r.canary.candidate));
      const existing = await c.store.getCanary(route, c.env);
      if (existing && (existing.status === 'running' || existing.candidate === candidate)) continue;
      try {
        await startCanary(
          { store: c.store, clock: c.clock, config: c.config() },
          {
            route,
            env: c.env,
            candidate,
            percent: r.canary.percent,
            ...(r.canary.ramp ? { ramp: r.canary.ramp } : {}),
            ...(r.canary.hold ? { hold: r.canary.hold } : {}),
            ...(r.canary.sticky_by ? { sticky_by: r.canary.sticky_by } : {}),
            ...(r.canary.guards ? { guards: r.canary.guards } : {}),
            reason: 'canary: section of models.yml',
          },
          { env: c.env, actor: `models.yml@${c.gatewayId}` },
        );
        c.logger.log('info', `canary started from models.yml: ${route}`, {
          route,
          candidate,
          percent: r.canary.percent,
        });
      } catch (e) {
        // An unreachable store is not a refusal: the whole sync is tried again at the next pass.
        if (isStoreUnavailable(e)) throw e;
        c.logger.log('warn', `canary in models.yml not started: ${route}`, {
          error: e instanceof Error ? e.message : String(e),
        });
      }
    }
  }

  /** Sync from models.yml; when the store cannot be read, try again before the next pass (a gateway started during an outage catches up). */
  let needsSync = false;
  async function sync(c: GatewayContext): Promise<void> {
    try {
      await syncFromConfig(c);
      needsSync = false;
    } catch (e) {
      needsSync = true;
      c.logger.log(storeFailureLevel(e, 'warn'), 'canary sync from models.yml failed; retrying at the next pass', {
        error: e instanceof Error ? e.message : String(e),
      });
    }
  }

  function tick(): Promise<CanaryRecord[]> {
    if (!ctx) return Promise.resolve([]);
    // Never overlap two passes: a slow store must not make decisions twice.
    if (running) return running;
    const c = ctx;
    running = (needsSync ? sync(c) : Promise.resolve())
      .then(() => judge(c))
      .catch((e: unknown) => {
        // An unreachable store is announced once by the store's health, not by every pass.
        c.logger.log(storeFailureLevel(e, 'error'), 'canary controller pass failed', {
          error: e instanceof Error ? e.message : String(e),
        });
        return [];
      })
      .finally(() => {
        running = null;
      });
    return running;
  }

  return {
    name: 'canary-controller',
    tick,
    async start(c) {
      ctx = c;
      await sync(c);
      decisions = registerOnce(
        c.metrics,
        'modelpin_canary_decisions_total',
        () =>
          new Counter({
            name: 'modelpin_canary_decisions_total',
            help: 'Canary controller decisions (advance, rollback, complete)',
            labelNames: ['route', 'action'],
            registers: [],
          }),
      );
      percent = registerOnce(
        c.metrics,
        'modelpin_canary_percent',
        () =>
          new Gauge({
            name: 'modelpin_canary_percent',
            help: "Traffic percent of each running canary of the gateway's environment, by route and candidate (absent when none runs)",
            labelNames: ['route', 'candidate'],
            registers: [],
          }),
      );
      timer = setInterval(() => void tick(), opts.intervalMs ?? 1000);
      timer.unref();
    },
    onConfig() {
      const c = ctx;
      if (c) void sync(c);
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      if (running) await running;
      ctx = null;
    },
  };
}
