import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { storeSchema, type StoreConfig } from '../../src/config/schema.js';
import { StoreError } from '../../src/core/errors.js';
import { MIGRATIONS } from '../../src/store/migrations.js';
import { STORE_OPENERS, describeStore, openStore } from '../../src/store/open.js';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { redactUrl } from '../../src/store/redact.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { PG_URL, dropPgSchema, pgExec, pgSchemaName, usage } from './fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'modelpin-open-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function rejection(p: Promise<unknown>): Promise<StoreError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(StoreError);
  return e as StoreError;
}

describe('openStore', () => {
  it('has an opener for every store type in the config schema', () => {
    const kinds = storeSchema.options.map((o) => o.shape.type.value).sort();
    expect(Object.keys(STORE_OPENERS).sort()).toEqual(kinds);
  });

  it('resolves relative sqlite paths against baseDir and records the schema version', async () => {
    const store = await openStore({ type: 'sqlite', path: 'a/b.db' }, { baseDir: dir });
    expect(store.kind).toBe('sqlite');
    expect((store as SqliteStore).file).toBe(join(dir, 'a/b.db'));
    expect(await (store as SqliteStore).schemaVersions()).toEqual(ALL_VERSIONS);
    await store.close();
    expect(describeStore({ type: 'sqlite', path: 'a/b.db' }, dir)).toBe(`SQLite ${join(dir, 'a/b.db')}`);
  });

  it('lets two connections (gateway + CLI) share one WAL file', async () => {
    const cfg = { type: 'sqlite' as const, path: join(dir, 'shared.db') };
    const [a, b] = await Promise.all([openStore(cfg), openStore(cfg)]);
    await a.insertUsage([usage({ route: 'x' })]);
    await b.insertUsage([usage({ route: 'y' })]);
    expect(await a.countUsage({})).toBe(2);
    expect(await b.countUsage({ route: 'x' })).toBe(1);
    await Promise.all([a.close(), b.close()]);
  });

  it('names a corrupt / non-database file', async () => {
    const file = join(dir, 'junk.db');
    writeFileSync(file, 'this is definitely not a database file '.repeat(200));
    const e = await rejection(openStore({ type: 'sqlite', path: file }));
    expect(e.message).toContain(file);
    expect(e.message).toMatch(/not a SQLite database or is corrupt/);
  });

  it('names an unwritable directory', async () => {
    const blocker = join(dir, 'plain-file');
    writeFileSync(blocker, 'x');
    const file = join(blocker, 'sub', 'modelpin.db');
    const e = await rejection(openStore({ type: 'sqlite', path: file }));
    expect(e.message).toContain(file);
    expect(e.message).toMatch(/not writable/);
  });

  it('refuses a missing file when mustExist is set (and does not create it)', async () => {
    const file = join(dir, 'missing', 'none.db');
    const e = await rejection(openStore({ type: 'sqlite', path: file }, { mustExist: true }));
    expect(e.message).toContain(`${file} does not exist`);
  });

  it('reports a full disk as a retryable StoreError naming the file', async () => {
    const file = join(dir, 'full.db');
    const store = new SqliteStore(file, { pragmas: ['max_page_count = 40'] });
    await store.migrate();
    const big = Array.from({ length: 5000 }, (_, i) => usage({ ts: i, requestedModel: 'x'.repeat(200) }));
    const e = await rejection(store.insertUsage(big));
    expect(e.message).toContain(file);
    expect(e.message).toMatch(/disk full/);
    expect(e.retryable).toBe(true);
    // The failed batch was rolled back as a whole.
    expect(await store.countUsage({})).toBe(0);
    await store.close();
  });

  it('reports unreachable PostgreSQL by host without the password', async () => {
    const url = 'postgres://admin:s3cretPW@127.0.0.1:1/prod';
    const e = await rejection(openStore({ type: 'postgres', url }));
    expect(e.message).toContain('127.0.0.1:1/prod');
    expect(e.message).not.toContain('s3cretPW');
    expect(JSON.stringify(e.toJSON())).not.toContain('s3cretPW');
    expect(e.retryable).toBe(true);
    expect(redactUrl(url)).toBe('postgres://admin@127.0.0.1:1/prod');
  });

  it('rejects a non-postgres URL and a bad schema name without echoing secrets', async () => {
    const e = await rejection(openStore({ type: 'postgres', url: 'mysql://u:pw12345@h/db' }));
    expect(e.message).not.toContain('pw12345');
    expect(() => new PostgresStore(PG_URL, { schema: 'Bad-Name;drop' })).toThrow(StoreError);
  });

  it('migrates PostgreSQL concurrently and idempotently in a fresh schema from ?schema=', async () => {
    const schema = pgSchemaName('mp_open');
    const cfg = { type: 'postgres' as const, url: `${PG_URL}?schema=${schema}` };
    try {
      const [a, b] = await Promise.all([openStore(cfg), openStore(cfg)]);
      expect((a as PostgresStore).schema).toBe(schema);
      expect(await (a as PostgresStore).schemaVersions()).toEqual(ALL_VERSIONS);
      await a.insertUsage([usage()]);
      expect(await b.countUsage({})).toBe(1);
      await Promise.all([a.close(), b.close()]);
    } finally {
      await dropPgSchema(schema);
    }
  });
});

/** Every migration this modelpin ships, in order: an upgraded store must end at the same place as a new one. */
const ALL_VERSIONS = MIGRATIONS.map((m) => m.version);
/** Undo migration 5 (cache-write and reasoning token columns). */
const DROP_V5 =
  'ALTER TABLE usage_records DROP COLUMN cache_write_tokens; ALTER TABLE usage_records DROP COLUMN reasoning_tokens';
/** Undo migration 10 (compact histogram columns), with migration 5 (every rewind below goes back past both). */
const DROP_V10 = ['usage_rollups', 'usage_model_rollups']
  .flatMap((t) => [`ALTER TABLE ${t} DROP COLUMN latency_bins`, `ALTER TABLE ${t} DROP COLUMN ttft_bins`])
  .join('; ');

describe('migrations', () => {
  it('refuses a store written by a newer modelpin', async () => {
    const file = join(dir, 'newer.db');
    const s = new SqliteStore(file);
    await s.migrate();
    await s.close();
    const Database = (await import('better-sqlite3')).default;
    const raw = new Database(file);
    raw.prepare('INSERT INTO schema_version (version, description, applied_at) VALUES (99, ?, 0)').run('future');
    raw.close();
    const e = await rejection(openStore({ type: 'sqlite', path: file }));
    expect(e.message).toMatch(/schema version 99, newer than this modelpin supports/);
  });

  /** Version 1 as an older modelpin left it: no runtime_shadows table, no version 2 recorded. */
  const V1_SQL = `DROP TABLE runtime_shadows; ${DROP_V5}; ${DROP_V10}; DELETE FROM schema_version WHERE version > 1`;

  async function upgradesFromV1(config: StoreConfig, toV1: () => Promise<void>): Promise<void> {
    const s = await openStore(config);
    await s.setOverride({
      route: 'r',
      env: 'production',
      target: 'sim/a',
      reason: 'kept',
      actor: 'ana',
      createdAt: 1,
      expiresAt: null,
    });
    await s.close();
    await toV1();
    const store = await openStore(config);
    try {
      expect(await (store as SqliteStore | PostgresStore).schemaVersions()).toEqual(ALL_VERSIONS);
      expect((await store.listOverrides()).map((o) => o.reason)).toEqual(['kept']);
      await store.setRuntimeShadow({
        route: 'r',
        env: 'production',
        candidate: 'sim/b',
        sample: 0.5,
        reason: null,
        actor: 'ana',
        createdAt: 2,
        expiresAt: null,
      });
      expect(await store.listRuntimeShadows()).toHaveLength(1);
    } finally {
      await store.close();
    }
  }

  it('upgrades a version-1 SQLite store in place, keeping its rows', async () => {
    const file = join(dir, 'v1.db');
    const Database = (await import('better-sqlite3')).default;
    await upgradesFromV1({ type: 'sqlite', path: file }, async () => {
      const raw = new Database(file);
      raw.exec(V1_SQL);
      raw.close();
    });
  });

  it('upgrades a version-1 PostgreSQL schema in place, keeping its rows', async () => {
    const schema = pgSchemaName('mp_v1');
    try {
      await upgradesFromV1({ type: 'postgres', url: `${PG_URL}?schema=${schema}` }, () =>
        pgExec(`SET search_path = ${schema}; ${V1_SQL}`),
      );
    } finally {
      await dropPgSchema(schema);
    }
  });

  /** Version 3 as the previous modelpin left it: runtime shadows without an expiry column. */
  const V3_SQL = `ALTER TABLE runtime_shadows DROP COLUMN expires_at; ${DROP_V5}; ${DROP_V10}; DELETE FROM schema_version WHERE version > 3`;

  async function upgradesFromV3(config: StoreConfig, toV3: () => Promise<void>): Promise<void> {
    const s = await openStore(config);
    await s.setRuntimeShadow({
      route: 'r',
      env: 'production',
      candidate: 'sim/b',
      sample: 0.5,
      reason: 'kept',
      actor: 'ana',
      createdAt: 2,
      expiresAt: null,
    });
    await s.close();
    await toV3();
    const store = await openStore(config);
    try {
      expect(await (store as SqliteStore | PostgresStore).schemaVersions()).toEqual(ALL_VERSIONS);
      // A shadow started before expiry existed runs until stopped, as it did.
      expect(await store.listRuntimeShadows()).toEqual([
        {
          route: 'r',
          env: 'production',
          candidate: 'sim/b',
          sample: 0.5,
          reason: 'kept',
          actor: 'ana',
          createdAt: 2,
          expiresAt: null,
        },
      ]);
    } finally {
      await store.close();
    }
  }

  it('upgrades a version-3 store (SQLite and PostgreSQL): runtime shadows gain an expiry, rows kept', async () => {
    const file = join(dir, 'v3.db');
    const Database = (await import('better-sqlite3')).default;
    await upgradesFromV3({ type: 'sqlite', path: file }, async () => {
      const raw = new Database(file);
      raw.exec(V3_SQL);
      raw.close();
    });
    const schema = pgSchemaName('mp_v3');
    try {
      await upgradesFromV3({ type: 'postgres', url: `${PG_URL}?schema=${schema}` }, () =>
        pgExec(`SET search_path = ${schema}; ${V3_SQL}`),
      );
    } finally {
      await dropPgSchema(schema);
    }
  });

  /** Version 4 as the previous modelpin left it: usage rows without cache-write or reasoning tokens. */
  const V4_SQL = `${DROP_V5}; ${DROP_V10}; DELETE FROM schema_version WHERE version > 4`;

  async function upgradesFromV4(config: StoreConfig, toV4: () => Promise<void>): Promise<void> {
    const s = await openStore(config);
    await s.insertUsage([usage({ inputTokens: 7 })]);
    await s.close();
    await toV4();
    const store = await openStore(config);
    try {
      expect(await (store as SqliteStore | PostgresStore).schemaVersions()).toEqual(ALL_VERSIONS);
      const rows = await store.queryUsage({});
      // Rows written before the columns existed read as 0, never as a missing field.
      expect(rows.map((r) => [r.inputTokens, r.cacheWriteTokens, r.reasoningTokens])).toEqual([[7, 0, 0]]);
      await store.insertUsage([usage({ cacheWriteTokens: 11, reasoningTokens: 5 })]);
      expect((await store.queryUsage({})).map((r) => [r.cacheWriteTokens, r.reasoningTokens])).toEqual([
        [0, 0],
        [11, 5],
      ]);
    } finally {
      await store.close();
    }
  }

  it('upgrades a version-4 store (SQLite and PostgreSQL): usage rows gain cache-write and reasoning tokens, rows kept', async () => {
    const file = join(dir, 'v4.db');
    const Database = (await import('better-sqlite3')).default;
    await upgradesFromV4({ type: 'sqlite', path: file }, async () => {
      const raw = new Database(file);
      raw.exec(V4_SQL);
      raw.close();
    });
    const schema = pgSchemaName('mp_v4');
    try {
      await upgradesFromV4({ type: 'postgres', url: `${PG_URL}?schema=${schema}` }, () =>
        pgExec(`SET search_path = ${schema}; ${V4_SQL}`),
      );
    } finally {
      await dropPgSchema(schema);
    }
  });

  it('fills every type placeholder for both dialects', async () => {
    const { MIGRATIONS, migrationSql } = await import('../../src/store/migrations.js');
    for (const m of MIGRATIONS)
      for (const d of ['sqlite', 'postgres'] as const) expect(migrationSql(m, d)).not.toMatch(/\{[A-Z]+\}/);
  });
});
