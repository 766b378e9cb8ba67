/**
 * Turn a store written by this version back into one written before migration 9 (full rollups only,
 * histograms as `{"bin":count}` JSON, no compact columns), to run migrations 9 and 10 over it.
 */
import Database from 'better-sqlite3';
import pg from 'pg';
import { decodeHistogram, encodeHistogram } from '../../src/store/histogram.js';
import type { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import type { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../src/store/types.js';
import { PG_URL } from './fixtures.js';

interface HistRow {
  id: unknown;
  lh: string;
  lb: string;
  th: string;
  tb: string;
}

const SELECT = 'SELECT id, latency_hist AS lh, latency_bins AS lb, ttft_hist AS th, ttft_bins AS tb FROM usage_rollups';
const asJson = (hist: unknown, bins: string): string =>
  encodeHistogram(decodeHistogram(`${typeof hist === 'string' ? hist : JSON.stringify(hist)}${bins}`));
const UNDO = [
  'DROP TABLE usage_model_rollups',
  'ALTER TABLE usage_rollups DROP COLUMN latency_bins',
  'ALTER TABLE usage_rollups DROP COLUMN ttft_bins',
  'DELETE FROM schema_version WHERE version >= 9',
];

export async function rewindTo8(store: Store, dialect: 'sqlite' | 'postgres'): Promise<void> {
  if (dialect === 'sqlite') {
    const db = new Database((store as SqliteStore).file);
    try {
      const upd = db.prepare('UPDATE usage_rollups SET latency_hist = ?, ttft_hist = ? WHERE id = ?');
      for (const r of db.prepare(SELECT).all() as HistRow[]) upd.run(asJson(r.lh, r.lb), asJson(r.th, r.tb), r.id);
      for (const s of UNDO) db.exec(s);
    } finally {
      db.close();
    }
    return;
  }
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  try {
    await c.query(`SET search_path = ${(store as PostgresStore).schema}`);
    for (const r of (await c.query(SELECT)).rows as HistRow[])
      await c.query('UPDATE usage_rollups SET latency_hist = $1, ttft_hist = $2 WHERE id = $3', [
        asJson(r.lh, r.lb),
        asJson(r.th, r.tb),
        r.id,
      ]);
    for (const s of UNDO) await c.query(s);
  } finally {
    await c.end();
  }
}
