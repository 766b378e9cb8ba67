/** Reads the catalog files shipped in the package (`<package root>/catalog/*.json`). */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../core/errors.js';
import { packageRoot } from '../core/package-root.js';
import { familyFileSchema, type FamilyFile } from './data-schema.js';

let cached: FamilyFile[] | undefined;

export function catalogDir(): string {
  const dir = join(packageRoot(), 'catalog');
  if (!existsSync(dir)) throw new ConfigError(`modelpin catalog directory not found: ${dir}`);
  return dir;
}

/** All shipped families, validated, in inference-priority order. Cached: the files never change at run time. */
export function builtinFamilies(): FamilyFile[] {
  if (cached) return cached;
  const dir = catalogDir();
  const out: FamilyFile[] = [];
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    const file = join(dir, name);
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      throw new ConfigError(`catalog file ${file} is not valid JSON: ${(e as Error).message}`, { file });
    }
    const parsed = familyFileSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new ConfigError(`catalog file ${file}: ${issue?.path.join('.')}: ${issue?.message}`, { file });
    }
    out.push(parsed.data);
  }
  out.sort((a, b) => a.inferPriority - b.inferPriority);
  return (cached = out);
}
