/**
 * Tool-call drift between two sides of a compare, named concretely: "candidate calls lookup_order
 * twice (base once)", "candidate skips lookup_order", "issue_refund.amount 49.99 → 4999.00",
 * "candidate calls issue_refund before lookup_order". Each side is represented by its most common
 * trajectory; the signal is how many candidate samples still follow the base's.
 */
import type { SampleResult, ToolCallRecord } from './run-types.js';
import { canonicalJson } from './json-text.js';
import { fisherExact } from './stats.js';

/** A change in the share of samples that follow the base trajectory smaller than this is not drift, however significant. */
export const MIN_TRAJECTORY_SHIFT = 0.2;

type Call = Pick<ToolCallRecord, 'name' | 'args'>;

export interface TrajectoryDrift {
  /** What changed, base to candidate, in plain words; empty when the common trajectories agree. */
  changes: string[];
  /** Samples following the base's most common trajectory, per side. */
  baseFollow: number;
  baseSamples: number;
  candidateFollow: number;
  candidateSamples: number;
  /** Fisher p of following vs not, base vs candidate. */
  p: number;
  /** Significant and at least MIN_TRAJECTORY_SHIFT apart. */
  significant: boolean;
}

const signature = (calls: readonly Call[]): string => canonicalJson(calls.map((c) => [c.name, c.args]));

/** The most common trajectory among graded samples (first seen wins a tie). */
export function modalTrajectory(samples: readonly SampleResult[]): Call[] | null {
  const counts = new Map<string, { n: number; calls: Call[] }>();
  for (const s of samples) {
    if (s.status === 'errored' || s.toolCalls === undefined) continue;
    const k = signature(s.toolCalls);
    const e = counts.get(k);
    if (e) e.n++;
    else counts.set(k, { n: 1, calls: s.toolCalls.map((c) => ({ name: c.name, args: c.args })) });
  }
  let best: { n: number; calls: Call[] } | null = null;
  for (const e of counts.values()) if (!best || e.n > best.n) best = e;
  return best?.calls ?? null;
}

const times = (n: number): string => (n === 1 ? 'once' : n === 2 ? 'twice' : `${n} times`);

const decimals = (x: number): number => {
  const m = /\.(\d+)$/.exec(String(x));
  return m?.[1]?.length ?? 0;
};

/** Both sides of a changed value; numbers share their decimals so 49.99 → 4999.00 reads as money. */
export function showPair(a: unknown, b: unknown): [string, string] {
  if (typeof a === 'number' && typeof b === 'number' && Number.isFinite(a) && Number.isFinite(b)) {
    const d = Math.min(6, Math.max(decimals(a), decimals(b)));
    return [a.toFixed(d), b.toFixed(d)];
  }
  const show = (v: unknown): string =>
    v === undefined ? '(absent)' : typeof v === 'string' ? JSON.stringify(v) : canonicalJson(v);
  return [show(a), show(b)];
}

function flatten(v: unknown, path: string, out: Map<string, unknown>): Map<string, unknown> {
  if (Array.isArray(v)) v.forEach((x, i) => flatten(x, `${path}[${i}]`, out));
  else if (v !== null && typeof v === 'object' && Object.keys(v).length > 0)
    for (const [k, x] of Object.entries(v)) flatten(x, `${path}.${k}`, out);
  else out.set(path, v);
  return out;
}

/** Argument changes between two calls of the same tool, `tool.path a → b`. */
function argChanges(name: string, a: Record<string, unknown>, b: Record<string, unknown>): string[] {
  const fa = flatten(a, name, new Map());
  const fb = flatten(b, name, new Map());
  const out: string[] = [];
  for (const k of new Set([...fa.keys(), ...fb.keys()])) {
    if (k === name) continue;
    const x = fa.get(k);
    const y = fb.get(k);
    if (canonicalJson(x) === canonicalJson(y) && fa.has(k) === fb.has(k)) continue;
    if (!fb.has(k)) out.push(`${k} dropped (was ${showPair(x, undefined)[0]})`);
    else if (!fa.has(k)) out.push(`${k} added (${showPair(undefined, y)[1]})`);
    else {
      const [sx, sy] = showPair(x, y);
      out.push(`${k} ${sx} → ${sy}`);
    }
  }
  return out;
}

/** Names in order of first call. */
const firstOrder = (calls: readonly Call[]): string[] => [...new Set(calls.map((c) => c.name))];

/** What differs between two trajectories, base to candidate, in plain words. */
export function describeTrajectoryChange(base: readonly Call[], cand: readonly Call[]): string[] {
  const out: string[] = [];
  const names = [...new Set([...firstOrder(base), ...firstOrder(cand)])];
  const of = (cs: readonly Call[], n: string): Call[] => cs.filter((c) => c.name === n);
  for (const n of names) {
    const b = of(base, n);
    const c = of(cand, n);
    if (c.length === 0) out.push(`candidate skips ${n}`);
    else if (b.length === 0) out.push(`candidate calls ${n}, which base never calls`);
    else if (b.length !== c.length) out.push(`candidate calls ${n} ${times(c.length)} (base ${times(b.length)})`);
  }
  const seen = new Set<string>();
  for (const n of names) {
    const b = of(base, n);
    const c = of(cand, n);
    for (let i = 0; i < Math.min(b.length, c.length); i++) {
      for (const ch of argChanges(n, b[i]?.args ?? {}, c[i]?.args ?? {})) {
        if (!seen.has(ch)) out.push(ch);
        seen.add(ch);
      }
    }
  }
  const common = new Set(firstOrder(base).filter((n) => firstOrder(cand).includes(n)));
  const bo = firstOrder(base).filter((n) => common.has(n));
  const co = firstOrder(cand).filter((n) => common.has(n));
  const at = co.findIndex((n, i) => bo[i] !== n);
  if (at >= 0) {
    const moved = co[at] as string;
    const before = bo.slice(0, bo.indexOf(moved)).find((n) => co.indexOf(n) > at);
    out.push(
      before
        ? `candidate calls ${moved} before ${before}`
        : `candidate calls ${co.join(', ')} in a different order (base ${bo.join(', ')})`,
    );
  }
  return out;
}

/** Tool-call drift of one case; null when neither side ran a tool loop. */
export function trajectoryDrift(
  base: readonly SampleResult[],
  cand: readonly SampleResult[],
  alpha: number,
): TrajectoryDrift | null {
  const bm = modalTrajectory(base);
  const cm = modalTrajectory(cand);
  if (bm === null || cm === null) return null;
  const key = signature(bm);
  const follow = (ss: readonly SampleResult[]) => {
    const graded = ss.filter((s) => s.status !== 'errored' && s.toolCalls !== undefined);
    return { n: graded.filter((s) => signature(s.toolCalls ?? []) === key).length, of: graded.length };
  };
  const b = follow(base);
  const c = follow(cand);
  const p = fisherExact(b.n, b.of - b.n, c.n, c.of - c.n);
  const shift = b.of === 0 || c.of === 0 ? 0 : b.n / b.of - c.n / c.of;
  return {
    changes: describeTrajectoryChange(bm, cm),
    baseFollow: b.n,
    baseSamples: b.of,
    candidateFollow: c.n,
    candidateSamples: c.of,
    p,
    significant: p < alpha && shift >= MIN_TRAJECTORY_SHIFT,
  };
}
