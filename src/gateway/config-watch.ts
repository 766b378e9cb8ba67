/**
 * Watch models.yml for changes. Editors often replace the file (rename) rather than write in
 * place, so the directory is watched and events are filtered by name and debounced.
 */
import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { Logger } from '../core/logger.js';

export function watchConfig(path: string, onChange: () => void, logger: Logger, debounceMs = 150): () => void {
  const name = basename(path);
  let timer: ReturnType<typeof setTimeout> | null = null;
  let watcher: FSWatcher | null = null;
  try {
    watcher = watch(dirname(path), { persistent: false }, (_event, file) => {
      if (file !== null && file.toString() !== name) return;
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => {
        timer = null;
        onChange();
      }, debounceMs);
      timer.unref();
    });
    watcher.on('error', (e) =>
      logger.log('warn', 'config watch failed; reload with SIGHUP instead', { error: e.message }),
    );
  } catch (e) {
    logger.log('warn', 'cannot watch config directory; reload with SIGHUP instead', {
      error: e instanceof Error ? e.message : String(e),
    });
  }
  return () => {
    if (timer) clearTimeout(timer);
    watcher?.close();
  };
}
