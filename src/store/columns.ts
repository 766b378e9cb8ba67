/**
 * Column specs shared by the SQLite and PostgreSQL stores: one description of how each record
 * field maps to a column, so both dialects encode and decode rows identically.
 */
import { StoreError } from '../core/errors.js';
import type {
  AuditRecord,
  CanaryRecord,
  EvalRunRecord,
  OverrideRecord,
  RuntimeShadowRecord,
  SentinelEventRecord,
  ServedObservation,
  ShadowPairRecord,
  UsageRecord,
} from './types.js';

export type ColKind = 'int' | 'real' | 'text' | 'bool' | 'json';

export interface Col<R> {
  col: string;
  key: keyof R & string;
  kind: ColKind;
  nullable?: boolean;
}

export interface TableSpec<R> {
  table: string;
  cols: ReadonlyArray<Col<R>>;
}

/** How a dialect represents booleans and JSON on the wire. */
export interface Dialect {
  name: 'sqlite' | 'postgres';
  encode(kind: ColKind, v: unknown): unknown;
}

export const sqliteDialect: Dialect = {
  name: 'sqlite',
  encode(kind, v) {
    if (v === null || v === undefined) return null;
    if (kind === 'bool') return v ? 1 : 0;
    if (kind === 'json') return JSON.stringify(v);
    return v;
  },
};

export const postgresDialect: Dialect = {
  name: 'postgres',
  encode(kind, v) {
    if (v === null || v === undefined) return null;
    // node-postgres would send JS arrays as PG arrays; JSONB wants JSON text.
    if (kind === 'json') return JSON.stringify(v);
    return v;
  },
};

function decodeValue(table: string, c: { col: string; kind: ColKind; nullable?: boolean }, v: unknown): unknown {
  if (v === null || v === undefined) {
    if (c.nullable) return null;
    throw new StoreError(`store row in ${table} has NULL in non-null column ${c.col}`);
  }
  switch (c.kind) {
    case 'int':
    case 'real': {
      // PostgreSQL BIGINT arrives as a string; values we store fit in a double.
      const n = typeof v === 'string' ? Number(v) : typeof v === 'bigint' ? Number(v) : v;
      if (typeof n !== 'number' || Number.isNaN(n)) throw new StoreError(`store row in ${table}.${c.col}: expected a number`);
      return n;
    }
    case 'text':
      if (typeof v !== 'string') throw new StoreError(`store row in ${table}.${c.col}: expected text`);
      return v;
    case 'bool':
      if (typeof v === 'boolean') return v;
      if (typeof v === 'number' || typeof v === 'bigint') return Number(v) !== 0;
      throw new StoreError(`store row in ${table}.${c.col}: expected a boolean`);
    case 'json':
      if (typeof v === 'string') {
        try {
          return JSON.parse(v) as unknown;
        } catch (e) {
          throw new StoreError(`store row in ${table}.${c.col}: invalid JSON`, { cause: e });
        }
      }
      return v;
  }
}

/** Turn a result row (snake_case columns) back into a record. */
export function decodeRow<R>(spec: TableSpec<R>, row: unknown): R {
  if (row === null || typeof row !== 'object') throw new StoreError(`store row in ${spec.table} is not an object`);
  const src = row as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const c of spec.cols) out[c.key] = decodeValue(spec.table, c, src[c.col]);
  return out as R;
}

/** The values of a record in column order, encoded for a dialect. */
export function encodeRow<R>(spec: TableSpec<R>, rec: R, d: Dialect): unknown[] {
  const src = rec as Record<string, unknown>;
  return spec.cols.map((c) => d.encode(c.kind, src[c.key]));
}

export function columnList<R>(spec: TableSpec<R>): string {
  return spec.cols.map((c) => c.col).join(', ');
}

export const usageSpec: TableSpec<UsageRecord> = {
  table: 'usage_records',
  cols: [
    { col: 'ts', key: 'ts', kind: 'int' },
    { col: 'route', key: 'route', kind: 'text' },
    { col: 'env', key: 'env', kind: 'text' },
    { col: 'target', key: 'target', kind: 'text' },
    { col: 'provider', key: 'provider', kind: 'text' },
    { col: 'requested_model', key: 'requestedModel', kind: 'text' },
    { col: 'served_model', key: 'servedModel', kind: 'text', nullable: true },
    { col: 'fingerprint', key: 'fingerprint', kind: 'text', nullable: true },
    { col: 'status', key: 'status', kind: 'int' },
    { col: 'error_code', key: 'errorCode', kind: 'text', nullable: true },
    { col: 'attempts', key: 'attempts', kind: 'int' },
    { col: 'latency_ms', key: 'latencyMs', kind: 'real' },
    { col: 'ttft_ms', key: 'ttftMs', kind: 'real', nullable: true },
    { col: 'input_tokens', key: 'inputTokens', kind: 'int' },
    { col: 'output_tokens', key: 'outputTokens', kind: 'int' },
    { col: 'cached_tokens', key: 'cachedTokens', kind: 'int' },
    { col: 'cache_write_tokens', key: 'cacheWriteTokens', kind: 'int' },
    { col: 'reasoning_tokens', key: 'reasoningTokens', kind: 'int' },
    { col: 'cost_usd', key: 'costUsd', kind: 'real', nullable: true },
    { col: 'client_key_id', key: 'clientKeyId', kind: 'text', nullable: true },
    { col: 'arm', key: 'arm', kind: 'text', nullable: true },
    { col: 'wire', key: 'wire', kind: 'text' },
    { col: 'stream', key: 'stream', kind: 'bool' },
    { col: 'format_valid', key: 'formatValid', kind: 'bool', nullable: true },
    { col: 'gateway_id', key: 'gatewayId', kind: 'text', nullable: true },
  ],
};

export const evalRunSpec: TableSpec<EvalRunRecord> = {
  table: 'eval_runs',
  cols: [
    { col: 'id', key: 'id', kind: 'text' },
    { col: 'started_at', key: 'startedAt', kind: 'int' },
    { col: 'finished_at', key: 'finishedAt', kind: 'int' },
    { col: 'suite', key: 'suite', kind: 'text' },
    { col: 'suite_hash', key: 'suiteHash', kind: 'text' },
    { col: 'env', key: 'env', kind: 'text' },
    { col: 'route', key: 'route', kind: 'text' },
    { col: 'target', key: 'target', kind: 'text' },
    { col: 'served_models', key: 'servedModels', kind: 'json' },
    { col: 'fingerprints', key: 'fingerprints', kind: 'json' },
    { col: 'passed', key: 'passed', kind: 'bool' },
    { col: 'total_cases', key: 'totalCases', kind: 'int' },
    { col: 'passed_cases', key: 'passedCases', kind: 'int' },
    { col: 'failed_cases', key: 'failedCases', kind: 'int' },
    { col: 'errored_cases', key: 'erroredCases', kind: 'int' },
    { col: 'input_tokens', key: 'inputTokens', kind: 'int' },
    { col: 'output_tokens', key: 'outputTokens', kind: 'int' },
    { col: 'cost_usd', key: 'costUsd', kind: 'real', nullable: true },
    { col: 'p50_latency_ms', key: 'p50LatencyMs', kind: 'real', nullable: true },
    { col: 'p95_latency_ms', key: 'p95LatencyMs', kind: 'real', nullable: true },
    { col: 'cases', key: 'cases', kind: 'json' },
  ],
};

export const overrideSpec: TableSpec<OverrideRecord> = {
  table: 'overrides',
  cols: [
    { col: 'route', key: 'route', kind: 'text' },
    { col: 'env', key: 'env', kind: 'text' },
    { col: 'target', key: 'target', kind: 'text' },
    { col: 'reason', key: 'reason', kind: 'text' },
    { col: 'actor', key: 'actor', kind: 'text' },
    { col: 'created_at', key: 'createdAt', kind: 'int' },
    { col: 'expires_at', key: 'expiresAt', kind: 'int', nullable: true },
  ],
};

export const runtimeShadowSpec: TableSpec<RuntimeShadowRecord> = {
  table: 'runtime_shadows',
  cols: [
    { col: 'route', key: 'route', kind: 'text' },
    { col: 'env', key: 'env', kind: 'text' },
    { col: 'candidate', key: 'candidate', kind: 'text' },
    { col: 'sample', key: 'sample', kind: 'real' },
    { col: 'reason', key: 'reason', kind: 'text', nullable: true },
    { col: 'actor', key: 'actor', kind: 'text' },
    { col: 'created_at', key: 'createdAt', kind: 'int' },
    { col: 'expires_at', key: 'expiresAt', kind: 'int', nullable: true },
  ],
};

export const auditSpec: TableSpec<AuditRecord> = {
  table: 'audit',
  cols: [
    { col: 'ts', key: 'ts', kind: 'int' },
    { col: 'actor', key: 'actor', kind: 'text' },
    { col: 'action', key: 'action', kind: 'text' },
    { col: 'route', key: 'route', kind: 'text', nullable: true },
    { col: 'detail', key: 'detail', kind: 'json' },
  ],
};

export const canarySpec: TableSpec<CanaryRecord> = {
  table: 'canaries',
  cols: [
    { col: 'route', key: 'route', kind: 'text' },
    { col: 'env', key: 'env', kind: 'text' },
    { col: 'stable', key: 'stable', kind: 'text' },
    { col: 'candidate', key: 'candidate', kind: 'text' },
    { col: 'percent', key: 'percent', kind: 'real' },
    { col: 'ramp', key: 'ramp', kind: 'json' },
    { col: 'step_index', key: 'stepIndex', kind: 'int' },
    { col: 'hold_ms', key: 'holdMs', kind: 'int' },
    { col: 'sticky_by', key: 'stickyBy', kind: 'text', nullable: true },
    { col: 'guards', key: 'guards', kind: 'json' },
    { col: 'status', key: 'status', kind: 'text' },
    { col: 'reason', key: 'reason', kind: 'text', nullable: true },
    { col: 'started_at', key: 'startedAt', kind: 'int' },
    { col: 'step_started_at', key: 'stepStartedAt', kind: 'int' },
    { col: 'updated_at', key: 'updatedAt', kind: 'int' },
  ],
};

export const servedSpec: TableSpec<ServedObservation> = {
  table: 'served',
  cols: [
    { col: 'target', key: 'target', kind: 'text' },
    { col: 'served_model', key: 'servedModel', kind: 'text' },
    { col: 'fingerprint', key: 'fingerprint', kind: 'text', nullable: true },
    { col: 'first_seen', key: 'firstSeen', kind: 'int' },
    { col: 'last_seen', key: 'lastSeen', kind: 'int' },
  ],
};

export const sentinelSpec: TableSpec<SentinelEventRecord> = {
  table: 'sentinel_events',
  cols: [
    { col: 'ts', key: 'ts', kind: 'int' },
    { col: 'route', key: 'route', kind: 'text' },
    { col: 'target', key: 'target', kind: 'text' },
    { col: 'kind', key: 'kind', kind: 'text' },
    { col: 'previous', key: 'previous', kind: 'text', nullable: true },
    { col: 'current', key: 'current', kind: 'text' },
  ],
};

export const shadowSpec: TableSpec<ShadowPairRecord> = {
  table: 'shadow_pairs',
  cols: [
    { col: 'ts', key: 'ts', kind: 'int' },
    { col: 'route', key: 'route', kind: 'text' },
    { col: 'primary_target', key: 'primaryTarget', kind: 'text' },
    { col: 'candidate_target', key: 'candidateTarget', kind: 'text' },
    { col: 'primary_served_model', key: 'primaryServedModel', kind: 'text', nullable: true },
    { col: 'candidate_served_model', key: 'candidateServedModel', kind: 'text', nullable: true },
    { col: 'primary_text', key: 'primaryText', kind: 'text' },
    { col: 'candidate_text', key: 'candidateText', kind: 'text' },
    { col: 'primary_tokens', key: 'primaryTokens', kind: 'int' },
    { col: 'candidate_tokens', key: 'candidateTokens', kind: 'int' },
    { col: 'primary_latency_ms', key: 'primaryLatencyMs', kind: 'real' },
    { col: 'candidate_latency_ms', key: 'candidateLatencyMs', kind: 'real' },
    { col: 'assertions', key: 'assertions', kind: 'json' },
    { col: 'candidate_error', key: 'candidateError', kind: 'text', nullable: true },
  ],
};
