/** WHERE-clause builders shared by both dialects; `ph(i)` renders the i-th (1-based) placeholder. */
import type { EvalRunQuery, UsageQuery } from './types.js';

export type Placeholder = (index: number) => string;

export interface Where {
  sql: string;
  params: unknown[];
}

/** Per query field: the column it filters and how. A null value matches NULL; an undefined one is no filter. */
type Filters<Q> = { readonly [K in keyof Q]?: readonly [col: string, op: '=' | '>=' | '<'] };

function whereOf<Q extends object>(q: Q, filters: Filters<Q>, ph: Placeholder): Where {
  const parts: string[] = [];
  const params: unknown[] = [];
  for (const [field, filter] of Object.entries(filters) as Array<[keyof Q & string, readonly [string, string]]>) {
    const value = q[field];
    if (value === undefined) continue;
    const [col, op] = filter;
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
const USAGE_FILTERS: Filters<UsageQuery> = {
  sinceMs: ['ts', '>='],
  untilMs: ['ts', '<'],
  route: ['route', '='],
  env: ['env', '='],
  arm: ['arm', '='],
  servedModel: ['served_model', '='],
  target: ['target', '='],
};
const EVAL_RUN_FILTERS: Filters<EvalRunQuery> = {
  route: ['route', '='],
  env: ['env', '='],
  suite: ['suite', '='],
  sinceMs: ['started_at', '>='],
};
const ROUTE_SINCE_FILTERS: Filters<{ route?: string; sinceMs?: number }> = {
  route: ['route', '='],
  sinceMs: ['ts', '>='],
};

export const usageWhere = (q: UsageQuery, ph: Placeholder): Where => whereOf(q, USAGE_FILTERS, ph);
export const evalRunWhere = (q: EvalRunQuery, ph: Placeholder): Where => whereOf(q, EVAL_RUN_FILTERS, ph);
export const routeSinceWhere = (route: string | undefined, sinceMs: number | undefined, ph: Placeholder): Where =>
  whereOf({ route, sinceMs }, ROUTE_SINCE_FILTERS, ph);

/** Oldest first, or with `latest` the newest N, newest first. */
export function usageOrder(q: UsageQuery): string {
  if (q.latest === undefined) return ' ORDER BY ts, id';
  const n = Math.max(0, Math.floor(q.latest));
  return ` ORDER BY ts DESC, id DESC LIMIT ${n}`;
}

/** Whether a new observation differs from the stored one (a new served model or fingerprint). */
export function servedChanged(
  prev: { servedModel: string; fingerprint: string | null },
  next: { servedModel: string; fingerprint: string | null },
): boolean {
  return prev.servedModel !== next.servedModel || prev.fingerprint !== next.fingerprint;
}
