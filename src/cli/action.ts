import { pc } from '../core/color.js';
import { isModelpinError } from '../core/errors.js';
import { EXIT } from './exit-codes.js';

/**
 * Wrap a command action: a ModelpinError becomes one clear line on stderr and its exit code,
 * never a stack trace. Set MODELPIN_DEBUG=1 to see the stack.
 */
export function action<A extends unknown[]>(fn: (...args: A) => Promise<number | void> | number | void) {
  return async (...args: A): Promise<void> => {
    try {
      const code = await fn(...args);
      process.exitCode = typeof code === 'number' ? code : EXIT.ok;
    } catch (e) {
      process.exitCode = reportError(e);
    }
  };
}

export function reportError(e: unknown): number {
  if (process.env.MODELPIN_DEBUG) console.error(e);
  if (isModelpinError(e)) {
    console.error(`${pc.red('error')} ${e.message}`);
    if (e.code === 'usage' || e.code === 'config_invalid' || e.code === 'config_not_found') return EXIT.usage;
    return e.status >= 400 && e.status < 500 ? EXIT.usage : EXIT.internal;
  }
  const msg = e instanceof Error ? e.message : String(e);
  console.error(`${pc.red('error')} unexpected: ${msg}`);
  return EXIT.internal;
}
