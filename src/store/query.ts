/** WHERE-clause builders shared by both dialects; `ph(i)` renders the i-th (1-based) placeholder. */
import type { EvalRunQuery, UsageQuery } from './types.js';

export type Placeholder = (index: number) => string;
export const sqlitePh: Placeholder = () => '?';
export const postgresPh: Placeholder = (i) => `$${i}`;

export interface Where {
  sql: string;
  params: unknown[];
}

function build(conds: Array<[string, string, unknown]>, ph: Placeholder): Where {
  const parts: string[] = [];
  const params: unknown[] = [];
  for (const [col, op, value] of conds) {
    if (value === null) {
      parts.push(`${col} IS NULL`);
      continue;
    }
    params.push(value);
    parts.push(`${col} ${op} ${ph(params.length)}`);
  }
  return { sql: parts.length ? ` WHERE ${parts.join(' AND ')}` : '', params };
}

/** sinceMs is inclusive, untilMs exclusive. */
export function usageWhere(q: UsageQuery, ph: Placeholder): Where {
  const c: Array<[string, string, unknown]> = [];
  if (q.sinceMs !== undefined) c.push(['ts', '>=', q.sinceMs]);
  if (q.untilMs !== undefined) c.push(['ts', '<', q.untilMs]);
  if (q.route !== undefined) c.push(['route', '=', q.route]);
  if (q.env !== undefined) c.push(['env', '=', q.env]);
  if (q.arm !== undefined) c.push(['arm', '=', q.arm]);
  if (q.servedModel !== undefined) c.push(['served_model', '=', q.servedModel]);
  if (q.target !== undefined) c.push(['target', '=', q.target]);
  return build(c, ph);
}

/** Oldest first, or with `latest` the newest N, newest first. */
export function usageOrder(q: UsageQuery): string {
  if (q.latest === undefined) return ' ORDER BY ts, id';
  const n = Math.max(0, Math.floor(q.latest));
  return ` ORDER BY ts DESC, id DESC LIMIT ${n}`;
}

export function evalRunWhere(q: EvalRunQuery, ph: Placeholder): Where {
  const c: Array<[string, string, unknown]> = [];
  if (q.route !== undefined) c.push(['route', '=', q.route]);
  if (q.env !== undefined) c.push(['env', '=', q.env]);
  if (q.suite !== undefined) c.push(['suite', '=', q.suite]);
  if (q.sinceMs !== undefined) c.push(['started_at', '>=', q.sinceMs]);
  return build(c, ph);
}

export function routeSinceWhere(route: string | undefined, sinceMs: number | undefined, ph: Placeholder): Where {
  const c: Array<[string, string, unknown]> = [];
  if (route !== undefined) c.push(['route', '=', route]);
  if (sinceMs !== undefined) c.push(['ts', '>=', sinceMs]);
  return build(c, ph);
}

/** Whether a new observation differs from the stored one (a new served model or fingerprint). */
export function servedChanged(prev: { servedModel: string; fingerprint: string | null }, next: { servedModel: string; fingerprint: string | null }): boolean {
  return prev.servedModel !== next.servedModel || prev.fingerprint !== next.fingerprint;
}
