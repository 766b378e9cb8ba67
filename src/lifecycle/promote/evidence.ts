import type { EvalRunRecord } from '../../store/types.js';
import type { DayResult } from '../../history/streaks.js';
import { servedOnly } from '../../history/streaks.js';
import { utcDay } from '../../history/day.js';

/** One day of eval evidence for a served model (all runs of that UTC day). */
export interface DayEvidence {
  date: string;
  servedModel: string;
  passed: boolean;
  passedCases: number;
  totalCases: number;
  costUsd: number | null;
  /** Worst p95 of the day's runs. */
  p95LatencyMs: number | null;
}

/** Runs of a route that served only `servedModel` (the same rule the streak uses), oldest first. */
export function runsServing(runs: readonly EvalRunRecord[], route: string, servedModel: string): EvalRunRecord[] {
  return runs
    .filter((r) => r.route === route && servedOnly(r) === servedModel)
    .sort((a, b) => a.startedAt - b.startedAt);
}

/** Evidence rows from the streak's day history, with each day's worst p95 from its runs. */
export function evidenceRows(
  history: readonly DayResult[],
  runs: readonly EvalRunRecord[],
  servedModel: string,
): DayEvidence[] {
  return history.map((h) => {
    const p95s = runs
      .filter((r) => utcDay(r.startedAt) === h.day)
      .map((r) => r.p95LatencyMs)
      .filter((v): v is number => v !== null);
    return {
      date: h.day,
      servedModel,
      passed: h.passed,
      passedCases: h.passedCases,
      totalCases: h.totalCases,
      costUsd: h.costUsd,
      p95LatencyMs: p95s.length ? Math.max(...p95s) : null,
    };
  });
}

export interface RunAverages {
  runs: number;
  /** Mean USD per case. */
  costPerCase: number | null;
  p95LatencyMs: number | null;
}

export function averages(runs: readonly EvalRunRecord[]): RunAverages {
  const costs = runs.filter((r) => r.costUsd !== null && r.totalCases > 0).map((r) => (r.costUsd ?? 0) / r.totalCases);
  const p95s = runs.map((r) => r.p95LatencyMs).filter((v): v is number => v !== null);
  const mean = (xs: number[]): number | null => (xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length);
  return { runs: runs.length, costPerCase: mean(costs), p95LatencyMs: mean(p95s) };
}

/** Relative change next vs base, e.g. -0.05 for 5% cheaper; null when either side is unknown. */
export function relDelta(next: number | null, base: number | null): number | null {
  if (next === null || base === null || base === 0) return null;
  return (next - base) / base;
}
