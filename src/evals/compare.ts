/**
 * The drift report between two arms (two environments or two models) of one run: per-case
 * regressions and fixes with Fisher's exact test over repeats, format drift, enum and field
 * changes, token/cost/latency deltas, served models, output similarity, and one verdict line.
 */
import type { ArmRun, CaseResult, CaseStatus } from './run-types.js';
import { fisherExact, mannWhitney, mean, percentile } from './stats.js';
import { enumChanges, fieldChanges, shapeOf, type EnumChange, type FormatStats } from './drift-shape.js';
import { levenshteinSimilarity } from './similarity.js';
import { trajectoryDrift, type TrajectoryDrift } from './trajectory.js';

export type CaseChange = 'regression' | 'fix' | 'same' | 'only-base' | 'only-candidate';

export interface CaseDelta {
  suite: string;
  caseId: string;
  route: string;
  base: { status: CaseStatus; passes: number; failures: number; errors: number } | null;
  candidate: { status: CaseStatus; passes: number; failures: number; errors: number } | null;
  change: CaseChange;
  /** Two-sided Fisher p of this case's pass/fail samples, base vs candidate. */
  p: number;
  significant: boolean;
  baseOutputTokens: number | null;
  candidateOutputTokens: number | null;
  tokenDeltaPct: number | null;
  /** Normalized Levenshtein similarity of the first answers on each side. */
  similarity: number | null;
  /** The answer that explains each side's status (a failing one if any), for reviewers; capped. */
  baseAnswer: string | null;
  candidateAnswer: string | null;
  /** Tool-calling cases: how the candidate's tool calls differ (src/evals/trajectory.ts); null otherwise. */
  tools: TrajectoryDrift | null;
}

export interface SideSummary {
  arm: string;
  env: string;
  servedModels: string[];
  fingerprints: string[];
  passedSamples: number;
  gradedSamples: number;
  format: FormatStats;
  inputTokens: number;
  outputTokens: number;
  costUsd: number | null;
  p50LatencyMs: number | null;
  p95LatencyMs: number | null;
}

export type Verdict = 'drift' | 'changed' | 'no-drift';

export interface CompareReport {
  alpha: number;
  base: SideSummary;
  candidate: SideSummary;
  cases: CaseDelta[];
  regressions: number;
  fixes: number;
  /** Fisher p of pooled pass/fail samples over matched cases. */
  passRateP: number;
  fencedP: number;
  bareJsonP: number;
  enumChanges: EnumChange[];
  fields: { dropped: string[]; added: string[] };
  outputTokenDeltaPct: number | null;
  costDeltaPct: number | null;
  meanSimilarity: number | null;
  /** Mann–Whitney p of fresh (uncached) latencies, base vs candidate; null without enough samples. */
  latencyP: number | null;
  /** Candidate p50 latency vs base, in percent. */
  latencyShiftPct: number | null;
  verdict: Verdict;
  verdictLine: string;
}

/** A latency shift smaller than this is not reported even when significant: networks jitter by that much. */
export const MIN_LATENCY_SHIFT_PCT = 25;
const ANSWER_CAP = 4000;

const key = (c: CaseResult): string => `${c.suite}\u0000${c.caseId}\u0000${c.route}`;
const pct = (x: number): string => `${Math.round(x * 100)}%`;
const signedPct = (x: number): string => `${x >= 0 ? '+' : ''}${Math.round(x)}%`;
const share = (n: number, d: number): number => (d === 0 ? 0 : n / d);
const fmtP = (p: number): string => (p < 0.001 ? p.toExponential(1) : p.toFixed(3));

function meanOf(c: CaseResult, f: (s: CaseResult['samples'][number]) => number | null): number | null {
  const xs = c.samples.filter((s) => s.status !== 'errored').map(f);
  if (xs.some((x) => x === null)) return null;
  return mean(xs as number[]);
}

/** Latencies measured on this run: cached answers carry the latency of the call that stored them. */
const freshLatencies = (cases: CaseResult[]): number[] => cases.flatMap((c) => c.samples).filter((s) => s.status !== 'errored' && !s.cached).map((s) => s.latencyMs);

/** The sample a reviewer should read: the first failing one, else the first graded one. */
function answerOf(c: CaseResult | undefined): string | null {
  const s = c?.samples.find((x) => x.status === 'failed') ?? c?.samples.find((x) => x.status !== 'errored');
  return s ? s.output.slice(0, ANSWER_CAP) : null;
}

function side(run: ArmRun, cases: CaseResult[]): SideSummary {
  const samples = cases.flatMap((c) => c.samples);
  const graded = samples.filter((s) => s.status !== 'errored');
  const latencies = freshLatencies(cases);
  const costs = cases.map((c) => meanOf(c, (s) => s.costUsd));
  return {
    arm: run.arm,
    env: run.env,
    servedModels: run.summary.servedModels,
    fingerprints: run.summary.fingerprints,
    passedSamples: graded.filter((s) => s.status === 'passed').length,
    gradedSamples: graded.length,
    format: shapeOf(samples).format,
    // Per-case means, so a different number of completed repeats does not skew the totals.
    inputTokens: cases.reduce((n, c) => n + (meanOf(c, (s) => s.inputTokens) ?? 0), 0),
    outputTokens: cases.reduce((n, c) => n + (meanOf(c, (s) => s.outputTokens) ?? 0), 0),
    costUsd: costs.some((x) => x === null) ? null : costs.reduce<number>((n, x) => n + (x ?? 0), 0),
    p50LatencyMs: percentile(latencies, 50),
    p95LatencyMs: percentile(latencies, 95),
  };
}

function caseDelta(b: CaseResult | undefined, c: CaseResult | undefined, alpha: number): CaseDelta {
  const ref = (b ?? c) as CaseResult;
  const brief = (x: CaseResult | undefined) => (x ? { status: x.status, passes: x.passes, failures: x.failures, errors: x.errors } : null);
  const p = b && c ? fisherExact(b.passes, b.failures, c.passes, c.failures) : 1;
  let change: CaseChange = 'same';
  if (!b) change = 'only-candidate';
  else if (!c) change = 'only-base';
  else if (b.status === 'passed' && c.status === 'failed') change = 'regression';
  else if (b.status === 'failed' && c.status === 'passed') change = 'fix';
  const bt = b ? meanOf(b, (s) => s.outputTokens) : null;
  const ct = c ? meanOf(c, (s) => s.outputTokens) : null;
  const firstB = b?.samples.find((s) => s.status !== 'errored');
  const firstC = c?.samples.find((s) => s.status !== 'errored');
  return {
    suite: ref.suite,
    caseId: ref.caseId,
    route: ref.route,
    base: brief(b),
    candidate: brief(c),
    change,
    p,
    significant: (change === 'regression' || change === 'fix') && p < alpha,
    baseOutputTokens: bt,
    candidateOutputTokens: ct,
    tokenDeltaPct: bt !== null && ct !== null && bt > 0 ? ((ct - bt) / bt) * 100 : null,
    similarity: firstB && firstC ? levenshteinSimilarity(firstB.output.slice(0, 2000), firstC.output.slice(0, 2000)) : null,
    baseAnswer: answerOf(b),
    candidateAnswer: answerOf(c),
    tools: b && c ? trajectoryDrift(b.samples, c.samples, alpha) : null,
  };
}

export function compareArms(baseRun: ArmRun, candRun: ArmRun, opts: { alpha?: number } = {}): CompareReport {
  const alpha = opts.alpha ?? 0.05;
  const bMap = new Map(baseRun.cases.map((c) => [key(c), c]));
  const cMap = new Map(candRun.cases.map((c) => [key(c), c]));
  const keys = [...new Set([...bMap.keys(), ...cMap.keys()])];
  const cases = keys.map((k) => caseDelta(bMap.get(k), cMap.get(k), alpha));
  const matched = keys.filter((k) => bMap.has(k) && cMap.has(k));
  const bCases = matched.map((k) => bMap.get(k) as CaseResult);
  const cCases = matched.map((k) => cMap.get(k) as CaseResult);
  const base = side(baseRun, bCases);
  const candidate = side(candRun, cCases);
  const bShape = shapeOf(bCases.flatMap((c) => c.samples));
  const cShape = shapeOf(cCases.flatMap((c) => c.samples));
  const bf = base.format;
  const cf = candidate.format;
  const passRateP = fisherExact(base.passedSamples, base.gradedSamples - base.passedSamples, candidate.passedSamples, candidate.gradedSamples - candidate.passedSamples);
  const fencedP = fisherExact(bf.fenced, bf.jsonBearing - bf.fenced, cf.fenced, cf.jsonBearing - cf.fenced);
  const bareJsonP = fisherExact(bf.bareJson, bf.jsonBearing - bf.bareJson, cf.bareJson, cf.jsonBearing - cf.bareJson);
  const sims = cases.map((c) => c.similarity).filter((s): s is number => s !== null);
  const bLat = freshLatencies(bCases);
  const cLat = freshLatencies(cCases);
  const report: CompareReport = {
    alpha,
    base,
    candidate,
    cases,
    regressions: cases.filter((c) => c.change === 'regression').length,
    fixes: cases.filter((c) => c.change === 'fix').length,
    passRateP,
    fencedP,
    bareJsonP,
    enumChanges: enumChanges(bShape, cShape),
    fields: fieldChanges(bShape, cShape),
    outputTokenDeltaPct: base.outputTokens > 0 ? ((candidate.outputTokens - base.outputTokens) / base.outputTokens) * 100 : null,
    costDeltaPct: base.costUsd !== null && candidate.costUsd !== null && base.costUsd > 0 ? ((candidate.costUsd - base.costUsd) / base.costUsd) * 100 : null,
    meanSimilarity: mean(sims),
    latencyP: bLat.length >= 2 && cLat.length >= 2 ? mannWhitney(bLat, cLat) : null,
    latencyShiftPct: base.p50LatencyMs !== null && candidate.p50LatencyMs !== null && base.p50LatencyMs > 0 ? ((candidate.p50LatencyMs - base.p50LatencyMs) / base.p50LatencyMs) * 100 : null,
    verdict: 'no-drift',
    verdictLine: '',
  };
  return { ...report, ...verdictOf(report) };
}

function verdictOf(r: CompareReport): { verdict: Verdict; verdictLine: string } {
  const bRate = share(r.base.passedSamples, r.base.gradedSamples);
  const cRate = share(r.candidate.passedSamples, r.candidate.gradedSamples);
  const passDrop = cRate < bRate && r.passRateP < r.alpha;
  const caseSignificant = r.cases.some((c) => c.change === 'regression' && c.significant);
  const bf = r.base.format;
  const cf = r.candidate.format;
  const fencedShift = r.fencedP < r.alpha && share(cf.fenced, cf.jsonBearing) > share(bf.fenced, bf.jsonBearing);
  const bareShift = r.bareJsonP < r.alpha && share(cf.bareJson, cf.jsonBearing) < share(bf.bareJson, bf.jsonBearing);
  const parts: string[] = [];
  if (r.regressions > 0) {
    const p = Math.min(r.passRateP, ...r.cases.filter((c) => c.change === 'regression').map((c) => c.p));
    parts.push(`regresses ${r.regressions} case${r.regressions === 1 ? '' : 's'} (p=${fmtP(p)}${p < r.alpha ? '' : ', not significant'})`);
  }
  if (r.fixes > 0) parts.push(`fixes ${r.fixes}`);
  const toolDrift = r.cases.filter((c) => c.tools !== null && c.tools.changes.length > 0);
  for (const c of toolDrift) parts.push(`tool calls in ${c.caseId}: ${c.tools?.changes.join(', ')}`);
  if (share(cf.fenced, cf.jsonBearing) !== share(bf.fenced, bf.jsonBearing) && bf.jsonBearing > 0 && cf.jsonBearing > 0) {
    parts.push(`JSON fenced ${pct(share(bf.fenced, bf.jsonBearing))} -> ${pct(share(cf.fenced, cf.jsonBearing))}`);
  } else if (share(cf.bareJson, cf.jsonBearing) !== share(bf.bareJson, bf.jsonBearing)) {
    parts.push(`bare JSON ${pct(share(bf.bareJson, bf.jsonBearing))} -> ${pct(share(cf.bareJson, cf.jsonBearing))}`);
  }
  for (const e of r.enumChanges) {
    if (e.onlyCandidate.length > 0) parts.push(`new ${e.path} value${e.onlyCandidate.length > 1 ? 's' : ''} ${e.onlyCandidate.join(', ')}`);
  }
  if (r.fields.dropped.length > 0) parts.push(`fields dropped ${r.fields.dropped.join(', ')}`);
  if (r.fields.added.length > 0) parts.push(`fields added ${r.fields.added.join(', ')}`);
  const tokensNotable = r.outputTokenDeltaPct !== null && Math.abs(r.outputTokenDeltaPct) >= 5;
  if (tokensNotable && r.outputTokenDeltaPct !== null) parts.push(`tokens ${signedPct(r.outputTokenDeltaPct)}`);
  if (r.costDeltaPct !== null && Math.abs(r.costDeltaPct) >= 5) parts.push(`cost ${signedPct(r.costDeltaPct)}`);
  // Same answers can still come from a different deployment: a significant latency shift is a change worth a look.
  if (r.latencyP !== null && r.latencyP < r.alpha && r.latencyShiftPct !== null && Math.abs(r.latencyShiftPct) >= MIN_LATENCY_SHIFT_PCT) {
    parts.push(`latency p50 ${Math.round(r.base.p50LatencyMs ?? 0)} -> ${Math.round(r.candidate.p50LatencyMs ?? 0)} ms (${signedPct(r.latencyShiftPct)}, p=${fmtP(r.latencyP)})`);
  }
  const who = `${r.candidate.arm}${r.candidate.servedModels.length > 0 ? ` (${r.candidate.servedModels.join(', ')})` : ''}`;
  const against = `${r.base.arm}${r.base.servedModels.length > 0 ? ` (${r.base.servedModels.join(', ')})` : ''}`;
  const toolShift = toolDrift.some((c) => c.tools?.significant === true);
  if (passDrop || caseSignificant || fencedShift || bareShift || toolShift) return { verdict: 'drift', verdictLine: `DRIFT: ${who} ${parts.join(', ')}` };
  if (parts.length > 0) return { verdict: 'changed', verdictLine: `CHANGED (no significant regression): ${who} vs ${against}: ${parts.join(', ')}` };
  return { verdict: 'no-drift', verdictLine: `NO DRIFT: ${who} matches ${against} (${r.candidate.passedSamples}/${r.candidate.gradedSamples} vs ${r.base.passedSamples}/${r.base.gradedSamples} samples passed)` };
}
