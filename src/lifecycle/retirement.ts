/**
 * Retirement countdown: `modelpin_target_retirement_days{route,target}` on /metrics, computed at
 * scrape time from the catalog's retirement dates and the injected clock. A gateway lists the pins
 * of the environment it serves (and the fallback chains), so the scrape's `env` label says whose pin it is.
 */
import { Gauge } from 'prom-client';
import type { GatewayContext, GatewayExtension } from '../gateway/extension.js';
import type { ModelsFile } from '../config/schema.js';
import { normalizeTarget, targetRef, type Target } from '../config/target.js';
import type { TargetKind } from './sentinel/decide.js';
import { registerOnce } from './metrics.js';

export interface TargetFacts {
  kind: TargetKind;
  /** YYYY-MM-DD, or null when the catalog knows no retirement date. */
  retires: string | null;
}

export interface RetirementRow {
  route: string;
  target: string;
  retires: string;
  days: number;
}

const DAY = 86_400_000;

/** Whole days from today (UTC) until the retirement date; negative once retired. */
export function daysUntil(retires: string, now: number): number {
  const today = Math.floor(now / DAY) * DAY;
  return Math.round((Date.parse(`${retires}T00:00:00Z`) - today) / DAY);
}

/**
 * Every pinned target a route uses (each environment and the fallback chain) that has a retirement
 * date. With `env`, only that environment's target and the fallback chain: what one gateway can serve.
 */
export function retirementRows(
  config: ModelsFile,
  facts: (t: Target) => TargetFacts,
  now: number,
  env?: string,
): RetirementRow[] {
  const rows: RetirementRow[] = [];
  for (const [route, r] of Object.entries(config.routes)) {
    const seen = new Set<string>();
    const own = env === undefined ? undefined : r.targets[env];
    const targets = env === undefined ? Object.values(r.targets) : own === undefined ? [] : [own];
    for (const input of [...targets, ...r.fallback]) {
      const t = normalizeTarget(input);
      const ref = targetRef(t);
      if (seen.has(ref)) continue;
      seen.add(ref);
      const f = facts(t);
      if (f.kind !== 'pinned' || f.retires === null) continue;
      rows.push({ route, target: ref, retires: f.retires, days: daysUntil(f.retires, now) });
    }
  }
  return rows;
}

export function retirementCountdown(opts: { facts: (t: Target) => TargetFacts }): GatewayExtension {
  let ctx: GatewayContext | null = null;
  return {
    name: 'retirement-countdown',
    async start(c) {
      ctx = c;
      registerOnce(
        c.metrics,
        'modelpin_target_retirement_days',
        () =>
          new Gauge({
            name: 'modelpin_target_retirement_days',
            help: 'Days until the catalog retirement date of each pinned target in use (negative: already retired)',
            labelNames: ['route', 'target'],
            registers: [],
            collect() {
              this.reset();
              if (!ctx) return;
              for (const row of retirementRows(ctx.config(), opts.facts, ctx.clock.now(), ctx.env)) {
                this.set({ route: row.route, target: row.target }, row.days);
              }
            },
          }),
      );
    },
    async stop() {
      ctx = null;
    },
  };
}
