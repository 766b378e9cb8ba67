/** Shared plumbing for the lifecycle CLI commands: config, store, admin API. */
import { dirname, resolve } from 'node:path';
import { loadConfig, type LoadedConfig } from '../config/load.js';
import { openStore } from '../store/open.js';
import type { Store } from '../store/types.js';
import { clockFromEnv } from '../core/clock.js';
import type { LifecycleDeps } from './overrides/live.js';

export const DEFAULT_CONFIG = 'models.yml';

/** Options every lifecycle command takes: where the config is, which env, and how to reach a gateway's admin API. */
export interface LifecycleCliOptions {
  config?: string;
  env: string;
  gateway?: string;
  adminTokenEnv: string;
  actor?: string;
  json?: boolean;
}
export const DEFAULT_ADMIN_TOKEN_ENV = 'MODELPIN_ADMIN_TOKEN';

export async function loadForCli(configPath: string | undefined): Promise<LoadedConfig> {
  return loadConfig(resolve(configPath ?? DEFAULT_CONFIG), { env: process.env });
}

/** Open the store named in models.yml, run `fn`, always close. */
export async function withStore<T>(loaded: LoadedConfig, fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(loaded.file.store, { baseDir: dirname(loaded.path) });
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

export async function withDeps<T>(loaded: LoadedConfig, fn: (deps: LifecycleDeps) => Promise<T>): Promise<T> {
  return withStore(loaded, (store) =>
    fn({ store, clock: clockFromEnv(), config: loaded.file, baseDir: loaded.baseDir }),
  );
}

export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}
