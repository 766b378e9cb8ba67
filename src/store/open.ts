/** Open the store named in models.yml (`store:`), migrated and ready. */
import { isAbsolute, resolve } from 'node:path';
import type { Clock } from '../core/clock.js';
import { StoreError } from '../core/errors.js';
import type { StoreConfig } from '../config/schema.js';
import { postgresConnection } from '../config/store-settings.js';
import { describePostgres, redactUrl } from './redact.js';
import type { Store } from './types.js';

export interface OpenStoreOptions {
  /** Directory relative sqlite paths resolve against (the models.yml directory). Default: cwd. */
  baseDir?: string;
  /** Read-style commands: fail if the sqlite file does not exist instead of creating it. */
  mustExist?: boolean;
  /** PostgreSQL schema (default: `?schema=` in the URL, else `public`). */
  schema?: string;
  /** Skip migrate() (default: migrate on open). */
  migrate?: boolean;
  clock?: Clock;
  /** SQLite: usage writes on a thread of their own (the gateway); ignored by PostgreSQL. */
  writerThread?: boolean;
}

type Opener<K extends StoreConfig['type']> = (
  config: Extract<StoreConfig, { type: K }>,
  opts: OpenStoreOptions,
) => Promise<Store>;

/** Each backend's driver is imported only when a store of that kind is opened (CLI start-up stays short). */
export const STORE_OPENERS: { [K in StoreConfig['type']]: Opener<K> } = {
  sqlite: async (config, opts) => {
    const { SqliteStore } = await import('./sqlite/sqlite-store.js');
    return new SqliteStore(resolveSqlitePath(config.path, opts.baseDir), {
      mustExist: opts.mustExist ?? false,
      writerThread: opts.writerThread ?? false,
      ...(opts.clock ? { clock: opts.clock } : {}),
    });
  },
  postgres: async (config, opts) => {
    const { url, schema } = splitSchema(config.url);
    const { PostgresStore } = await import('./postgres/postgres-store.js');
    return new PostgresStore(url, {
      ...postgresConnection(config),
      ...((opts.schema ?? schema) ? { schema: opts.schema ?? schema } : {}),
      ...(opts.clock ? { clock: opts.clock } : {}),
    });
  },
};

export function resolveSqlitePath(path: string, baseDir?: string): string {
  if (path === ':memory:' || isAbsolute(path)) return path;
  return resolve(baseDir ?? process.cwd(), path);
}

/** `?schema=name` is ours, not the driver's: take it out of the URL. */
function splitSchema(raw: string): { url: string; schema?: string } {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new StoreError(`store.url is not a valid PostgreSQL URL: ${redactUrl(raw)}`);
  }
  if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:')
    throw new StoreError(`store.url must start with postgres://, got ${redactUrl(raw)}`);
  const schema = u.searchParams.get('schema') ?? undefined;
  u.searchParams.delete('schema');
  return schema ? { url: u.toString(), schema } : { url: u.toString() };
}

/** Describe where a store lives, safe to print (no credentials). */
export function describeStore(config: StoreConfig, baseDir?: string): string {
  return config.type === 'sqlite' ? `SQLite ${resolveSqlitePath(config.path, baseDir)}` : describePostgres(config.url);
}

export async function openStore(config: StoreConfig, opts: OpenStoreOptions = {}): Promise<Store> {
  const store = await openByKind(config, opts);
  if (opts.migrate === false) return store;
  try {
    await store.migrate();
  } catch (e) {
    await store.close().catch(() => {});
    throw e;
  }
  return store;
}

function openByKind(config: StoreConfig, opts: OpenStoreOptions): Promise<Store> {
  switch (config.type) {
    case 'sqlite':
      return STORE_OPENERS.sqlite(config, opts);
    case 'postgres':
      return STORE_OPENERS.postgres(config, opts);
  }
}
