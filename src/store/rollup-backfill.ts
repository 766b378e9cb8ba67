/**
 * Migration 6's data step: roll up the usage records a store already holds, so `usage` and the
 * dashboard show the same history after the upgrade. Reads the records in id order, a chunk at a
 * time (memory stays bounded by the chunk and the groups in it), and adds each chunk's rollups.
 */
import { columnList, decodeRow, usageSpec } from './columns.js';
import type { MigrationDb } from './migrations.js';
import { rollupsOf } from './rollup.js';
import { encodeRollup, rollupUpsertSql } from './rollup-sql.js';

const CHUNK = 5000;
/** Rollups per upsert statement (PostgreSQL allows 65535 bind parameters). */
const UPSERT_ROWS = 500;

export async function backfillRollups(db: MigrationDb): Promise<void> {
  const ph = (i: number): string => (db.dialect === 'sqlite' ? '?' : `$${i}`);
  let after = -1;
  for (;;) {
    const rows = await db.all(`SELECT id, ${columnList(usageSpec)} FROM usage_records WHERE id > ${ph(1)} ORDER BY id LIMIT ${ph(2)}`, [after, CHUNK]);
    if (rows.length === 0) return;
    const last = rows[rows.length - 1] as { id: unknown };
    after = Number(last.id);
    const rollups = rollupsOf(rows.map((r) => decodeRow(usageSpec, r)));
    for (let i = 0; i < rollups.length; i += UPSERT_ROWS) {
      const chunk = rollups.slice(i, i + UPSERT_ROWS);
      if (db.dialect === 'sqlite') {
        for (const r of chunk) await db.run(rollupUpsertSql('sqlite', 1), encodeRollup(r));
      } else {
        await db.run(rollupUpsertSql('postgres', chunk.length), chunk.flatMap(encodeRollup));
      }
    }
    if (rows.length < CHUNK) return;
  }
}
