/**
 * Column specs: one description of how each record field maps to a column, so both dialects encode
 * and decode rows identically. A column is named after its field (`servedModel` -> `served_model`).
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

/** A table written by upsert: its primary-key columns. */
export interface KeyedTableSpec<R> extends TableSpec<R> {
  key: readonly string[];
}

/** How a value of type T is stored: numbers as int or real, strings as text, booleans as bool, the rest as json. */
type KindOf<T> = [T] extends [number]
  ? 'int' | 'real'
  : [T] extends [string]
    ? 'text'
    : [T] extends [boolean]
      ? 'bool'
      : 'json';

/** A field's column kind, with `?` for a nullable column: allowed exactly where the field can be null. */
export type ColumnKind<T> = null extends T ? `${KindOf<NonNullable<T>>}?` : KindOf<T>;

/** Every field of R, and nothing else: a field added to the record without a column fails to compile. */
export type Columns<R> = { readonly [K in keyof R]-?: ColumnKind<R[K]> };

const snakeCase = (key: string): string => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

export function tableSpec<R>(table: string, columns: Columns<R>): TableSpec<R>;
export function tableSpec<R>(
  table: string,
  columns: Columns<R>,
  key: ReadonlyArray<keyof R & string>,
): KeyedTableSpec<R>;
export function tableSpec<R>(
  table: string,
  columns: Columns<R>,
  key?: ReadonlyArray<keyof R & string>,
): TableSpec<R> | KeyedTableSpec<R> {
  const cols = Object.entries(columns as Record<string, string>).map(([k, kind]): Col<R> => {
    const nullable = kind.endsWith('?');
    return {
      col: snakeCase(k),
      key: k as keyof R & string,
      kind: (nullable ? kind.slice(0, -1) : kind) as ColKind,
      ...(nullable ? { nullable } : {}),
    };
  });
  return key ? { table, cols, key: key.map(snakeCase) } : { table, cols };
}

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
      if (typeof n !== 'number' || Number.isNaN(n))
        throw new StoreError(`store row in ${table}.${c.col}: expected a number`);
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

/** How a dialect binds a value of a column kind. */
export interface ValueEncoder {
  encode(kind: ColKind, v: unknown): unknown;
}

/** The values of a record in column order, encoded for a dialect. */
export function encodeRow<R>(spec: TableSpec<R>, rec: R, d: ValueEncoder): unknown[] {
  const src = rec as Record<string, unknown>;
  return spec.cols.map((c) => d.encode(c.kind, src[c.key]));
}

/** The values of several records, one after another (a multi-row INSERT's parameters). */
export function encodeRows<R>(
  spec: TableSpec<R>,
  recs: readonly R[],
  from: number,
  to: number,
  d: ValueEncoder,
): unknown[] {
  const out: unknown[] = [];
  for (let i = from; i < to; i++) {
    const src = recs[i] as Record<string, unknown>;
    for (const c of spec.cols) out.push(d.encode(c.kind, src[c.key]));
  }
  return out;
}

export function columnList<R>(spec: TableSpec<R>): string {
  return spec.cols.map((c) => c.col).join(', ');
}

export const usageSpec = tableSpec<UsageRecord>('usage_records', {
  ts: 'int',
  route: 'text',
  env: 'text',
  target: 'text',
  provider: 'text',
  requestedModel: 'text',
  servedModel: 'text?',
  fingerprint: 'text?',
  status: 'int',
  errorCode: 'text?',
  attempts: 'int',
  latencyMs: 'real',
  ttftMs: 'real?',
  inputTokens: 'int',
  outputTokens: 'int',
  cachedTokens: 'int',
  cacheWriteTokens: 'int',
  reasoningTokens: 'int',
  costUsd: 'real?',
  clientKeyId: 'text?',
  arm: 'text?',
  wire: 'text',
  stream: 'bool',
  formatValid: 'bool?',
  gatewayId: 'text?',
});

export const evalRunSpec = tableSpec<EvalRunRecord>(
  'eval_runs',
  {
    id: 'text',
    startedAt: 'int',
    finishedAt: 'int',
    suite: 'text',
    suiteHash: 'text',
    env: 'text',
    route: 'text',
    target: 'text',
    servedModels: 'json',
    fingerprints: 'json',
    passed: 'bool',
    totalCases: 'int',
    passedCases: 'int',
    failedCases: 'int',
    erroredCases: 'int',
    inputTokens: 'int',
    outputTokens: 'int',
    costUsd: 'real?',
    p50LatencyMs: 'real?',
    p95LatencyMs: 'real?',
    cases: 'json',
  },
  ['id'],
);

export const overrideSpec = tableSpec<OverrideRecord>(
  'overrides',
  { route: 'text', env: 'text', target: 'text', reason: 'text', actor: 'text', createdAt: 'int', expiresAt: 'int?' },
  ['route', 'env'],
);

export const runtimeShadowSpec = tableSpec<RuntimeShadowRecord>(
  'runtime_shadows',
  {
    route: 'text',
    env: 'text',
    candidate: 'text',
    sample: 'real',
    reason: 'text?',
    actor: 'text',
    createdAt: 'int',
    expiresAt: 'int?',
  },
  ['route', 'env'],
);

export const auditSpec = tableSpec<AuditRecord>('audit', {
  ts: 'int',
  actor: 'text',
  action: 'text',
  route: 'text?',
  detail: 'json',
});

export const canarySpec = tableSpec<CanaryRecord>(
  'canaries',
  {
    route: 'text',
    env: 'text',
    stable: 'text',
    candidate: 'text',
    percent: 'real',
    ramp: 'json',
    stepIndex: 'int',
    holdMs: 'int',
    stickyBy: 'text?',
    guards: 'json',
    status: 'text',
    reason: 'text?',
    startedAt: 'int',
    stepStartedAt: 'int',
    updatedAt: 'int',
  },
  ['route', 'env'],
);

export const servedSpec = tableSpec<ServedObservation>(
  'served',
  { target: 'text', servedModel: 'text', fingerprint: 'text?', firstSeen: 'int', lastSeen: 'int' },
  ['target'],
);

export const sentinelSpec = tableSpec<SentinelEventRecord>('sentinel_events', {
  ts: 'int',
  route: 'text',
  target: 'text',
  kind: 'text',
  previous: 'text?',
  current: 'text',
});

export const shadowSpec = tableSpec<ShadowPairRecord>('shadow_pairs', {
  ts: 'int',
  route: 'text',
  primaryTarget: 'text',
  candidateTarget: 'text',
  primaryServedModel: 'text?',
  candidateServedModel: 'text?',
  primaryText: 'text',
  candidateText: 'text',
  primaryTokens: 'int',
  candidateTokens: 'int',
  primaryLatencyMs: 'real',
  candidateLatencyMs: 'real',
  assertions: 'json',
  candidateError: 'text?',
});
