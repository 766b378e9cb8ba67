/**
 * Gating signals of a compare. Each signal has an effect (how much worse the candidate is, in its
 * own unit), an effect-size floor, a permutation-test p-value and the smallest p-value its sample
 * counts can reach. A signal calls drift only when the candidate is worse by at least the floor AND
 * its Holm-adjusted p is below alpha; a signal whose smallest reachable p is not below alpha is
 * blind at this N, and a verdict that would rest on it is "insufficient evidence", never "no drift".
 */
import { holm, minMeanP, minRateP } from './permutation.js';

export const SIGNALS = ['pass-rate', 'case', 'fenced', 'bare-json', 'refusal', 'tokens', 'latency'] as const;
export type SignalName = (typeof SIGNALS)[number];

/**
 * Effect-size floors. Rates (`pass-rate`, `case`, `fenced`, `bare-json`, `refusal`) are absolute
 * shares (0.05 = 5 percentage points); `tokens` and `latency` are relative changes (0.05 = 5%).
 */
export type Floors = Record<SignalName, number>;

export const DEFAULT_FLOORS: Floors = {
  // A few points of pass rate is what a reviewer would act on; smaller is noise or grader wobble.
  'pass-rate': 0.05,
  // One case: a single flipped sample of five is 20 points, so anything smaller is one sample's luck.
  case: 0.2,
  fenced: 0.05,
  'bare-json': 0.05,
  refusal: 0.05,
  // Token growth under 5% is within prompt-to-prompt wobble and not worth a gate.
  tokens: 0.05,
  // Networks jitter by this much between runs.
  latency: 0.25,
};

export const DEFAULT_ALPHA = 0.05;

export type SignalState =
  /** Worse by at least the floor, and significant. */
  | 'drift'
  /** Worse by at least the floor, but this N cannot reach significance at all. */
  | 'blind'
  /** Worse by at least the floor, not significant (though this N could have shown it). */
  | 'not-significant'
  /** Significant, but smaller than the floor. */
  | 'below-floor'
  /** Not worse, or worse by less than the floor without significance. */
  | 'clear';

export interface SignalInput {
  signal: SignalName;
  label: string;
  /** Part of the verdict (latency is reported, never gating). */
  gates: boolean;
  /** Each side's value: a share for rates, a per-case-mean total for tokens, p50 ms for latency. */
  base: number | null;
  candidate: number | null;
  /** How much worse the candidate is, in the floor's unit (negative = better). */
  effect: number;
  /** Raw two-sided p-value. */
  pRaw: number;
  /** Smallest p-value this test can return at these sample counts. */
  minP: number;
  /** Samples on each side. */
  n: [number, number];
  /** How p was computed, for readers: "exact", "monte-carlo (9999)", "normal approx.". */
  method: string;
}

export interface SignalResult extends SignalInput {
  floor: number;
  /** Holm-adjusted over the gating signals of this compare (raw for non-gating ones). */
  p: number;
  state: SignalState;
}

function stateOf(s: SignalInput, p: number, floor: number, alpha: number): SignalState {
  const worse = s.effect > 0;
  const big = worse && s.effect >= floor - 1e-12;
  if (big && p < alpha) return 'drift';
  if (big && s.minP >= alpha) return 'blind';
  if (big) return 'not-significant';
  if (worse && p < alpha) return 'below-floor';
  return 'clear';
}

/** Holm over the gating family, then each signal's state against its floor and alpha. */
export function judgeSignals(inputs: readonly SignalInput[], opts: { alpha: number; floors: Floors }): SignalResult[] {
  const gating = inputs.filter((s) => s.gates);
  const adjusted = holm(gating.map((s) => s.pRaw));
  const pOf = new Map(gating.map((s, i) => [s, adjusted[i] ?? 1]));
  return inputs.map((s) => {
    const floor = opts.floors[s.signal];
    const p = pOf.get(s) ?? s.pRaw;
    return { ...s, floor, p, state: s.gates ? stateOf(s, p, floor, opts.alpha) : stateOf({ ...s, minP: 0 }, p, floor, opts.alpha) };
  });
}

/** What the planned sample counts can show, stated before any call is spent. */
export interface Reachability {
  alpha: number;
  cases: number;
  /** Samples per case on each side (the smallest over cases). */
  repeat: number;
  /** Smallest p of the pooled pass rate (and refusal, fenced and bare-JSON shares when every answer is JSON). */
  pooledMinP: number;
  /** Smallest p of one case's own test. */
  caseMinP: number;
  /** Smallest p of the token-count test (distinct values assumed). */
  tokensMinP: number;
  /** No gating signal can reach alpha: any compare at this N ends in INSUFFICIENT EVIDENCE. */
  blind: boolean;
  /** Smallest --repeat at which one case can be significant on its own (null beyond 1000). */
  caseRepeatNeeded: number | null;
}

/** Smallest --repeat r at which minRateP(r, r) < alpha. */
export function repeatNeeded(alpha: number, cases = 1): number | null {
  for (let r = 1; r <= 1000; r++) if (minRateP(r * cases, r * cases) < alpha) return r;
  return null;
}

/** `samplesPerCase`: planned samples of each matched case (the same on both sides of a compare). */
export function reachability(samplesPerCase: readonly number[], alpha = DEFAULT_ALPHA): Reachability {
  const total = samplesPerCase.reduce((s, n) => s + n, 0);
  const pooledMinP = minRateP(total, total);
  const caseMinP = samplesPerCase.length === 0 ? 1 : Math.min(...samplesPerCase.map((n) => minRateP(n, n)));
  const tokensMinP = minMeanP(samplesPerCase.map((n) => ({ base: n, candidate: n })));
  return {
    alpha,
    cases: samplesPerCase.length,
    repeat: samplesPerCase.length === 0 ? 0 : Math.min(...samplesPerCase),
    pooledMinP,
    caseMinP,
    tokensMinP,
    blind: Math.min(pooledMinP, caseMinP, tokensMinP) >= alpha,
    caseRepeatNeeded: repeatNeeded(alpha),
  };
}

export const fmtP = (p: number): string => (p < 0.001 ? p.toExponential(1) : p.toFixed(3));

/** One line for the terminal before the calls: what this N can and cannot show. */
export function reachabilityLine(r: Reachability): string {
  const head = `statistics: ${r.cases} case${r.cases === 1 ? '' : 's'} x ${r.repeat} sample${r.repeat === 1 ? '' : 's'} a side; smallest reachable p: pass rate ${fmtP(r.pooledMinP)}, tokens ${fmtP(r.tokensMinP)}, one case ${fmtP(r.caseMinP)} (alpha ${r.alpha})`;
  if (r.blind) return `${head}. No signal can reach significance at this N: the verdict will be INSUFFICIENT EVIDENCE; add cases or raise --repeat.`;
  if (r.caseMinP >= r.alpha && r.caseRepeatNeeded !== null) return `${head}. A single case cannot be significant on its own below --repeat ${r.caseRepeatNeeded}.`;
  return `${head}.`;
}

/** Effect as readers see it: "+12 pp" for shares, "+23%" for relative changes. */
export function fmtEffect(signal: SignalName, effect: number): string {
  const relative = signal === 'tokens' || signal === 'latency';
  const v = Math.round(effect * 100);
  return `${v >= 0 ? '+' : ''}${v}${relative ? '%' : ' pp'}`;
}

/** Floors from `--floor name=value` flags over the defaults. */
export function parseFloors(specs: readonly string[] = []): { floors: Floors; errors: string[] } {
  const floors: Floors = { ...DEFAULT_FLOORS };
  const errors: string[] = [];
  for (const s of specs) {
    const m = /^([a-z-]+)=(\d+(?:\.\d+)?)(%?)$/.exec(s.trim());
    const name = m?.[1];
    if (!m || !name || !(SIGNALS as readonly string[]).includes(name)) {
      errors.push(`--floor "${s}" must look like signal=value with signal one of ${SIGNALS.join(', ')}, e.g. tokens=10% or pass-rate=0.05`);
      continue;
    }
    const value = Number(m[2]) / (m[3] === '%' ? 100 : 1);
    if (value < 0 || value > 10) {
      errors.push(`--floor "${s}": the value must be between 0 and 10 (or 0% and 1000%)`);
      continue;
    }
    floors[name as SignalName] = value;
  }
  return { floors, errors };
}
