/**
 * The promotion gate, pure: which snapshot staging actually served, whether it has been green
 * for N consecutive days, and what the edit of models.yml is. The CLI does the I/O around it.
 */
import type { ModelsFile } from '../../config/schema.js';
import { normalizeTarget, targetRef } from '../../config/target.js';
import { snapshotStreak, type StreakResult } from '../../history/streaks.js';
import { addDays, utcDay } from '../../history/day.js';
import type { EvalRunRecord } from '../../store/types.js';
import { averages, evidenceRows, runsServing, type DayEvidence, type RunAverages } from './evidence.js';
import type { TargetKind } from '../sentinel/decide.js';

export interface PromoteInput {
  route: string;
  config: ModelsFile;
  runs: readonly EvalRunRecord[];
  /** Environment whose served snapshot is the candidate (default staging). */
  envFrom: string;
  /** Environment to pin (production). */
  envTo: string;
  minDays: number;
  today: string;
  /** Explicit candidate `provider/model` instead of what staging served. */
  to?: string;
  classify: (provider: string, model: string) => TargetKind;
}

export interface PromoteEvidence {
  route: string;
  env: string;
  current: string;
  candidate: string;
  servedModel: string;
  streak: StreakResult;
  evidence: DayEvidence[];
  candidateAvg: RunAverages;
  currentAvg: RunAverages;
}

export type PromotePlan =
  ({ ok: true } & PromoteEvidence) | ({ ok: false; shortfall: string } & Partial<PromoteEvidence>);

const refuse = (shortfall: string, extra: Partial<PromoteEvidence> = {}): PromotePlan => ({
  ok: false,
  shortfall,
  ...extra,
});

/** Where the candidate comes from: --to, else the one snapshot served in the latest run of envFrom. */
function pickCandidate(i: PromoteInput, fromProvider: string | null): { ref: string; served: string } | string {
  if (i.to) {
    const slash = i.to.indexOf('/');
    if (slash <= 0) return `--to must be provider/model, got "${i.to}"`;
    return { ref: i.to, served: i.to.slice(slash + 1) };
  }
  const latest = i.runs
    .filter((r) => r.route === i.route && r.env === i.envFrom)
    .sort((a, b) => b.startedAt - a.startedAt)[0];
  if (!latest)
    return `no eval runs of ${i.route} in ${i.envFrom}; run \`modelpin eval --env ${i.envFrom} --record\` first (or pass --to)`;
  if (latest.servedModels.length !== 1) {
    return `the latest ${i.envFrom} run of ${i.route} served ${latest.servedModels.length === 0 ? 'no identifiable model' : `several models (${latest.servedModels.join(', ')})`}; pass --to provider/model`;
  }
  const served = latest.servedModels[0] ?? '';
  const provider = fromProvider ?? latest.target.slice(0, latest.target.indexOf('/'));
  return { ref: `${provider}/${served}`, served };
}

export function planPromotion(i: PromoteInput): PromotePlan {
  const route = i.config.routes[i.route];
  if (!route) return refuse(`unknown route "${i.route}"`);
  const currentInput = route.targets[i.envTo];
  if (currentInput === undefined) return refuse(`route "${i.route}" has no "${i.envTo}" target`);
  const current = targetRef(normalizeTarget(currentInput));
  const fromInput = route.targets[i.envFrom];
  const picked = pickCandidate(i, fromInput === undefined ? null : normalizeTarget(fromInput).provider);
  if (typeof picked === 'string') return refuse(picked, { route: i.route, env: i.envTo, current });
  const { ref: candidate, served } = picked;
  const base = { route: i.route, env: i.envTo, current, candidate, servedModel: served };
  if (candidate === current) return refuse(`${i.route} ${i.envTo} is already pinned to ${candidate}`, base);
  const slash = candidate.indexOf('/');
  const kind = i.classify(candidate.slice(0, slash), served);
  if (kind === 'floating' || kind === 'preview') {
    return refuse(
      `${candidate} is a ${kind === 'floating' ? 'floating alias' : 'preview'}; production needs a dated snapshot (pass --to provider/<snapshot>)`,
      base,
    );
  }

  const streak = snapshotStreak(i.runs, { route: i.route, servedModel: served, today: i.today });
  const servingRuns = runsServing(i.runs, i.route, served);
  const evidence = evidenceRows(streak.history.slice(-Math.max(i.minDays + 4, 7)), servingRuns, served);
  // Compare like with like: the current pin's runs over the same days as the evidence shown.
  const since = evidence[0] ? Date.parse(`${evidence[0].date}T00:00:00Z`) : 0;
  const currentModel = current.slice(current.indexOf('/') + 1);
  const currentRuns = runsServing(i.runs, i.route, currentModel).filter(
    (r) => r.startedAt < Date.parse(`${i.today}T00:00:00Z`) + 86_400_000,
  );
  const recentCurrent = currentRuns.filter((r) => r.startedAt >= since);
  const streakDays = new Set(streak.history.slice(-streak.days).map((h) => h.day));
  const counted = streak.days > 0 ? servingRuns.filter((r) => streakDays.has(utcDay(r.startedAt))) : servingRuns;
  const full: PromoteEvidence = {
    ...base,
    streak,
    evidence,
    candidateAvg: averages(counted),
    currentAvg: averages(recentCurrent.length ? recentCurrent : currentRuns),
  };
  if (streak.days < i.minDays)
    return refuse(
      `needs ${i.minDays} consecutive passing days for ${served}, has ${streak.days} (${whyStreakEnds(streak, i.today)})`,
      full,
    );
  return { ok: true, ...full };
}

/** Why the streak stops where it does: the failing day and its failed cases, or the day without runs. */
export function whyStreakEnds(s: StreakResult, today: string): string {
  const byDay = new Map(s.history.map((h) => [h.day, h]));
  let day = byDay.has(today) ? today : addDays(today, -1);
  for (let n = 0; n < s.days; n++) day = addDays(day, -1);
  const h = byDay.get(day);
  if (s.history.length === 0) return 'no eval runs recorded for it';
  if (!h) return `no eval run on ${day}`;
  const failed = h.totalCases - h.passedCases;
  return `${day} failed: ${failed} case${failed === 1 ? '' : 's'}`;
}
