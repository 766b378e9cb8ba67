/**
 * Matching a tool-call trajectory against an expected one. Modes:
 * - strict: the same calls in the same order, nothing else;
 * - unordered: the same calls in any order (as many of each);
 * - subset: every call made is one of the expected ones (each expected call covers one call);
 * - superset: every expected call was made (other calls may come too).
 * An expected call names a tool and optionally arguments; listed arguments must equal the call's
 * (JSON equality), unlisted ones are not checked.
 */
import { canonicalJson } from './json-text.js';

export const TRAJECTORY_MODES = ['strict', 'unordered', 'subset', 'superset'] as const;
export type TrajectoryMode = (typeof TRAJECTORY_MODES)[number];

export interface ExpectedCall {
  name: string;
  args?: Record<string, unknown>;
}

export interface ActualCall {
  name: string;
  args: Record<string, unknown>;
}

export function callMatches(e: ExpectedCall, a: ActualCall): boolean {
  if (e.name !== a.name) return false;
  for (const [k, v] of Object.entries(e.args ?? {})) {
    if (!(k in a.args) || canonicalJson(a.args[k]) !== canonicalJson(v)) return false;
  }
  return true;
}

/** Maximum bipartite matching (Kuhn): expected index -> actual index. Trajectories are short. */
function maxMatching(expected: readonly ExpectedCall[], actual: readonly ActualCall[]): Map<number, number> {
  const byActual = new Map<number, number>();
  const edges = expected.map((e) => actual.flatMap((a, j) => (callMatches(e, a) ? [j] : [])));
  const tryAssign = (i: number, seen: Set<number>): boolean => {
    for (const j of edges[i] ?? []) {
      if (seen.has(j)) continue;
      seen.add(j);
      const holder = byActual.get(j);
      if (holder === undefined || tryAssign(holder, seen)) {
        byActual.set(j, i);
        return true;
      }
    }
    return false;
  };
  expected.forEach((_, i) => tryAssign(i, new Set()));
  return new Map([...byActual].map(([j, i]) => [i, j]));
}

export function showCall(c: ExpectedCall): string {
  if (c.args === undefined || Object.keys(c.args).length === 0) return c.name;
  return `${c.name}(${Object.entries(c.args)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(', ')})`;
}

const list = (cs: readonly ExpectedCall[]): string =>
  cs.length === 0 ? 'no tool calls' : cs.map((c) => c.name).join(', ');

export function matchTrajectory(
  mode: TrajectoryMode,
  expected: readonly ExpectedCall[],
  actual: readonly ActualCall[],
): { pass: boolean; reason: string } {
  const summary = `expected ${list(expected)}; got ${list(actual)}`;
  if (mode === 'strict') {
    const n = Math.max(expected.length, actual.length);
    for (let i = 0; i < n; i++) {
      const e = expected[i];
      const a = actual[i];
      if (e && a && callMatches(e, a)) continue;
      const why = !a
        ? `call ${i + 1} (${showCall(e as ExpectedCall)}) never came`
        : !e
          ? `extra call ${i + 1}: ${showCall(a)}`
          : `call ${i + 1} is ${showCall(a)}, expected ${showCall(e)}`;
      return { pass: false, reason: `${summary} (${why})` };
    }
    return { pass: true, reason: `calls in order: ${list(actual)}` };
  }
  const m = maxMatching(expected, actual);
  const usedActual = new Set(m.values());
  const missing = expected.filter((_, i) => !m.has(i));
  const extra = actual.filter((_, j) => !usedActual.has(j));
  const needMissing = mode === 'unordered' || mode === 'superset';
  const needExtra = mode === 'unordered' || mode === 'subset';
  const problems = [
    ...(needMissing && missing.length > 0 ? [`missing ${missing.map(showCall).join(', ')}`] : []),
    ...(needExtra && extra.length > 0 ? [`unexpected ${extra.map(showCall).join(', ')}`] : []),
  ];
  if (problems.length > 0) return { pass: false, reason: `${summary} (${problems.join('; ')})` };
  return { pass: true, reason: `${mode} match: ${list(actual)}` };
}
