import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import * as columns from '../../src/store/columns.js';
import { tableSpec, type TableSpec } from '../../src/store/columns.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { OverrideRecord, ServedObservation } from '../../src/store/types.js';

const specs = Object.entries(columns).filter(
  (e): e is [string, TableSpec<unknown>] => e[0].endsWith('Spec') && typeof e[1] === 'object',
);

describe('column specs', () => {
  it('name a column of the migrated table for every field, and every NOT NULL column of it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'modelpin-columns-'));
    const file = join(dir, 'm.db');
    const store = new SqliteStore(file);
    await store.migrate();
    await store.close();
    const db = new Database(file, { readonly: true });
    try {
      expect(specs.length).toBe(9);
      for (const [, spec] of specs) {
        const info = db.prepare(`PRAGMA table_info(${spec.table})`).all() as Array<{
          name: string;
          notnull: number;
          pk: number;
        }>;
        const names = new Set(info.map((c) => c.name));
        expect(spec.cols.filter((c) => !names.has(c.col)).map((c) => `${spec.table}.${c.col}`)).toEqual([]);
        const required = info.filter((c) => c.notnull && c.name !== 'id').map((c) => c.name);
        expect(required.filter((n) => !spec.cols.some((c) => c.col === n && !c.nullable))).toEqual([]);
      }
    } finally {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('are checked by the compiler against the record type', () => {
    // @ts-expect-error a field without a column
    tableSpec<ServedObservation>('served', {
      target: 'text',
      servedModel: 'text',
      fingerprint: 'text?',
      firstSeen: 'int',
    });
    tableSpec<ServedObservation>('served', {
      target: 'text',
      servedModel: 'text',
      // @ts-expect-error a nullable field declared NOT NULL
      fingerprint: 'text',
      firstSeen: 'int',
      lastSeen: 'int',
    });
    tableSpec<ServedObservation>('served', {
      target: 'text',
      servedModel: 'text',
      fingerprint: 'text?',
      // @ts-expect-error a number stored as text
      firstSeen: 'text',
      lastSeen: 'int',
    });
    tableSpec<ServedObservation>('served', {
      target: 'text',
      servedModel: 'text',
      fingerprint: 'text?',
      firstSeen: 'int',
      lastSeen: 'int',
      // @ts-expect-error a column without a field
      extra: 'int',
    });
    tableSpec<OverrideRecord>(
      'overrides',
      {
        route: 'text',
        env: 'text',
        target: 'text',
        reason: 'text',
        actor: 'text',
        createdAt: 'int',
        expiresAt: 'int?',
      },
      // @ts-expect-error a primary key that is not a field
      ['route', 'nope'],
    );
    const spec = tableSpec<OverrideRecord>(
      'overrides',
      {
        route: 'text',
        env: 'text',
        target: 'text',
        reason: 'text',
        actor: 'text',
        createdAt: 'int',
        expiresAt: 'int?',
      },
      ['route', 'env'],
    );
    expect(spec.cols.map((c) => c.col)).toEqual([
      'route',
      'env',
      'target',
      'reason',
      'actor',
      'created_at',
      'expires_at',
    ]);
    expect(spec.cols.find((c) => c.key === 'expiresAt')).toEqual({
      col: 'expires_at',
      key: 'expiresAt',
      kind: 'int',
      nullable: true,
    });
    expect(spec.key).toEqual(['route', 'env']);
  });
});
