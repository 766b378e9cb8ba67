/**
 * How read-side CLI commands (usage, history) find the store: `--store` (a SQLite path or a
 * postgres:// URL) wins; otherwise `store:` from models.yml (`--config`, default ./models.yml).
 * Any failure to open becomes a UsageError so the command prints one line and exits 2.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { isModelpinError, UsageError } from '../core/errors.js';
import type { StoreConfig } from '../config/schema.js';
import { loadConfigSafe } from '../config/load.js';
import { describeStore, openStore } from './open.js';
import type { Store } from './types.js';

export interface StoreLocationFlags {
  config?: string;
  store?: string;
}

export interface ResolvedStore {
  store: Store;
  /** Where it lives, safe to print. */
  where: string;
  /** The `store:` settings it was opened from (no retention block with --store). */
  config: StoreConfig;
}

export function storeConfigFromFlags(
  flags: StoreLocationFlags,
  opts: { cwd: string; env: Record<string, string | undefined> },
): { config: StoreConfig; baseDir: string } {
  if (flags.store !== undefined) {
    if (flags.store.trim() === '') throw new UsageError('--store needs a SQLite file path or a postgres:// URL');
    const isPg = /^postgres(ql)?:\/\//.test(flags.store);
    return {
      config: isPg ? { type: 'postgres', url: flags.store } : { type: 'sqlite', path: flags.store },
      baseDir: opts.cwd,
    };
  }
  const path = resolve(opts.cwd, flags.config ?? 'models.yml');
  if (flags.config === undefined && !existsSync(path)) {
    throw new UsageError(`no models.yml in ${opts.cwd}; pass --config <file> or --store <path.db|postgres://...>`);
  }
  const loaded = loadConfigSafe(path, { env: opts.env });
  return { config: loaded.file.store, baseDir: loaded.baseDir };
}

export async function openStoreForCli(
  flags: StoreLocationFlags,
  opts: { cwd: string; env: Record<string, string | undefined> },
): Promise<ResolvedStore> {
  const { config, baseDir } = storeConfigFromFlags(flags, opts);
  const where = describeStore(config, baseDir);
  try {
    const store = await openStore(config, { baseDir, mustExist: true });
    return { store, where, config };
  } catch (e) {
    const msg = isModelpinError(e) ? e.message : String(e);
    throw new UsageError(`cannot read store: ${msg}`, { cause: e, details: { where } });
  }
}
