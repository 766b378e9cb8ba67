/** Human output of `modelpin history`: runs per day, then streaks per route and per snapshot. */
import { pc } from '../core/color.js';
import { formatUsd, renderTable } from '../usage/table.js';
import type { DayResult, RouteStreak, SnapshotStreak } from './streaks.js';

export interface DayRow extends DayResult {
  route: string;
  env: string;
}

function verdict(d: DayResult): string {
  const base = d.passed ? pc.green('pass') : pc.red('FAIL');
  return d.runs > 1 ? `${base} (${d.passedRuns}/${d.runs} runs)` : base;
}

export function formatDays(rows: readonly DayRow[]): string {
  if (rows.length === 0) return 'No eval runs recorded in this window.';
  return renderTable(
    [
      { header: 'date' },
      { header: 'route' },
      { header: 'env' },
      { header: 'served' },
      { header: 'result' },
      { header: 'cases', align: 'right' },
      { header: 'cost', align: 'right' },
    ],
    rows.map((d) => [
      d.day,
      d.route,
      d.env,
      d.servedModels.join(', ') || '-',
      verdict(d),
      `${d.passedCases}/${d.totalCases}`,
      formatUsd(d.costUsd),
    ]),
  );
}

function lastFailing(s: { failingDays: string[] }): string {
  const f = s.failingDays;
  return f.length ? f.slice(-3).join(', ') + (f.length > 3 ? ` (+${f.length - 3})` : '') : '-';
}

function lastRun(ts: number | null): string {
  return ts === null ? '-' : new Date(ts).toISOString().replace('T', ' ').slice(0, 16) + 'Z';
}

function days(n: number): string {
  return n === 1 ? '1 day' : `${n} days`;
}

export function formatRouteStreaks(streaks: readonly RouteStreak[]): string {
  if (streaks.length === 0) return 'No streaks yet.';
  return renderTable(
    [
      { header: 'route' },
      { header: 'env' },
      { header: 'streak', align: 'right' },
      { header: 'last run' },
      { header: 'failing days' },
    ],
    streaks.map((s) => [s.route, s.env, days(s.days), lastRun(s.lastRun), lastFailing(s)]),
  );
}

export function formatSnapshotStreaks(streaks: readonly SnapshotStreak[]): string {
  if (streaks.length === 0) return 'No single-snapshot runs yet.';
  return renderTable(
    [
      { header: 'route' },
      { header: 'served snapshot' },
      { header: 'streak', align: 'right' },
      { header: 'last run' },
      { header: 'failing days' },
    ],
    streaks.map((s) => [s.route, s.servedModel, days(s.days), lastRun(s.lastRun), lastFailing(s)]),
  );
}
