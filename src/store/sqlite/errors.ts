import { StoreError } from '../../core/errors.js';

/** Turn a better-sqlite3 / fs error into a StoreError that names the file and says what to do. */
export function sqliteError(e: unknown, file: string, op: string): StoreError {
  if (e instanceof StoreError) return e;
  const code = typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : '';
  const raw = e instanceof Error ? e.message : String(e);
  const at = `store ${file}`;
  const msg = ((): { text: string; retryable?: boolean } => {
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT' || code.startsWith('SQLITE_CORRUPT'))
      return {
        text: `${at} is not a SQLite database or is corrupt (${op}); move it aside or point store.path elsewhere`,
      };
    if (code === 'SQLITE_FULL') return { text: `${at}: disk full while ${op}; free space and retry`, retryable: true };
    if (code.startsWith('SQLITE_CANTOPEN'))
      return { text: `${at}: cannot open the file (${op}); check the directory exists and is writable` };
    if (code.startsWith('SQLITE_READONLY'))
      return { text: `${at} is read-only (${op}); check file and directory permissions` };
    if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'))
      return { text: `${at} is locked by another process (${op}); retry`, retryable: true };
    if (code === 'EACCES' || code === 'EPERM' || code === 'ENOTDIR' || code === 'EROFS')
      return { text: `${at}: directory is not writable (${code}) while ${op}` };
    if (code === 'ENOSPC') return { text: `${at}: disk full while ${op}`, retryable: true };
    return { text: `${at}: ${op} failed: ${raw}` };
  })();
  return new StoreError(msg.text, {
    cause: e,
    retryable: msg.retryable ?? false,
    details: { file, ...(code ? { driverCode: code } : {}) },
  });
}
