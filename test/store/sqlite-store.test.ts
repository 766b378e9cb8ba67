import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { storeConformance } from './conformance.js';
import { T0, usage } from './fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'modelpin-store-'));
storeConformance(
  'sqlite',
  () => openStore({ type: 'sqlite', path: 'nested/dir/modelpin.db' }, { baseDir: dir }),
  async () => rmSync(dir, { recursive: true, force: true }),
);
// The gateway's way: usage writes on a writer thread, everything else (and every read) on the main connection.
const threadDir = mkdtempSync(join(tmpdir(), 'modelpin-store-thread-'));
storeConformance(
  'sqlite with a writer thread',
  () => openStore({ type: 'sqlite', path: 'modelpin.db' }, { baseDir: threadDir, writerThread: true }),
  async () => rmSync(threadDir, { recursive: true, force: true }),
);

describe('SQLite space after a prune', () => {
  const bulk = (store: SqliteStore) =>
    store.insertUsage(
      Array.from({ length: 4000 }, (_, i) => usage({ ts: T0 - 86_400_000 + i, route: 'r'.repeat(200) })),
    );
  const pages = (file: string): { free: number; total: number } => {
    const db = new Database(file, { readonly: true });
    try {
      return {
        free: Number(db.pragma('freelist_count', { simple: true })),
        total: Number(db.pragma('page_count', { simple: true })),
      };
    } finally {
      db.close();
    }
  };

  it('keeps freed pages for reuse (no VACUUM) on a default database', async () => {
    const file = join(dir, 'default-vacuum.db');
    const store = new SqliteStore(file);
    await store.migrate();
    await bulk(store);
    const before = pages(file);
    expect(await store.prune({ usage: T0 })).toEqual({ usage: 4000 });
    await store.close();
    const after = pages(file);
    expect(after.free).toBeGreaterThan(50);
    expect(after.total).toBe(before.total);
  });

  it('hands freed pages back once the database is converted to auto_vacuum = INCREMENTAL (the documented one-time step)', async () => {
    const file = join(dir, 'incremental-vacuum.db');
    const first = new SqliteStore(file);
    await first.migrate();
    await bulk(first);
    await first.close();
    const raw = new Database(file);
    raw.exec('PRAGMA auto_vacuum = INCREMENTAL; VACUUM;');
    raw.close();
    const store = new SqliteStore(file);
    const before = pages(file);
    expect(await store.prune({ usage: T0 })).toEqual({ usage: 4000 });
    await store.close();
    const after = pages(file);
    expect(after.free).toBe(0);
    expect(after.total).toBeLessThan(before.total - 50);
  });
});

describe('SQLite usage batches', () => {
  it('stores every row of a batch larger than one multi-row insert exactly as given, in order', async () => {
    const store = new SqliteStore(join(dir, 'batch-rows.db'));
    await store.migrate();
    // Rows go 25 to a statement, the rest in one shorter statement: 62 = 25 + 25 + 12.
    const rows = Array.from({ length: 62 }, (_, i) =>
      usage({
        ts: T0 + i,
        route: `route-${i % 3}`,
        latencyMs: i + 0.5,
        inputTokens: i,
        errorCode: i % 7 === 0 ? 'timeout' : null,
        status: i % 7 === 0 ? 504 : 200,
        stream: i % 2 === 0,
      }),
    );
    await store.insertUsage(rows);
    const back = await store.queryUsage({});
    expect(back).toHaveLength(62);
    expect([...back].sort((a, b) => a.ts - b.ts)).toEqual(rows);
    await store.close();
  });
});
