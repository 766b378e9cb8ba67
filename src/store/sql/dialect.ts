/**
 * What differs between SQLite and PostgreSQL in the store's SQL, as data: the store's methods are
 * written once and read these few fragments and sizes. (The rollup SQL keeps its own fragments in
 * rollup-sql.ts; migrations their type names in migrations.ts.)
 */
import type { ColKind, ValueEncoder } from '../columns.js';
import type { SqlDialect } from '../migrations.js';
import { ROLLUP_COLUMN_COUNT, type RollupLayout } from '../rollup-sql.js';

export interface Dialect extends ValueEncoder {
  readonly name: SqlDialect;
  /** The i-th (1-based) bind parameter. */
  ph(i: number): string;
  /** Raw usage rows per multi-row INSERT. */
  readonly usageRowsPerInsert: number;
  /** Rollups per adding upsert. */
  readonly rollupsPerUpsert: number;
  /** Row lock of a SELECT inside a transaction ('' where the transaction locks the whole database). */
  readonly forUpdate: string;
  /** Appended to the SELECT of rows a prune batch deletes. */
  readonly skipLocked: string;
  /** The column naming a row in every table that is pruned. */
  readonly rowId: string;
  /** Where rollup writes put their histograms (rollup-sql-parts.ts). */
  readonly rollupLayout: RollupLayout;
}

function encodeCommon(kind: ColKind, v: unknown): unknown {
  if (v === null || v === undefined) return null;
  // node-postgres would send JS arrays as PG arrays; both dialects store JSON as text.
  if (kind === 'json') return JSON.stringify(v);
  return v;
}

export const sqliteDialect: Dialect = {
  name: 'sqlite',
  ph: () => '?',
  encode: (kind, v) => (kind === 'bool' && v !== null && v !== undefined ? (v ? 1 : 0) : encodeCommon(kind, v)),
  // The gateway's raw batches are this size: a whole batch is one step through SQLite's VM instead of one per row.
  usageRowsPerInsert: 25,
  rollupsPerUpsert: 1,
  // A write transaction holds the database's one write lock (BEGIN IMMEDIATE).
  forUpdate: '',
  skipLocked: '',
  rowId: 'rowid',
  // SQLite has no string splitting to add compact runs inside an upsert. A function registered on the
  // connection would have to exist on every connection that writes (the writer thread's too), and the
  // JSON layout already reads a month of hours within a second here: SQLite keeps the JSON columns.
  rollupLayout: 'json',
};

export const postgresDialect: Dialect = {
  name: 'postgres',
  ph: (i) => `$${i}`,
  encode: encodeCommon,
  // Keeps one statement well under PostgreSQL's 65535 bind parameters.
  usageRowsPerInsert: 1000,
  rollupsPerUpsert: Math.floor(60_000 / ROLLUP_COLUMN_COUNT),
  forUpdate: ' FOR UPDATE',
  // Gateways sharing the store and pruning at the same moment split the old rows instead of queueing on each other's locks.
  skipLocked: ' FOR UPDATE SKIP LOCKED',
  rowId: 'id',
  rollupLayout: 'bins',
};
