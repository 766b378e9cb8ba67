/**
 * User catalog entries: `catalog.models` inline in models.yml and `catalog.files` (JSON or YAML,
 * either a list of entries or `{ models: [...] }`). They add private deployments and fine-tunes,
 * or override a shipped entry with the same provider and id.
 */
import { readFileSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ConfigError } from '../core/errors.js';
import { catalogEntrySchema, type CatalogEntryInput } from '../config/schema.js';
import { CATALOG_SCHEMA_VERSION, familyFileSchema, type CatalogEntry, type FamilyFile } from './data-schema.js';

const MAX_CATALOG_BYTES = 5 * 1024 * 1024;

const userFileSchema = z
  .object({
    /** The catalog data format; a file from a newer modelpin is refused rather than half-read. */
    schema_version: z.number().int().positive().optional(),
    /** When the facts in the file were last checked. */
    as_of: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD').optional(),
    models: z.array(catalogEntrySchema),
  })
  .strict();

/** What a `catalog.files` file holds: entries in the models.yml format, or a whole family file in the shipped format. */
export type UserCatalogFile = { form: 'entries'; entries: CatalogEntryInput[] } | { form: 'family'; family: FamilyFile };

/** Entries of a family file layered over the shipped catalog, keyed under the family they describe. */
export function familyEntries(f: FamilyFile, origin: string): CatalogEntry[] {
  return f.models.map((m) => ({ ...m, provider: f.family, family: f.family, origin }));
}

export function fromInput(e: CatalogEntryInput, origin: string, family: string | null): CatalogEntry {
  const out: CatalogEntry = { provider: e.provider, family, origin, id: e.id, kind: e.kind, source: e.source ?? origin };
  if (e.points_to !== undefined) out.pointsTo = e.points_to;
  if (e.released !== undefined) out.released = e.released;
  if (e.deprecated !== undefined) out.deprecated = e.deprecated;
  if (e.retires !== undefined) out.retires = e.retires;
  if (e.replacement !== undefined) out.replacement = e.replacement;
  if (e.price) {
    out.price = { input: e.price.input, output: e.price.output };
    if (e.price.cached_input !== undefined) out.price.cachedInput = e.price.cached_input;
    if (e.price.cache_write_input !== undefined) out.price.cacheWriteInput = e.price.cache_write_input;
  }
  if (e.context_window !== undefined) out.contextWindow = e.context_window;
  if (e.reasoning === false) out.reasoning = false;
  else if (e.reasoning) {
    const r = e.reasoning;
    out.reasoning = {
      source: e.source ?? origin,
      ...(r.efforts ? { efforts: r.efforts } : {}),
      ...(r.levels ? { levels: r.levels } : {}),
      ...(r.budget ? { budget: r.budget } : {}),
      ...(r.adaptive !== undefined ? { adaptive: r.adaptive } : {}),
      ...(r.can_disable !== undefined ? { canDisable: r.can_disable } : {}),
      ...(r.signed_tool_calls !== undefined ? { signedToolCalls: r.signed_tool_calls } : {}),
    };
  }
  if (e.notes !== undefined) out.notes = e.notes;
  if (e.status !== undefined) out.status = e.status;
  if (e.uncertain !== undefined) out.uncertain = e.uncertain;
  return out;
}

/** Read one user catalog file; paths are relative to the directory of models.yml. */
export function readUserCatalogFile(path: string, baseDir: string): UserCatalogFile {
  const file = isAbsolute(path) ? path : resolve(baseDir, path);
  let text: string;
  try {
    const st = statSync(file);
    if (st.isDirectory()) throw new ConfigError(`catalog file ${path} is a directory, expected a JSON or YAML file`, { file });
    if (st.size > MAX_CATALOG_BYTES) throw new ConfigError(`catalog file ${path} is larger than 5 MB`, { file });
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    throw new ConfigError(`catalog file ${path} not found (resolved to ${file})`, { file });
  }
  let data: unknown;
  try {
    data = /\.json$/i.test(file) ? JSON.parse(text) : parseYaml(text);
  } catch (e) {
    throw new ConfigError(`catalog file ${path} does not parse: ${(e as Error).message.split('\n')[0]}`, { file });
  }
  const version = data !== null && typeof data === 'object' && !Array.isArray(data) ? ((data as Record<string, unknown>).schemaVersion ?? (data as Record<string, unknown>).schema_version) : undefined;
  if (typeof version === 'number' && version > CATALOG_SCHEMA_VERSION) {
    throw new ConfigError(`catalog file ${path} has schema version ${version}; this modelpin reads version ${CATALOG_SCHEMA_VERSION}: upgrade modelpin`, { file });
  }
  if (data !== null && typeof data === 'object' && !Array.isArray(data) && 'family' in data) {
    const fam = familyFileSchema.safeParse(data);
    if (!fam.success) {
      const issue = fam.error.issues[0];
      throw new ConfigError(`catalog file ${path} (family format): ${issue?.path.join('.') || '(top level)'}: ${issue?.message ?? 'invalid'}; run modelpin catalog check ${path}`, { file });
    }
    return { form: 'family', family: fam.data };
  }
  // Pick the branch by shape so the error points into the entries rather than at the union.
  const parsed = Array.isArray(data) ? z.array(catalogEntrySchema).safeParse(data) : userFileSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? issue.path.join('.') : '(top level)';
    throw new ConfigError(`catalog file ${path}: ${where}: ${issue?.message ?? 'invalid'} (expected a list of entries or { models: [...] })`, { file });
  }
  const out = parsed.data;
  return { form: 'entries', entries: Array.isArray(out) ? out : out.models };
}
