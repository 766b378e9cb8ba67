import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

/** The directory holding modelpin's package.json, found from this file whether it runs from src/ or dist/. */
export function packageRoot(): string {
  if (cached !== undefined) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return (cached = dir);
    const up = dirname(dir);
    if (up === dir) throw new Error('modelpin package root not found (no package.json above the simulator)');
    dir = up;
  }
}

/** Where built-in scenarios live: `<package root>/scenarios/<name>.yml`. */
export function builtinScenarioDir(): string {
  return join(packageRoot(), 'scenarios');
}
