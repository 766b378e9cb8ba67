/** Human output of `modelpin usage`: the side-by-side table and the sentinel alerts under it. */
import type { SentinelEventRecord } from '../store/types.js';
import type { UsageGrouping, UsageRow } from './summarize.js';
import { formatInt, formatMs, formatPct, formatUsd, renderTable } from './table.js';

const GROUP_HEADER: Record<UsageGrouping, string> = {
  'served-model': 'served model',
  route: 'route',
  target: 'target',
  arm: 'arm',
};

function costCell(r: UsageRow): string {
  if (r.costUsd === null) return 'unknown';
  const base = formatUsd(r.costUsd);
  return r.costKnownRequests < r.requests ? `${base} (${r.costKnownRequests}/${r.requests} priced)` : base;
}

export function formatUsageTable(rows: readonly UsageRow[], by: UsageGrouping): string {
  if (rows.length === 0) return 'No usage recorded in this window.';
  const showServed = by !== 'served-model';
  const columns = [
    { header: GROUP_HEADER[by] },
    { header: 'requests', align: 'right' as const },
    { header: 'errors', align: 'right' as const },
    { header: 'p50', align: 'right' as const },
    { header: 'p95', align: 'right' as const },
    { header: 'ttft p50', align: 'right' as const },
    { header: 'tokens in/out', align: 'right' as const },
    { header: 'cached/written', align: 'right' as const },
    { header: 'reasoning', align: 'right' as const },
    { header: 'cost/req', align: 'right' as const },
    { header: 'total cost', align: 'right' as const },
    ...(showServed ? [{ header: 'served models' }] : []),
  ];
  const body = rows.map((r) => [
    r.key,
    formatInt(r.requests),
    `${formatInt(r.errors)} (${formatPct(r.errorRate)})`,
    formatMs(r.p50LatencyMs),
    formatMs(r.p95LatencyMs),
    formatMs(r.p50TtftMs),
    `${formatInt(r.inputTokens)}/${formatInt(r.outputTokens)}`,
    `${formatInt(r.cachedTokens)}/${formatInt(r.cacheWriteTokens)}`,
    formatInt(r.reasoningTokens),
    formatUsd(r.costPerRequestUsd),
    costCell(r),
    ...(showServed ? [r.servedModels.join(', ') || '-'] : []),
  ]);
  return renderTable(columns, body);
}

const KIND_TEXT: Record<SentinelEventRecord['kind'], string> = {
  served_model_changed: 'served model changed',
  fingerprint_changed: 'fingerprint changed',
  alias_moved: 'alias moved',
};

export function formatSentinelEvents(events: readonly SentinelEventRecord[]): string {
  if (events.length === 0) return 'No served-model changes in this window.';
  const lines = events.map(
    (e) =>
      `  ! ${new Date(e.ts).toISOString()}  ${e.route}  ${e.target}: ${KIND_TEXT[e.kind]} ${e.previous ?? '(none)'} -> ${e.current}`,
  );
  return [`Alerts (${events.length}):`, ...lines].join('\n');
}
