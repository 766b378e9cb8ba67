/** Human output of `modelpin usage --interval`: one row per bucket and version, oldest first. */
import type { UsageSeries } from './series.js';
import { formatInt, formatMs, formatPct, formatUsd, renderTable } from './table.js';

function bucketLabel(start: number, bucketMs: number): string {
  const iso = new Date(start).toISOString();
  return bucketMs % 86_400_000 === 0 ? iso.slice(0, 10) : `${iso.slice(0, 16).replace('T', ' ')}Z`;
}

export function formatUsageSeries(s: UsageSeries): string {
  const rows = s.starts.flatMap((start, i) =>
    s.series.flatMap((line) => {
      const p = line.points[i];
      if (!p) return [];
      return [
        [
          bucketLabel(start, s.bucketMs),
          line.key,
          formatInt(p.requests),
          formatPct(p.errorRate),
          formatMs(p.p95LatencyMs),
          p.outputTokensPerRequest.toFixed(1),
          formatUsd(p.costPerRequestUsd),
        ],
      ];
    }),
  );
  if (rows.length === 0) return 'No usage recorded in this window.';
  return renderTable(
    [
      { header: 'from' },
      { header: s.by },
      { header: 'requests', align: 'right' },
      { header: 'error rate', align: 'right' },
      { header: 'p95', align: 'right' },
      { header: 'out tokens/req', align: 'right' },
      { header: 'cost/req', align: 'right' },
    ],
    rows,
  );
}
