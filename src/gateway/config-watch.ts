/**
 * Watch models.yml for changes, two ways:
 * - its directory, for events naming the file: immediate, and it survives editors that save by renaming
 *   a new file over the old one;
 * - a stat of the path every `pollMs`, following symlinks: it sees what no event names, such as a
 *   Kubernetes ConfigMap update (models.yml -> ..data/models.yml, where only `..data` is swapped) or a
 *   filesystem without inotify.
 * Either one reports a change only when the file's identity (inode, size, times) differs from the last
 * one reported, so one save is one reload.
 */
import { statSync, unwatchFile, watch, watchFile, type FSWatcher, type Stats } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { Logger } from '../core/logger.js';

export interface WatchTiming {
  /** Quiet time after the last event before reporting: an editor's save is several events. */
  debounceMs: number;
  /** How often the path is stat'ed. One stat on the thread pool: its cost does not depend on traffic. */
  pollMs: number;
}

const DEFAULT_TIMING: WatchTiming = { debounceMs: 150, pollMs: 1000 };

function identity(s: Stats | undefined): string {
  // A missing file reads as its own identity, so that its return is a change too.
  return s ? `${s.ino}:${s.size}:${s.mtimeMs}:${s.ctimeMs}` : 'missing';
}

function statOf(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

export function watchConfig(
  path: string,
  onChange: () => void,
  logger: Logger,
  timing: Partial<WatchTiming> = {},
): () => void {
  const { debounceMs, pollMs } = { ...DEFAULT_TIMING, ...timing };
  const name = basename(path);
  let seen = identity(statOf(path));
  let timer: ReturnType<typeof setTimeout> | null = null;
  const check = (): void => {
    timer = null;
    const now = identity(statOf(path));
    if (now === seen) return;
    seen = now;
    onChange();
  };
  const soon = (): void => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(check, debounceMs);
    timer.unref();
  };

  let watcher: FSWatcher | null = null;
  try {
    watcher = watch(dirname(path), { persistent: false }, (_event, file) => {
      // Events for other files (a usage database beside models.yml writes many) cost no timer.
      if (file !== null && file.toString() === name) soon();
    });
    watcher.on('error', (e) =>
      logger.log('warn', 'config directory watch failed; changes are still seen by polling', { error: e.message }),
    );
  } catch (e) {
    logger.log('warn', 'cannot watch config directory; changes are seen by polling', {
      error: e instanceof Error ? e.message : String(e),
    });
  }
  const poll = (curr: Stats): void => {
    if (identity(curr.ino === 0 && curr.mtimeMs === 0 ? undefined : curr) !== seen) soon();
  };
  watchFile(path, { persistent: false, interval: pollMs }, poll);
  return () => {
    if (timer) clearTimeout(timer);
    watcher?.close();
    unwatchFile(path, poll);
  };
}
