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

/**
 * Whether a move, better or worse, is more than this run's noise and worth naming: significant after
 * Holm, or at least its floor and either unusual on its own (raw p < alpha) or beyond what these
 * sample counts could ever test. A move at its floor alone is not enough: on a sampled model a
 * 35-sample share moves 5 points between two runs of the same snapshot about every other time.
 */
export function beyondNoise(s: Pick<SignalResult, 'effect' | 'floor' | 'p' | 'pRaw' | 'minP'>, alpha: number): boolean {
  const atFloor = Math.abs(s.effect) >= s.floor - 1e-12;
  return s.p < alpha || (atFloor && (s.pRaw < alpha || s.minP >= alpha));
}

/** The label of one case's own signal. */
export const caseSignalLabel = (c: { suite: string; caseId: string; route: string }): string =>
  `case ${c.suite}/${c.caseId} [${c.route}]`;

/**
 * Holm over the gating family, then each signal's state against its floor and alpha. A test whose
 * smallest reachable p is not below alpha can never reject, so it is left out of the family (as in
 * Tarone's method for discrete tests) rather than diluting the others.
 */
export function judgeSignals(inputs: readonly SignalInput[], opts: { alpha: number; floors: Floors }): SignalResult[] {
  const gating = inputs.filter((s) => s.gates && s.minP < opts.alpha);
  const adjusted = holm(gating.map((s) => s.pRaw));
  const pOf = new Map(gating.map((s, i) => [s, adjusted[i] ?? 1]));
  return inputs.map((s) => {
    const floor = opts.floors[s.signal];
    const p = pOf.get(s) ?? s.pRaw;
    return {
      ...s,
      floor,
      p,
      state: s.gates ? stateOf(s, p, floor, opts.alpha) : stateOf({ ...s, minP: 0 }, p, floor, opts.alpha),
    };
  });
}

/** What the planned sample counts can show, stated before any call is spent. */
export interface Reachability {
  alpha: number;
  cases: number;
  /** Samples a side in all. */
  samples: number;
  /** Samples per case on each side: the smallest and the largest over cases. */
  repeat: number;
  maxRepeat: number;
  /** Smallest p of the pooled pass rate (and refusal, fenced and bare-JSON shares when every answer is JSON). */
  pooledMinP: number;
  /** Smallest p of one case's own test (the best-sampled case). */
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
  const caseMinP = samplesPerCase.length === 0 ? 1 : minRateP(Math.max(...samplesPerCase), Math.max(...samplesPerCase));
  const tokensMinP = minMeanP(samplesPerCase.map((n) => ({ base: n, candidate: n })));
  return {
    alpha,
    cases: samplesPerCase.length,
    samples: total,
    repeat: samplesPerCase.length === 0 ? 0 : Math.min(...samplesPerCase),
    maxRepeat: samplesPerCase.length === 0 ? 0 : Math.max(...samplesPerCase),
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
  const per = r.repeat === r.maxRepeat ? `${r.repeat}` : `${r.repeat}-${r.maxRepeat}`;
  const head = `statistics: ${r.cases} case${r.cases === 1 ? '' : 's'}, ${r.samples} sample${r.samples === 1 ? '' : 's'} a side (${per} per case); smallest reachable p: pass rate ${fmtP(r.pooledMinP)}, tokens ${fmtP(r.tokensMinP)}, one case ${fmtP(r.caseMinP)} (alpha ${r.alpha})`;
  if (r.blind)
    return `${head}. No signal can reach significance at this N: the verdict will be INSUFFICIENT EVIDENCE; add cases or raise --repeat.`;
  if (r.caseMinP >= r.alpha && r.caseRepeatNeeded !== null)
    return `${head}. A single case cannot be significant on its own below --repeat ${r.caseRepeatNeeded}.`;
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
      errors.push(
        `--floor "${s}" must look like signal=value with signal one of ${SIGNALS.join(', ')}, e.g. tokens=10% or pass-rate=0.05`,
      );
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

const fmtValue = (s: SignalResult, v: number | null): string => {
  if (v === null) return 'n/a';
  if (s.signal === 'tokens') return v.toFixed(0);
  if (s.signal === 'latency') return `${Math.round(v)} ms`;
  return `${Math.round(v * 100)}%`;
};

const fmtFloor = (s: SignalResult): string => fmtEffect(s.signal, s.floor).replace(/^\+/, '');

export const STATE_TEXT: Record<SignalState, string> = {
  drift: 'DRIFT',
  blind: 'cannot reach significance at this N',
  'not-significant': 'not significant',
  'below-floor': 'significant, below the floor',
  clear: 'ok',
};

/** Latency is reported, never gating: its "drift" reads as a shift, so no reader mistakes it for the verdict. */
const stateText = (s: SignalResult): string =>
  !s.gates && s.state === 'drift' ? 'shifted (not gating)' : STATE_TEXT[s.state];

/** Columns shared by the Markdown/HTML table and the JUnit text. */
export const SIGNAL_HEAD = [
  'Signal',
  'Base',
  'Candidate',
  'Effect (worse by)',
  'Floor',
  'p (Holm)',
  'p (raw)',
  'Smallest reachable p',
  'Samples',
  'Test',
  'State',
];

export function signalRow(s: SignalResult): string[] {
  return [
    s.label,
    fmtValue(s, s.base),
    fmtValue(s, s.candidate),
    fmtEffect(s.signal, s.effect),
    fmtFloor(s),
    s.gates ? fmtP(s.p) : 'not gating',
    fmtP(s.pRaw),
    fmtP(s.minP),
    `${s.n[0]} / ${s.n[1]}`,
    s.method,
    stateText(s),
  ];
}

/** One line per signal for the terminal and JUnit: value change, effect against its floor, p against the smallest reachable p. */
export function signalLine(s: SignalResult): string {
  const p = s.gates
    ? `p=${fmtP(s.p)}${s.p !== s.pRaw ? ` (raw ${fmtP(s.pRaw)})` : ''}`
    : `p=${fmtP(s.pRaw)}, not gating`;
  return `${s.label}: ${fmtValue(s, s.base)} -> ${fmtValue(s, s.candidate)}, effect ${fmtEffect(s.signal, s.effect)} (floor ${fmtFloor(s)}), ${p}, smallest reachable p=${fmtP(s.minP)}: ${stateText(s)}`;
}

/** The signals worth a line: every pooled one, and the cases that moved. */
export function notableSignals(signals: readonly SignalResult[]): SignalResult[] {
  return signals.filter((s) => s.signal !== 'case' || s.state !== 'clear' || s.effect !== 0);
}
