/**
 * The verdict of a compare and its one line. A DRIFT line leads with what gated (a signal worse by
 * at least its floor and significant after Holm, or a tool-call trajectory that changed
 * significantly); other moves beyond noise follow after "also". Moves within noise (see
 * `beyondNoise`) never make a compare CHANGED: they are summarised in one clause.
 */
import type { CaseDelta, CompareReport, Verdict } from './compare.js';
import { minRateP } from './permutation.js';
import { MIN_TRAJECTORY_SHIFT } from './trajectory.js';
import {
  beyondNoise,
  caseSignalLabel,
  fmtEffect,
  fmtP,
  repeatNeeded,
  type SignalName,
  type SignalResult,
} from './signals.js';

/** One thing that moved between the sides, as the verdict line names it. */
interface Move {
  text: string;
  /** It decides a DRIFT verdict. */
  gated: boolean;
  /** Beyond this run's noise: named, and enough for CHANGED. Otherwise summarised as noise. */
  named: boolean;
  /** Labels of the gating signals this move stands for. */
  covers?: string[];
}

export interface VerdictResult {
  verdict: Verdict;
  verdictLine: string;
  /** Moves too small or too uncertain to name, as summarised at the end of the verdict line. */
  withinNoise: string[];
}

const pct = (x: number): string => `${Math.round(x * 100)}%`;
const signedPct = (x: number): string => `${x >= 0 ? '+' : ''}${Math.round(x)}%`;
const share = (n: number, d: number): number => (d === 0 ? 0 : n / d);
const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
const drifts = (s: SignalResult | undefined): s is SignalResult => s !== undefined && s.gates && s.state === 'drift';
const pOf = (ss: readonly SignalResult[]): string => fmtP(Math.min(1, ...ss.map((s) => s.p)));

const signalOf = (r: CompareReport, name: SignalName): SignalResult | undefined =>
  r.signals.find((s) => s.signal === name);

function caseMoves(r: CompareReport, sig: (c: CaseDelta) => SignalResult | undefined): Move[] {
  const pass = signalOf(r, 'pass-rate');
  const pooled = pass !== undefined && beyondNoise(pass, r.alpha);
  const regressed = r.cases.filter((c) => c.change === 'regression');
  const fixed = r.cases.filter((c) => c.change === 'fix');
  // A flip is named on its own evidence, or when the pooled pass rate moved beyond noise the same way.
  const named = (c: CaseDelta, pooledWay: boolean): boolean => {
    const s = sig(c);
    return s === undefined || beyondNoise(s, r.alpha) || (pooled && pooledWay);
  };
  const out: Move[] = [];
  const gating = [pass, ...regressed.map(sig)].filter(drifts);
  const lower = gating.length > 0 ? regressed : regressed.filter((c) => named(c, (pass?.effect ?? 0) > 0));
  if (gating.length > 0) {
    const text =
      regressed.length > 0
        ? `regresses ${plural(regressed.length, 'case')}`
        : `pass rate ${pct(pass?.base ?? 0)} -> ${pct(pass?.candidate ?? 0)}`;
    out.push({ text: `${text} (p=${pOf(gating)})`, gated: true, named: true, covers: gating.map((g) => g.label) });
  } else if (lower.length > 0) {
    const evidence = [pass, ...lower.map(sig)].filter((s): s is SignalResult => s !== undefined);
    const p = Math.min(1, ...evidence.map((s) => s.p));
    out.push({
      text: `${plural(lower.length, 'case')} lower${p < r.alpha ? '' : ', not significant'} (p=${fmtP(p)})`,
      gated: false,
      named: true,
    });
  }
  const higher = fixed.filter((c) => named(c, (pass?.effect ?? 0) < 0));
  if (higher.length > 0) out.push({ text: `fixes ${higher.length}`, gated: false, named: true });
  const flipped = regressed.length - lower.length + fixed.length - higher.length;
  if (flipped > 0) out.push({ text: `${plural(flipped, 'case')} flipped`, gated: false, named: false });
  return out;
}

function toolMoves(r: CompareReport): Move[] {
  const out: Move[] = [];
  for (const c of r.cases) {
    const t = c.tools;
    if (t === null || t.changes.length === 0) continue;
    const shift = share(t.baseFollow, t.baseSamples) - share(t.candidateFollow, t.candidateSamples);
    const untestable = minRateP(t.baseSamples, t.candidateSamples) >= r.alpha;
    const floor = fmtEffect('case', MIN_TRAJECTORY_SHIFT).replace(/^\+/, '');
    const what = `tool calls changed in ${c.caseId}: ${t.changes.join(', ')}`;
    if (t.significant)
      out.push({
        text: `${what} (p=${fmtP(t.p)}, effect ${fmtEffect('case', shift)} ≥ floor ${floor})`,
        gated: true,
        named: true,
      });
    else if (t.p < r.alpha) out.push({ text: `${what} (p=${fmtP(t.p)}, below the floor)`, gated: false, named: true });
    else if (untestable && Math.abs(shift) >= MIN_TRAJECTORY_SHIFT)
      out.push({ text: `${what} (p=${fmtP(t.p)}, not significant)`, gated: false, named: true });
    else out.push({ text: `tool calls in ${c.caseId}`, gated: false, named: false });
  }
  return out;
}

/** A pooled share that moved, named with its p when it gated. */
function shareMove(
  r: CompareReport,
  label: string,
  sigs: Array<SignalResult | undefined>,
  b: [number, number],
  c: [number, number],
  alwaysP = false,
): Move[] {
  if (b[1] === 0 || c[1] === 0 || pct(share(b[0], b[1])) === pct(share(c[0], c[1]))) return [];
  const known = sigs.filter((s): s is SignalResult => s !== undefined);
  const gating = known.filter(drifts);
  const named = known.some((s) => beyondNoise(s, r.alpha));
  const p = gating.length > 0 || (alwaysP && named) ? ` (p=${pOf(gating.length > 0 ? gating : known)})` : '';
  const text = `${label} ${pct(share(b[0], b[1]))} -> ${pct(share(c[0], c[1]))}${p}`;
  return [{ text, gated: gating.length > 0, named, covers: gating.map((s) => s.label) }];
}

function pooledMoves(r: CompareReport): Move[] {
  const bf = r.base.format;
  const cf = r.candidate.format;
  const format = [signalOf(r, 'fenced'), signalOf(r, 'bare-json')];
  const fenced = shareMove(r, 'JSON fenced', format, [bf.fenced, bf.jsonBearing], [cf.fenced, cf.jsonBearing]);
  const out: Move[] =
    fenced.length > 0
      ? fenced
      : shareMove(r, 'bare JSON', format, [bf.bareJson, bf.jsonBearing], [cf.bareJson, cf.jsonBearing]);
  for (const e of r.enumChanges) {
    if (e.onlyCandidate.length > 0)
      out.push({
        text: `new ${e.path} value${e.onlyCandidate.length > 1 ? 's' : ''} ${e.onlyCandidate.join(', ')}`,
        gated: false,
        named: true,
      });
  }
  if (r.fields.dropped.length > 0)
    out.push({ text: `fields dropped ${r.fields.dropped.join(', ')}`, gated: false, named: true });
  if (r.fields.added.length > 0)
    out.push({ text: `fields added ${r.fields.added.join(', ')}`, gated: false, named: true });
  out.push(
    ...shareMove(
      r,
      'refusals',
      [signalOf(r, 'refusal')],
      [r.base.refusals, r.base.gradedSamples],
      [r.candidate.refusals, r.candidate.gradedSamples],
      true,
    ),
  );
  const tokens = signalOf(r, 'tokens');
  let tokensNamed = false;
  if (tokens && r.outputTokenDeltaPct !== null) {
    tokensNamed = beyondNoise(tokens, r.alpha);
    const text = `tokens ${signedPct(r.outputTokenDeltaPct)}${drifts(tokens) ? ` (p=${fmtP(tokens.p)})` : ''}`;
    // Length always wobbles a little: only a move at its floor is worth a mention as noise.
    if (tokensNamed || Math.abs(tokens.effect) >= tokens.floor)
      out.push({ text, gated: drifts(tokens), named: tokensNamed, covers: [tokens.label] });
  }
  if (r.costDeltaPct !== null && Math.abs(r.costDeltaPct) >= 5) {
    // Same served models have the same prices: cost then moves only with tokens, and is as noisy.
    const samePrices = r.base.servedModels.join() === r.candidate.servedModels.join();
    out.push({ text: `cost ${signedPct(r.costDeltaPct)}`, gated: false, named: tokensNamed || !samePrices });
  }
  // Same answers can still come from a different deployment: a significant latency shift is a change worth a look.
  if (
    r.latencyP !== null &&
    r.latencyP < r.alpha &&
    r.latencyShiftPct !== null &&
    Math.abs(r.latencyShiftPct) >= r.floors.latency * 100
  ) {
    out.push({
      text: `latency p50 ${Math.round(r.base.p50LatencyMs ?? 0)} -> ${Math.round(r.candidate.p50LatencyMs ?? 0)} ms (${signedPct(r.latencyShiftPct)}, p=${fmtP(r.latencyP)})`,
      gated: false,
      named: true,
    });
  }
  return out;
}

export function verdictOf(r: CompareReport): VerdictResult {
  const bySignal = new Map(r.signals.filter((s) => s.signal === 'case').map((s) => [s.label, s]));
  const moves = [...caseMoves(r, (c) => bySignal.get(caseSignalLabel(c))), ...toolMoves(r), ...pooledMoves(r)];
  // Whatever else gated leads too: a case that drifted while still meeting its threshold, say.
  const covered = new Set(moves.flatMap((m) => (m.gated ? (m.covers ?? []) : [])));
  for (const s of r.signals.filter((x) => drifts(x) && !covered.has(x.label))) {
    moves.unshift({
      text: `${s.label} worse by ${fmtEffect(s.signal, s.effect)} (p=${fmtP(s.p)})`,
      gated: true,
      named: true,
    });
  }
  const lead = moves.filter((m) => m.gated).map((m) => m.text);
  const named = moves.filter((m) => m.named && !m.gated).map((m) => m.text);
  const withinNoise = moves.filter((m) => !m.named).map((m) => m.text);
  const noise = withinNoise.length > 0 ? `; within noise: ${withinNoise.join(', ')}` : '';
  const who = `${r.candidate.arm}${r.candidate.servedModels.length > 0 ? ` (${r.candidate.servedModels.join(', ')})` : ''}`;
  const against = `${r.base.arm}${r.base.servedModels.length > 0 ? ` (${r.base.servedModels.join(', ')})` : ''}`;
  if (lead.length > 0) {
    const also = named.length > 0 ? `; also ${named.join(', ')}` : '';
    return { verdict: 'drift', verdictLine: `DRIFT: ${who} ${lead.join(', ')}${also}${noise}`, withinNoise };
  }
  const unseen = insufficiency(
    r,
    r.signals.filter((s) => s.gates),
  );
  if (unseen) {
    const seen = named.length > 0 ? named.join(', ') : 'no change seen';
    return {
      verdict: 'insufficient',
      verdictLine: `INSUFFICIENT EVIDENCE: ${who} vs ${against}: ${seen}; ${unseen}${noise}`,
      withinNoise,
    };
  }
  if (named.length > 0)
    return {
      verdict: 'changed',
      verdictLine: `CHANGED (no significant regression): ${who} vs ${against}: ${named.join(', ')}${noise}`,
      withinNoise,
    };
  const passed = `${r.candidate.passedSamples}/${r.candidate.gradedSamples} vs ${r.base.passedSamples}/${r.base.gradedSamples} samples passed`;
  return { verdict: 'no-drift', verdictLine: `NO DRIFT: ${who} matches ${against} (${passed})${noise}`, withinNoise };
}

/**
 * Why no verdict can be given, or null: a change at or over its floor that these sample counts
 * could never show significant, or no gating signal able to reach alpha at all (then "no drift"
 * would be a claim this run could not have contradicted).
 */
function insufficiency(r: CompareReport, gating: SignalResult[]): string | null {
  const blind = gating.filter((s) => s.state === 'blind');
  if (blind.length > 0) {
    const s = blind[0] as SignalResult;
    const more = blind.length > 1 ? ` (and ${blind.length - 1} more)` : '';
    const need = s.signal === 'case' ? repeatNeeded(r.alpha) : null;
    const hint = need !== null ? `run with --repeat ${need} or more` : 'add cases or raise --repeat';
    return `${s.label} is worse by ${fmtEffect(s.signal, s.effect)}${more}, but ${s.n[0]} vs ${s.n[1]} samples can reach p=${fmtP(s.minP)} at best (alpha ${r.alpha}); ${hint}`;
  }
  if (gating.length === 0 || gating.every((s) => s.minP >= r.alpha)) {
    const best = Math.min(1, ...gating.map((s) => s.minP));
    return `no signal can reach p < ${r.alpha} at this N (smallest reachable p=${fmtP(best)}); add cases or raise --repeat`;
  }
  return null;
}
