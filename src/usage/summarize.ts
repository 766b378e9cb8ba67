/** Pure aggregation of usage records per served model, route, target or canary arm. */
import type { TokenCounts, UsageRecord } from '../store/types.js';
import { percentile } from './percentile.js';
import { isError } from './record-errors.js';

export const USAGE_GROUPINGS = ['served-model', 'route', 'target', 'arm'] as const;
export type UsageGrouping = (typeof USAGE_GROUPINGS)[number];

export interface UsageRow extends TokenCounts {
  key: string;
  requests: number;
  errors: number;
  errorRate: number;
  p50LatencyMs: number | null;
  p95LatencyMs: number | null;
  /** Streaming requests only; null when none streamed. */
  p50TtftMs: number | null;
  /** Sum over requests with a known price; null when none had one (unknown, never $0). */
  costUsd: number | null;
  /** costUsd / costKnownRequests. */
  costPerRequestUsd: number | null;
  /** How many requests had a known cost; < requests means costUsd is a partial sum. */
  costKnownRequests: number;
  servedModels: string[];
  firstTs: number;
  lastTs: number;
}

/** Requests without a served model or arm still group somewhere visible. */
export const NO_VALUE = '(none)';

const KEY_OF: Record<UsageGrouping, (r: UsageRecord) => string> = {
  'served-model': (r) => r.servedModel ?? NO_VALUE,
  route: (r) => r.route,
  target: (r) => r.target,
  arm: (r) => r.arm ?? NO_VALUE,
};

/** The group a record falls in for a grouping. */
export function groupKey(r: UsageRecord, by: UsageGrouping): string {
  return KEY_OF[by](r);
}

export { isError } from './record-errors.js';

/** One group's row: counts, error rate, latency percentiles, tokens and known cost. */
export function summarizeGroup(key: string, rs: UsageRecord[]): UsageRow {
  const priced = rs.filter((r) => r.costUsd !== null);
  const cost = priced.length ? priced.reduce((s, r) => s + (r.costUsd ?? 0), 0) : null;
  const errors = rs.filter(isError).length;
  const ttfts = rs.flatMap((r) => (r.ttftMs === null ? [] : [r.ttftMs]));
  const latencies = rs.map((r) => r.latencyMs);
  return {
    key,
    requests: rs.length,
    errors,
    errorRate: rs.length ? errors / rs.length : 0,
    p50LatencyMs: percentile(latencies, 50),
    p95LatencyMs: percentile(latencies, 95),
    p50TtftMs: percentile(ttfts, 50),
    inputTokens: rs.reduce((s, r) => s + r.inputTokens, 0),
    outputTokens: rs.reduce((s, r) => s + r.outputTokens, 0),
    cachedTokens: rs.reduce((s, r) => s + r.cachedTokens, 0),
    cacheWriteTokens: rs.reduce((s, r) => s + r.cacheWriteTokens, 0),
    reasoningTokens: rs.reduce((s, r) => s + r.reasoningTokens, 0),
    costUsd: cost,
    costPerRequestUsd: cost === null ? null : cost / priced.length,
    costKnownRequests: priced.length,
    servedModels: [...new Set(rs.flatMap((r) => (r.servedModel ? [r.servedModel] : [])))].sort(),
    // reduce, not Math.min(...): spreading 100k+ arguments overflows the stack.
    firstTs: rs.reduce((m, r) => Math.min(m, r.ts), Infinity),
    lastTs: rs.reduce((m, r) => Math.max(m, r.ts), -Infinity),
  };
}

/** One row per group, busiest first (ties by key). */
export function summarizeUsage(records: readonly UsageRecord[], by: UsageGrouping): UsageRow[] {
  const groups = new Map<string, UsageRecord[]>();
  const keyOf = KEY_OF[by];
  for (const r of records) {
    const k = keyOf(r);
    const g = groups.get(k);
    if (g) g.push(r);
    else groups.set(k, [r]);
  }
  return [...groups.entries()]
    .map(([k, rs]) => summarizeGroup(k, rs))
    .sort((a, b) => b.requests - a.requests || a.key.localeCompare(b.key));
}
