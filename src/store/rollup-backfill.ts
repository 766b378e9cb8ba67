/**
 * Migration 6's data step: roll up the usage records a store already holds, so `usage` and the
 * dashboard show the same history after the upgrade. Written in the columns of its time (layout 'json':
 * migration 10 adds the compact histogram columns and converts these rows). Reads the records in id order, a chunk at a
 * time (memory stays bounded by the chunk and the groups in it), and adds each chunk's rollups.
 */
import { columnList, decodeRow, usageSpec } from './columns.js';
import type { MigrationStatement, SqlDialect } from './migrations.js';
import { rollupsOf } from './rollup.js';
import { encodeRollup, rollupUpsertSql } from './rollup-sql.js';

const CHUNK = 5000;
/** Rollups per upsert statement (PostgreSQL allows 65535 bind parameters). */
const UPSERT_ROWS = 500;

export function* backfillRollups(dialect: SqlDialect): Generator<MigrationStatement, void, unknown[]> {
  const ph = (i: number): string => (dialect === 'sqlite' ? '?' : `$${i}`);
  let after = -1;
  for (;;) {
    const rows: unknown[] = yield {
      sql: `SELECT id, ${columnList(usageSpec)} FROM usage_records WHERE id > ${ph(1)} ORDER BY id LIMIT ${ph(2)}`,
      params: [after, CHUNK],
    };
    if (rows.length === 0) return;
    const last = rows[rows.length - 1] as { id: unknown };
    after = Number(last.id);
    const rollups = rollupsOf(rows.map((r) => decodeRow(usageSpec, r)));
    for (let i = 0; i < rollups.length; i += UPSERT_ROWS) {
      const chunk = rollups.slice(i, i + UPSERT_ROWS);
      if (dialect === 'sqlite') {
        for (const r of chunk)
          yield { sql: rollupUpsertSql('sqlite', 1, 'usage_rollups', 'json'), params: encodeRollup(r, 'json') };
      } else {
        yield {
          sql: rollupUpsertSql('postgres', chunk.length, 'usage_rollups', 'json'),
          params: chunk.flatMap((r) => encodeRollup(r, 'json')),
        };
      }
    }
    if (rows.length < CHUNK) return;
  }
}
