/**
 * The usage_rollups table, for both dialects ({ID}, {BIGINT}, {REAL}, {HIST} are filled in per dialect
 * by migrations.ts), and the key its adding upsert conflicts on.
 */

/** Key columns, also the upsert's conflict target; a missing served model, arm or client key is '' (a NULL would never conflict). */
export const KEY_COLS = [
  'grain',
  'bucket_start',
  'route',
  'env',
  'target',
  'served_model',
  'arm',
  'client_key_id',
] as const;

export const ROLLUP_TABLE_SQL = `
CREATE TABLE IF NOT EXISTS usage_rollups (
  id {ID},
  grain {BIGINT} NOT NULL,
  bucket_start {BIGINT} NOT NULL,
  route TEXT NOT NULL,
  env TEXT NOT NULL,
  target TEXT NOT NULL,
  served_model TEXT NOT NULL,
  arm TEXT NOT NULL,
  client_key_id TEXT NOT NULL,
  requests {BIGINT} NOT NULL,
  errors {BIGINT} NOT NULL,
  version_errors {BIGINT} NOT NULL,
  input_tokens {BIGINT} NOT NULL,
  output_tokens {BIGINT} NOT NULL,
  cached_tokens {BIGINT} NOT NULL,
  cache_write_tokens {BIGINT} NOT NULL,
  reasoning_tokens {BIGINT} NOT NULL,
  priced_requests {BIGINT} NOT NULL,
  format_checked {BIGINT} NOT NULL,
  format_valid {BIGINT} NOT NULL,
  cost_usd {REAL},
  latency_hist {HIST} NOT NULL,
  latency_min_ms {REAL},
  latency_max_ms {REAL},
  ttft_hist {HIST} NOT NULL,
  ttft_min_ms {REAL},
  ttft_max_ms {REAL},
  first_ts {BIGINT} NOT NULL,
  last_ts {BIGINT} NOT NULL,
  last_ok_ts {BIGINT}
);
CREATE UNIQUE INDEX IF NOT EXISTS usage_rollups_key ON usage_rollups (${KEY_COLS.join(', ')});
`;
