/**
 * What the dashboard API answers, built from the store. Read-only: the dashboard never writes,
 * so it is safe to point at the store a running gateway uses.
 */
import { redact } from '../core/logger.js';
import { addDays, utcDay } from '../history/day.js';
import { computeStreaks, type DayResult, type StreakResult } from '../history/streaks.js';
import { canaryStatus, type CanaryStatusView } from '../lifecycle/canary/ops.js';
import type { AuditRecord, OverrideRecord, SentinelEventRecord, Store } from '../store/types.js';
import { UsageError } from '../core/errors.js';
import { usageFromRollups } from '../usage/rollup-usage.js';
import { autoBucketMs, type UsageSeries } from '../usage/series.js';
import type { UsageRow } from '../usage/summarize.js';
import { badParam } from './params.js';
import type { HistoryParams, StateParams, UsageParams } from './params.js';

export interface UsageResponse {
  now: string;
  since: string;
  window: string;
  by: UsageParams['by'];
  route: string | null;
  env: string | null;
  requests: number;
  rows: UsageRow[];
  /** The same grouping per time bucket, for the trend charts. */
  trend: UsageSeries;
  /** Every route and env with traffic in the window (before the route/env filter), for the selectors. */
  routes: string[];
  envs: string[];
}

export async function usageView(store: Store, now: number, p: UsageParams): Promise<UsageResponse> {
  // Rollups, not rows, in one read: a refresh costs groups × buckets, however much traffic the window holds.
  const bucketMs = p.bucketMs ?? autoBucketMs(p.sinceMs, now + 1);
  const window = {
    sinceMs: p.sinceMs,
    untilMs: now + 1,
    bucketMs,
    ...(p.route !== undefined ? { route: p.route } : {}),
    ...(p.env !== undefined ? { env: p.env } : {}),
  };
  let u;
  try {
    u = await usageFromRollups(store, p.by, window, { lists: true });
  } catch (e) {
    // Only an asked-for interval can make too many buckets; the automatic one always fits.
    if (e instanceof UsageError) throw badParam('interval', e.message);
    throw e;
  }
  return {
    now: new Date(now).toISOString(),
    since: new Date(p.sinceMs).toISOString(),
    window: p.window,
    by: p.by,
    route: p.route ?? null,
    env: p.env ?? null,
    requests: u.rows.reduce((s, r) => s + r.requests, 0),
    rows: u.rows,
    trend: u.series ?? { by: p.by, bucketMs, starts: [], series: [] },
    routes: u.routes ?? [],
    envs: u.envs ?? [],
  };
}

export interface OverrideView extends OverrideRecord {
  active: boolean;
}

export interface StateResponse {
  now: string;
  since: string;
  window: string;
  overrides: OverrideView[];
  /** Each canary with both arms' stats since its current step started and the controller's next move. */
  canaries: CanaryStatusView[];
  sentinel: SentinelEventRecord[];
  audit: AuditRecord[];
}

/** Audit details are free-form; anything secret-looking is masked before it leaves the process. */
function safeAudit(a: AuditRecord): AuditRecord {
  const detail = redact(a.detail);
  return {
    ...a,
    detail:
      detail !== null && typeof detail === 'object' && !Array.isArray(detail)
        ? (detail as Record<string, unknown>)
        : {},
  };
}

export async function stateView(store: Store, now: number, p: StateParams): Promise<StateResponse> {
  const [overrides, canaries, events, audit] = await Promise.all([
    store.listOverrides(),
    store.listCanaries(),
    store.listSentinelEvents(p.sinceMs),
    p.audit > 0 ? store.listAudit(p.audit) : Promise.resolve([]),
  ]);
  const views = await Promise.all(canaries.map((c) => canaryStatus(store, c, now)));
  const order = { running: 0, rolled_back: 1, aborted: 2, completed: 3 } as const;
  return {
    now: new Date(now).toISOString(),
    since: new Date(p.sinceMs).toISOString(),
    window: p.window,
    overrides: overrides.map((o) => ({ ...o, active: o.expiresAt === null || o.expiresAt > now })),
    canaries: views.sort(
      (a, b) => order[a.record.status] - order[b.record.status] || b.record.updatedAt - a.record.updatedAt,
    ),
    // Newest first: the latest alert is the one to act on.
    sentinel: events.filter((e) => e.ts <= now).reverse(),
    audit: audit.filter((a) => a.ts <= now).map(safeAudit),
  };
}

export interface DayRow extends DayResult {
  route: string;
  env: string;
}

type Streak<T> = Omit<T, 'history'> & Omit<StreakResult, 'history'>;

export interface HistoryResponse {
  today: string;
  from: string;
  days: number;
  route: string | null;
  env: string | null;
  /** Newest day first. */
  runs: DayRow[];
  routes: Array<Streak<{ route: string; env: string }>>;
  snapshots: Array<Streak<{ route: string; servedModel: string }>>;
}

export async function historyView(store: Store, now: number, p: HistoryParams): Promise<HistoryResponse> {
  const today = utcDay(now);
  const from = addDays(today, -(p.days - 1));
  // Streaks may be longer than the display window, so read every run for the filter.
  const runs = await store.listEvalRuns({
    ...(p.route !== undefined ? { route: p.route } : {}),
    ...(p.env !== undefined ? { env: p.env } : {}),
  });
  const report = computeStreaks(runs, { today });
  const rows: DayRow[] = report.routes
    .flatMap((s) =>
      s.history.filter((d) => d.day >= from && d.day <= today).map((d) => ({ ...d, route: s.route, env: s.env })),
    )
    .sort((a, b) => b.day.localeCompare(a.day) || a.route.localeCompare(b.route) || a.env.localeCompare(b.env));
  const strip = <T extends { history: DayResult[] }>({ history: _h, ...rest }: T): Omit<T, 'history'> => rest;
  return {
    today,
    from,
    days: p.days,
    route: p.route ?? null,
    env: p.env ?? null,
    runs: rows,
    routes: report.routes.map(strip),
    snapshots: report.snapshots.map(strip),
  };
}
