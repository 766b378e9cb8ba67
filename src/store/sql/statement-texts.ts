/**
 * The store's statement texts, built once per dialect and kept: the insert and upsert of each table
 * spec, and any other text a caller names. A usage flush then builds no SQL, and SQLite finds each
 * text prepared.
 */
import { columnList, type KeyedTableSpec, type TableSpec } from '../columns.js';
import type { Dialect } from './dialect.js';

/** Statements of at most this many rows keep their text (SQLite also keeps them prepared): a flush builds none. */
const KEEP_TEXT_ROWS = 25;

export class StatementTexts {
  private readonly texts = new Map<string, string>();

  constructor(readonly d: Dialect) {}

  /** The text named `key` for `rows` rows, built by `build` the first time (or each time, past KEEP_TEXT_ROWS). */
  text(key: string, rows: number, build: () => string): string {
    if (rows > KEEP_TEXT_ROWS) return build();
    const k = `${key}:${rows}`;
    let t = this.texts.get(k);
    if (t === undefined) this.texts.set(k, (t = build()));
    return t;
  }

  insert<R>(spec: TableSpec<R>, rows = 1): string {
    return this.text(spec.table, rows, () => {
      const n = spec.cols.length;
      const values = Array.from(
        { length: rows },
        (_, r) => `(${spec.cols.map((_c, i) => this.d.ph(r * n + i + 1)).join(', ')})`,
      );
      return `INSERT INTO ${spec.table} (${columnList(spec)}) VALUES ${values.join(', ')}`;
    });
  }

  /** Insert, or replace every other column of the row with the same primary key. */
  upsert<R>(spec: KeyedTableSpec<R>): string {
    return this.text(`${spec.table} upsert`, 1, () => {
      const { key } = spec;
      const sets = spec.cols.filter((c) => !key.includes(c.col)).map((c) => `${c.col} = EXCLUDED.${c.col}`);
      return `${this.insert(spec)} ON CONFLICT (${key.join(', ')}) DO UPDATE SET ${sets.join(', ')}`;
    });
  }
}
