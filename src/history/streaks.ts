/**
 * Streaks: consecutive UTC days on which every recorded eval run passed. The count ends today
 * or, if nothing has run yet today, yesterday — so a nightly job that has not fired yet does
 * not reset it. A day with no run at all breaks the streak: "green N days" means N days of
 * evidence, not N days of silence. Runs dated after `today` are ignored.
 */
import type { EvalRunRecord } from '../store/types.js';
import { addDays, parseDay, utcDay } from './day.js';

export interface DayResult {
  day: string;
  passed: boolean;
  runs: number;
  passedRuns: number;
  passedCases: number;
  totalCases: number;
  /** Sum over runs with a known cost; null when none had one. */
  costUsd: number | null;
  servedModels: string[];
}

export interface StreakResult {
  days: number;
  /** startedAt of the latest counted run. */
  lastRun: number | null;
  failingDays: string[];
  /** One entry per day that had a run, oldest first. */
  history: DayResult[];
}

export interface RouteStreak extends StreakResult {
  route: string;
  env: string;
}

export interface SnapshotStreak extends StreakResult {
  route: string;
  servedModel: string;
}

export interface StreakReport {
  today: string;
  routes: RouteStreak[];
  snapshots: SnapshotStreak[];
}

function dayResult(day: string, runs: readonly EvalRunRecord[]): DayResult {
  const priced = runs.filter((r) => r.costUsd !== null);
  return {
    day,
    passed: runs.every((r) => r.passed),
    runs: runs.length,
    passedRuns: runs.filter((r) => r.passed).length,
    passedCases: runs.reduce((s, r) => s + r.passedCases, 0),
    totalCases: runs.reduce((s, r) => s + r.totalCases, 0),
    costUsd: priced.length ? priced.reduce((s, r) => s + (r.costUsd ?? 0), 0) : null,
    servedModels: [...new Set(runs.flatMap((r) => r.servedModels))].sort(),
  };
}

/** The streak over an arbitrary set of runs (already filtered to one route/env or snapshot). */
export function streakOf(runs: readonly EvalRunRecord[], today: string): StreakResult {
  const end = parseDay(today, 'today') + 86_400_000;
  const byDay = new Map<string, EvalRunRecord[]>();
  let lastRun: number | null = null;
  for (const r of runs) {
    if (r.startedAt >= end) continue;
    const d = utcDay(r.startedAt);
    const list = byDay.get(d);
    if (list) list.push(r);
    else byDay.set(d, [r]);
    lastRun = lastRun === null ? r.startedAt : Math.max(lastRun, r.startedAt);
  }
  const history = [...byDay.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([d, rs]) => dayResult(d, rs));
  const passedOn = new Map(history.map((h) => [h.day, h.passed]));
  let day = passedOn.has(today) ? today : addDays(today, -1);
  let days = 0;
  while (passedOn.get(day) === true) {
    days++;
    day = addDays(day, -1);
  }
  return { days, lastRun, failingDays: history.filter((h) => !h.passed).map((h) => h.day), history };
}

/** A run is evidence for a snapshot only when that snapshot was the only model served. */
export function servedOnly(run: EvalRunRecord): string | null {
  return run.servedModels.length === 1 ? (run.servedModels[0] ?? null) : null;
}

/** The upgrade gate's question: how many days has this served snapshot been green on this route? */
export function snapshotStreak(
  runs: readonly EvalRunRecord[],
  opts: { route: string; servedModel: string; env?: string; today: string },
): StreakResult {
  return streakOf(
    runs.filter(
      (r) =>
        r.route === opts.route && (opts.env === undefined || r.env === opts.env) && servedOnly(r) === opts.servedModel,
    ),
    opts.today,
  );
}

function groupBy<K extends string>(
  runs: readonly EvalRunRecord[],
  key: (r: EvalRunRecord) => K | null,
): Map<K, EvalRunRecord[]> {
  const m = new Map<K, EvalRunRecord[]>();
  for (const r of runs) {
    const k = key(r);
    if (k === null) continue;
    const list = m.get(k);
    if (list) list.push(r);
    else m.set(k, [r]);
  }
  return m;
}

/** Streaks per (route, env) and per (route, served snapshot, across envs). */
export function computeStreaks(runs: readonly EvalRunRecord[], opts: { today: string }): StreakReport {
  parseDay(opts.today, 'today');
  const sep = '\u0000';
  const routes = [...groupBy(runs, (r) => `${r.route}${sep}${r.env}`).entries()].map(([k, rs]): RouteStreak => {
    const [route = '', env = ''] = k.split(sep);
    return { route, env, ...streakOf(rs, opts.today) };
  });
  const snapshots = [
    ...groupBy(runs, (r) => {
      const s = servedOnly(r);
      return s === null ? null : `${r.route}${sep}${s}`;
    }).entries(),
  ].map(([k, rs]): SnapshotStreak => {
    const [route = '', servedModel = ''] = k.split(sep);
    return { route, servedModel, ...streakOf(rs, opts.today) };
  });
  const byKey =
    <T extends { route: string }>(second: (x: T) => string) =>
    (a: T, b: T) =>
      a.route.localeCompare(b.route) || second(a).localeCompare(second(b));
  return {
    today: opts.today,
    routes: routes.filter((r) => r.history.length > 0).sort(byKey((r) => r.env)),
    snapshots: snapshots.filter((s) => s.history.length > 0).sort(byKey((s) => s.servedModel)),
  };
}
