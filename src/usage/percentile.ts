/**
 * Nearest-rank percentile: the smallest value with at least p% of the sample at or below it.
 * Always an observed value (no interpolation), so "p95 = 840 ms" is a latency that happened.
 */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1] ?? null;
}
