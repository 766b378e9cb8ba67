import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ModelpinError } from './errors.js';

let cached: string | undefined;

/**
 * The directory holding modelpin's package.json, found from this file whether it runs from src/ or dist/.
 * Shipped data (catalog/, scenarios/, examples/) is read relative to it.
 */
export function packageRoot(): string {
  if (cached !== undefined) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return (cached = dir);
    const up = dirname(dir);
    if (up === dir)
      throw new ModelpinError(
        'internal',
        `modelpin package root not found (no package.json above ${fileURLToPath(import.meta.url)})`,
      );
    dir = up;
  }
}
