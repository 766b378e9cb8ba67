/**
 * The drift report between two arms (two environments or two models) of one run: per-case
 * regressions and fixes with exact permutation tests over repeats, format drift, refusal rate, enum
 * and field changes, token/cost/latency deltas, served models, output similarity, the gating signals
 * with their p-values, effects and floors, and one verdict line.
 */
import type { Random } from '../core/random.js';
import type { ArmRun, CaseResult, CaseStatus, SampleResult } from './run-types.js';
import { mannWhitney, mean, percentile } from './stats.js';
import { meanDiffTest, minMeanP, minRateP, rateTest } from './permutation.js';
import { detectRefusal } from './refusal.js';
import {
  DEFAULT_ALPHA,
  DEFAULT_FLOORS,
  caseSignalLabel,
  judgeSignals,
  type Floors,
  type SignalInput,
  type SignalResult,
} from './signals.js';
import { verdictOf } from './verdict.js';
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
  /** Two-sided exact permutation p of this case's pass/fail samples, base vs candidate. */
  p: number;
  /** `p` Holm-adjusted with the other gating signals of the compare: what `significant` is judged on. */
  pAdjusted: number;
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
  /** Graded samples that refuse (built-in detector, or the sample's own is-refusal / not-refusal outcome). */
  refusals: number;
  format: FormatStats;
  inputTokens: number;
  outputTokens: number;
  costUsd: number | null;
  p50LatencyMs: number | null;
  p95LatencyMs: number | null;
}

export type Verdict = 'drift' | 'changed' | 'no-drift' | 'insufficient';

export interface CompareReport {
  alpha: number;
  base: SideSummary;
  candidate: SideSummary;
  cases: CaseDelta[];
  regressions: number;
  fixes: number;
  /** Effect-size floors the gating signals were held to. */
  floors: Floors;
  /** Every signal with its p-value (Holm-adjusted over the gating ones), effect, floor and smallest reachable p. */
  signals: SignalResult[];
  /** Raw exact permutation p of pooled pass/fail samples over matched cases. */
  passRateP: number;
  refusalP: number;
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
  /** The verdict in one sentence: what gated first, then other moves beyond noise, then a summary of the noise. */
  verdictLine: string;
  /** Moves within this run's noise (neither gating nor named), as the verdict line summarises them. */
  withinNoise: string[];
}

const ANSWER_CAP = 4000;

const key = (c: CaseResult): string => `${c.suite}\u0000${c.caseId}\u0000${c.route}`;
const share = (n: number, d: number): number => (d === 0 ? 0 : n / d);

function meanOf(c: CaseResult, f: (s: CaseResult['samples'][number]) => number | null): number | null {
  const xs = c.samples.filter((s) => s.status !== 'errored').map(f);
  if (xs.some((x) => x === null)) return null;
  return mean(xs as number[]);
}

/** Latencies measured on this run: cached answers carry the latency of the call that stored them. */
const freshLatencies = (cases: CaseResult[]): number[] =>
  cases
    .flatMap((c) => c.samples)
    .filter((s) => s.status !== 'errored' && !s.cached)
    .map((s) => s.latencyMs);

/** The sample a reviewer should read: the first failing one, else the first graded one. */
function answerOf(c: CaseResult | undefined): string | null {
  const s = c?.samples.find((x) => x.status === 'failed') ?? c?.samples.find((x) => x.status !== 'errored');
  return s ? s.output.slice(0, ANSWER_CAP) : null;
}

/** A sample's own refusal check decides when the case has one (it may ask a judge); else the built-in detector. */
export function isRefusal(s: SampleResult): boolean {
  const own = s.assertions.find((a) => a.type === 'is-refusal' || a.type === 'not-refusal');
  if (own) return own.type === 'is-refusal' ? own.pass : !own.pass;
  return detectRefusal(s.output, s.stopReason !== undefined ? { stopReason: s.stopReason } : {}).refusal;
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
    refusals: graded.filter(isRefusal).length,
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
  const brief = (x: CaseResult | undefined) =>
    x ? { status: x.status, passes: x.passes, failures: x.failures, errors: x.errors } : null;
  const p = b && c ? rateTest(b.passes, b.passes + b.failures, c.passes, c.passes + c.failures) : 1;
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
    pAdjusted: p,
    significant: (change === 'regression' || change === 'fix') && p < alpha,
    baseOutputTokens: bt,
    candidateOutputTokens: ct,
    tokenDeltaPct: bt !== null && ct !== null && bt > 0 ? ((ct - bt) / bt) * 100 : null,
    similarity:
      firstB && firstC ? levenshteinSimilarity(firstB.output.slice(0, 2000), firstC.output.slice(0, 2000)) : null,
    baseAnswer: answerOf(b),
    candidateAnswer: answerOf(c),
    tools: b && c ? trajectoryDrift(b.samples, c.samples, alpha) : null,
  };
}

export interface CompareOptions {
  alpha?: number;
  /** Overrides of the default effect-size floors. */
  floors?: Partial<Floors>;
  /** Monte Carlo relabellings of the token test when there are too many to count (seeded by default). */
  random?: Random;
}

export function compareArms(baseRun: ArmRun, candRun: ArmRun, opts: CompareOptions = {}): CompareReport {
  const alpha = opts.alpha ?? DEFAULT_ALPHA;
  const floors: Floors = { ...DEFAULT_FLOORS, ...opts.floors };
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
  const passRateP = rateTest(base.passedSamples, base.gradedSamples, candidate.passedSamples, candidate.gradedSamples);
  const fencedP = rateTest(bf.fenced, bf.jsonBearing, cf.fenced, cf.jsonBearing);
  const bareJsonP = rateTest(bf.bareJson, bf.jsonBearing, cf.bareJson, cf.jsonBearing);
  const refusalP = rateTest(base.refusals, base.gradedSamples, candidate.refusals, candidate.gradedSamples);
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
    floors,
    signals: [],
    passRateP,
    refusalP,
    fencedP,
    bareJsonP,
    enumChanges: enumChanges(bShape, cShape),
    fields: fieldChanges(bShape, cShape),
    outputTokenDeltaPct:
      base.outputTokens > 0 ? ((candidate.outputTokens - base.outputTokens) / base.outputTokens) * 100 : null,
    costDeltaPct:
      base.costUsd !== null && candidate.costUsd !== null && base.costUsd > 0
        ? ((candidate.costUsd - base.costUsd) / base.costUsd) * 100
        : null,
    meanSimilarity: mean(sims),
    latencyP: bLat.length >= 2 && cLat.length >= 2 ? mannWhitney(bLat, cLat) : null,
    latencyShiftPct:
      base.p50LatencyMs !== null && candidate.p50LatencyMs !== null && base.p50LatencyMs > 0
        ? ((candidate.p50LatencyMs - base.p50LatencyMs) / base.p50LatencyMs) * 100
        : null,
    verdict: 'no-drift',
    verdictLine: '',
    withinNoise: [],
  };
  const signals = judgeSignals(signalInputs(report, bCases, cCases, opts.random), { alpha, floors });
  const judged = { ...report, signals, cases: withCaseSignals(cases, signals, alpha) };
  return { ...judged, ...verdictOf(judged) };
}

const graded = (c: CaseResult): SampleResult[] => c.samples.filter((s) => s.status !== 'errored');

function rateSignal(
  signal: SignalInput['signal'],
  label: string,
  b: [number, number],
  c: [number, number],
  worseWhenHigher: boolean,
): SignalInput {
  const br = share(b[0], b[1]);
  const cr = share(c[0], c[1]);
  return {
    signal,
    label,
    gates: true,
    base: b[1] === 0 ? null : br,
    candidate: c[1] === 0 ? null : cr,
    effect: worseWhenHigher ? cr - br : br - cr,
    pRaw: rateTest(b[0], b[1], c[0], c[1]),
    minP: minRateP(b[1], c[1]),
    n: [b[1], c[1]],
    method: 'exact',
  };
}

/** The signals of a compare, before Holm and the floors. Shares with no samples on a side are left out: they cannot move. */
function signalInputs(
  r: CompareReport,
  bCases: CaseResult[],
  cCases: CaseResult[],
  random: Random | undefined,
): SignalInput[] {
  const b = r.base;
  const c = r.candidate;
  const out: SignalInput[] = [
    rateSignal('pass-rate', 'pass rate', [b.passedSamples, b.gradedSamples], [c.passedSamples, c.gradedSamples], false),
  ];
  bCases.forEach((bc, i) => {
    const cc = cCases[i];
    if (!cc || bc.passes + bc.failures === 0 || cc.passes + cc.failures === 0) return;
    out.push(
      rateSignal(
        'case',
        caseSignalLabel(bc),
        [bc.passes, bc.passes + bc.failures],
        [cc.passes, cc.passes + cc.failures],
        false,
      ),
    );
  });
  if (b.format.jsonBearing > 0 && c.format.jsonBearing > 0) {
    out.push(
      rateSignal(
        'fenced',
        'JSON fenced',
        [b.format.fenced, b.format.jsonBearing],
        [c.format.fenced, c.format.jsonBearing],
        true,
      ),
    );
    out.push(
      rateSignal(
        'bare-json',
        'bare (valid) JSON',
        [b.format.bareJson, b.format.jsonBearing],
        [c.format.bareJson, c.format.jsonBearing],
        false,
      ),
    );
  }
  if (b.gradedSamples > 0 && c.gradedSamples > 0)
    out.push(rateSignal('refusal', 'refusal rate', [b.refusals, b.gradedSamples], [c.refusals, c.gradedSamples], true));
  const strata = bCases
    .map((bc, i) => ({
      base: graded(bc).map((s) => s.outputTokens),
      candidate: cCases[i] ? graded(cCases[i] as CaseResult).map((s) => s.outputTokens) : [],
    }))
    .filter((st) => st.base.length > 0 && st.candidate.length > 0);
  if (strata.length > 0 && b.outputTokens > 0) {
    const t = meanDiffTest(strata, random ? { random } : {});
    out.push({
      signal: 'tokens',
      label: 'output tokens',
      gates: true,
      base: b.outputTokens,
      candidate: c.outputTokens,
      effect: (c.outputTokens - b.outputTokens) / b.outputTokens,
      pRaw: t.p,
      minP: minMeanP(strata.map((st) => ({ base: st.base.length, candidate: st.candidate.length }))),
      n: [strata.reduce((n, st) => n + st.base.length, 0), strata.reduce((n, st) => n + st.candidate.length, 0)],
      method: t.exact
        ? 'exact (stratified by case)'
        : `monte-carlo, ${t.permutations} relabellings (stratified by case)`,
    });
  }
  if (r.latencyP !== null && r.latencyShiftPct !== null) {
    const n1 = freshLatencies(bCases).length;
    const n2 = freshLatencies(cCases).length;
    out.push({
      signal: 'latency',
      label: 'latency p50',
      gates: false,
      base: b.p50LatencyMs,
      candidate: c.p50LatencyMs,
      effect: r.latencyShiftPct / 100,
      pRaw: r.latencyP,
      minP: minRateP(n1, n2),
      n: [n1, n2],
      method: 'Mann–Whitney U, normal approx.',
    });
  }
  return out;
}

/** Each case's p and significance come from its signal (Holm-adjusted with the rest of the family). */
function withCaseSignals(cases: CaseDelta[], signals: SignalResult[], alpha: number): CaseDelta[] {
  const byLabel = new Map(signals.filter((s) => s.signal === 'case').map((s) => [s.label, s]));
  return cases.map((c) => {
    const s = byLabel.get(caseSignalLabel(c));
    if (!s) return c;
    const significant = c.change === 'regression' ? s.state === 'drift' : c.change === 'fix' ? s.p < alpha : false;
    return { ...c, pAdjusted: s.p, significant };
  });
}
