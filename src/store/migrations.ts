/**
 * Versioned schema migrations, shared by both dialects. Each migration is written once with
 * type placeholders and applied in order; the `schema_version` table records what ran, so
 * `migrate()` is idempotent and several processes can call it (each store takes a lock first).
 * Never edit a migration that has shipped: add a new one.
 */
import { MODEL_ROLLUPS, MODEL_ROLLUP_TABLE_SQL, backfillModelRollups } from './model-rollups.js';
import { backfillRollups } from './rollup-backfill.js';
import { ROLLUP_TABLE_SQL } from './rollup-sql.js';
import { PARTS } from './rollup-sql-parts.js';
import { USAGE_BATCHES_SQL } from './usage-batches.js';

export type SqlDialect = 'sqlite' | 'postgres';

/**
 * One statement of a migration's data step (`?` placeholders in SQLite, `$n` in PostgreSQL). The step
 * is a generator that yields statements and receives each one's rows: SQLite runs it synchronously
 * (a migration must not yield the event loop while it holds the write lock another connection in the
 * same process may be waiting on), PostgreSQL awaits each statement.
 */
export interface MigrationStatement {
  sql: string;
  params: unknown[];
}

export type MigrationData = (dialect: SqlDialect) => Generator<MigrationStatement, void, unknown[]>;

export interface Migration {
  version: number;
  description: string;
  sql: string;
  /** Runs after `sql`, in the same transaction: moves data the new tables need. */
  data?: MigrationData;
}

const TYPES: Record<SqlDialect, Record<string, string>> = {
  // HIST: rollup histograms. PostgreSQL's `json` keeps the text as written, so reads concatenate it as
  // is; `jsonb` had to be turned back into text row by row. (Stores created at version 6 had jsonb:
  // version 8 converts them.)
  sqlite: {
    BIGINT: 'INTEGER',
    REAL: 'REAL',
    BOOL: 'INTEGER',
    JSON: 'TEXT',
    HIST: 'TEXT',
    ID: 'INTEGER PRIMARY KEY AUTOINCREMENT',
  },
  postgres: {
    BIGINT: 'BIGINT',
    REAL: 'DOUBLE PRECISION',
    BOOL: 'BOOLEAN',
    JSON: 'JSONB',
    HIST: 'JSON',
    ID: 'BIGSERIAL PRIMARY KEY',
  },
};

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'initial tables',
    sql: `
CREATE TABLE IF NOT EXISTS usage_records (
  id {ID},
  ts {BIGINT} NOT NULL,
  route TEXT NOT NULL,
  env TEXT NOT NULL,
  target TEXT NOT NULL,
  provider TEXT NOT NULL,
  requested_model TEXT NOT NULL,
  served_model TEXT,
  fingerprint TEXT,
  status {BIGINT} NOT NULL,
  error_code TEXT,
  attempts {BIGINT} NOT NULL,
  latency_ms {REAL} NOT NULL,
  ttft_ms {REAL},
  input_tokens {BIGINT} NOT NULL,
  output_tokens {BIGINT} NOT NULL,
  cached_tokens {BIGINT} NOT NULL,
  cost_usd {REAL},
  client_key_id TEXT,
  arm TEXT,
  wire TEXT NOT NULL,
  stream {BOOL} NOT NULL,
  format_valid {BOOL},
  gateway_id TEXT
);
CREATE INDEX IF NOT EXISTS usage_records_ts ON usage_records (ts);
CREATE INDEX IF NOT EXISTS usage_records_route_ts ON usage_records (route, ts);

CREATE TABLE IF NOT EXISTS eval_runs (
  id TEXT PRIMARY KEY,
  started_at {BIGINT} NOT NULL,
  finished_at {BIGINT} NOT NULL,
  suite TEXT NOT NULL,
  suite_hash TEXT NOT NULL,
  env TEXT NOT NULL,
  route TEXT NOT NULL,
  target TEXT NOT NULL,
  served_models {JSON} NOT NULL,
  fingerprints {JSON} NOT NULL,
  passed {BOOL} NOT NULL,
  total_cases {BIGINT} NOT NULL,
  passed_cases {BIGINT} NOT NULL,
  failed_cases {BIGINT} NOT NULL,
  errored_cases {BIGINT} NOT NULL,
  input_tokens {BIGINT} NOT NULL,
  output_tokens {BIGINT} NOT NULL,
  cost_usd {REAL},
  p50_latency_ms {REAL},
  p95_latency_ms {REAL},
  cases {JSON} NOT NULL
);
CREATE INDEX IF NOT EXISTS eval_runs_route_started ON eval_runs (route, env, started_at);

CREATE TABLE IF NOT EXISTS overrides (
  route TEXT NOT NULL,
  env TEXT NOT NULL,
  target TEXT NOT NULL,
  reason TEXT NOT NULL,
  actor TEXT NOT NULL,
  created_at {BIGINT} NOT NULL,
  expires_at {BIGINT},
  PRIMARY KEY (route, env)
);

CREATE TABLE IF NOT EXISTS audit (
  id {ID},
  ts {BIGINT} NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  route TEXT,
  detail {JSON} NOT NULL
);

CREATE TABLE IF NOT EXISTS canaries (
  route TEXT NOT NULL,
  env TEXT NOT NULL,
  stable TEXT NOT NULL,
  candidate TEXT NOT NULL,
  percent {REAL} NOT NULL,
  ramp {JSON} NOT NULL,
  step_index {BIGINT} NOT NULL,
  hold_ms {BIGINT} NOT NULL,
  sticky_by TEXT,
  guards {JSON} NOT NULL,
  status TEXT NOT NULL,
  reason TEXT,
  started_at {BIGINT} NOT NULL,
  step_started_at {BIGINT} NOT NULL,
  updated_at {BIGINT} NOT NULL,
  PRIMARY KEY (route, env)
);

CREATE TABLE IF NOT EXISTS served (
  target TEXT PRIMARY KEY,
  served_model TEXT NOT NULL,
  fingerprint TEXT,
  first_seen {BIGINT} NOT NULL,
  last_seen {BIGINT} NOT NULL
);

CREATE TABLE IF NOT EXISTS sentinel_events (
  id {ID},
  ts {BIGINT} NOT NULL,
  route TEXT NOT NULL,
  target TEXT NOT NULL,
  kind TEXT NOT NULL,
  previous TEXT,
  current TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS sentinel_events_ts ON sentinel_events (ts);

CREATE TABLE IF NOT EXISTS shadow_pairs (
  id {ID},
  ts {BIGINT} NOT NULL,
  route TEXT NOT NULL,
  primary_target TEXT NOT NULL,
  candidate_target TEXT NOT NULL,
  primary_served_model TEXT,
  candidate_served_model TEXT,
  primary_text TEXT NOT NULL,
  candidate_text TEXT NOT NULL,
  primary_tokens {BIGINT} NOT NULL,
  candidate_tokens {BIGINT} NOT NULL,
  primary_latency_ms {REAL} NOT NULL,
  candidate_latency_ms {REAL} NOT NULL,
  assertions {JSON} NOT NULL,
  candidate_error TEXT
);
CREATE INDEX IF NOT EXISTS shadow_pairs_route_ts ON shadow_pairs (route, ts);
`,
  },
  {
    version: 2,
    description: 'runtime shadows',
    sql: `
CREATE TABLE IF NOT EXISTS runtime_shadows (
  route TEXT NOT NULL,
  env TEXT NOT NULL,
  candidate TEXT NOT NULL,
  sample {REAL} NOT NULL,
  reason TEXT,
  actor TEXT NOT NULL,
  created_at {BIGINT} NOT NULL,
  PRIMARY KEY (route, env)
);
`,
  },
  {
    version: 3,
    // Pruning deletes by age across all routes; the (route, ts) index cannot serve `ts < ?` alone.
    description: 'shadow pairs by time, for retention',
    sql: `
CREATE INDEX IF NOT EXISTS shadow_pairs_ts ON shadow_pairs (ts);
`,
  },
  {
    version: 4,
    // A forgotten 100% mirror doubles a route's cost: runtime shadows can stop on their own.
    description: 'runtime shadow expiry',
    sql: `
ALTER TABLE runtime_shadows ADD COLUMN expires_at {BIGINT};
`,
  },
  {
    version: 5,
    // Reasoning models bill thinking as output and Anthropic bills cache writes above the input rate:
    // both must be visible per version to explain a cost change.
    description: 'cache-write and reasoning tokens on usage records',
    sql: `
ALTER TABLE usage_records ADD COLUMN cache_write_tokens {BIGINT} NOT NULL DEFAULT 0;
ALTER TABLE usage_records ADD COLUMN reasoning_tokens {BIGINT} NOT NULL DEFAULT 0;
`,
  },
  {
    version: 6,
    // Reads that scale with traffic do not survive production: usage, the dashboard and the canary
    // guards read per-bucket rollups, and the rows already recorded are rolled up once here.
    description: 'usage rollups, backfilled from usage records',
    sql: ROLLUP_TABLE_SQL,
    data: backfillRollups,
  },
  {
    version: 7,
    // A batch whose COMMIT reached PostgreSQL but whose acknowledgement was lost is retried by the
    // writer: the last sequence number applied per writer, written in the batch's own transaction,
    // lets the retry be recognised and skipped instead of counted twice.
    description: 'applied usage batches per writer',
    sql: USAGE_BATCHES_SQL,
  },
  {
    version: 8,
    description: 'rollup histograms stored as json text on PostgreSQL',
    sql: '',
    data: histogramsAsJsonText,
  },
  {
    version: 9,
    // usage, its series and the dashboard never split by arm or client key: they read rollups with
    // both folded in (a third of the rows or fewer), written beside the full ones and backfilled here.
    description: 'per-model usage rollups (arm and client key folded in), backfilled from usage rollups',
    sql: MODEL_ROLLUP_TABLE_SQL,
    data: backfillModelRollups,
  },
  {
    version: 10,
    // A month of hourly series read 28 MB of `{"bin":count}` text; runs of consecutive bins are a quarter
    // of it. The JSON columns stay, so gateways on an older version keep writing during a rolling
    // upgrade (rollup-sql-parts.ts); the rows already stored are converted here.
    description: 'rollup histograms in a compact form, beside the JSON ones',
    sql: ['usage_rollups', MODEL_ROLLUPS]
      .flatMap((t) => [
        `ALTER TABLE ${t} ADD COLUMN latency_bins TEXT NOT NULL DEFAULT '';`,
        `ALTER TABLE ${t} ADD COLUMN ttft_bins TEXT NOT NULL DEFAULT '';`,
      ])
      .join('\n'),
    data: histogramsAsBins,
  },
];

/** Migration 10's data step: each row's JSON bins moved into the compact columns, in one statement per table. */
function* histogramsAsBins(dialect: SqlDialect): Generator<MigrationStatement, void, unknown[]> {
  // SQLite keeps writing the JSON columns (sql/dialect.ts `rollupLayout`): its rows stay as they are.
  if (dialect !== 'postgres') return;
  const d = PARTS.postgres;
  for (const t of ['usage_rollups', MODEL_ROLLUPS]) {
    yield {
      sql: `UPDATE ${t} SET latency_bins = ${d.binsOfJson('latency_hist')}, ttft_bins = ${d.binsOfJson('ttft_hist')}, latency_hist = '{}'::json, ttft_hist = '{}'::json WHERE latency_hist::text <> '{}' OR ttft_hist::text <> '{}'`,
      params: [],
    };
  }
}

/** PostgreSQL only (SQLite keeps text already): a no-op for tables created as json. */
function* histogramsAsJsonText(dialect: SqlDialect): Generator<MigrationStatement, void, unknown[]> {
  if (dialect !== 'postgres') return;
  yield {
    sql: 'ALTER TABLE usage_rollups ALTER COLUMN latency_hist TYPE json USING latency_hist::json, ALTER COLUMN ttft_hist TYPE json USING ttft_hist::json',
    params: [],
  };
}

/** The migration's SQL with type placeholders filled in for a dialect. */
export function migrationSql(m: Migration, dialect: SqlDialect): string {
  const types = TYPES[dialect];
  return m.sql.replace(/\{([A-Z]+)\}/g, (whole, name: string) => {
    const t = types[name];
    if (t === undefined) throw new Error(`migration ${m.version}: unknown type placeholder ${whole}`);
    return t;
  });
}

export const SCHEMA_VERSION_DDL =
  'CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at BIGINT NOT NULL)';

export function latestVersion(): number {
  return MIGRATIONS.reduce((m, x) => Math.max(m, x.version), 0);
}

/** A store written by a newer modelpin has tables this version does not know how to keep consistent. */
export function newerSchemaMessage(applied: Iterable<number>, where: string): string | null {
  const max = Math.max(0, ...applied);
  return max > latestVersion()
    ? `${where} has schema version ${max}, newer than this modelpin supports (${latestVersion()}); upgrade modelpin`
    : null;
}
