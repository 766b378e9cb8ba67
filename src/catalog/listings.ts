/**
 * What each configured provider's models endpoint listed, and when: a local overlay that
 * `catalog refresh` writes and `classify`, `lint` and `outdated` read. It keeps the catalog honest
 * between releases: a snapshot that appears is seen as new, one that disappears as vanished.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../core/errors.js';

export const LISTINGS_SCHEMA_VERSION = 1;
/** Where the overlay lives when models.yml names none (relative to models.yml). */
export const DEFAULT_LISTINGS_PATH = '.modelpin/model-listings.json';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export const providerListingSchema = z
  .object({
    type: z.string(),
    /** ISO date-time of the last successful listing. */
    checkedAt: z.string(),
    /** Ids the provider lists now. */
    ids: z.array(z.string()),
    /** Id -> the day it was first listed. Ids present at the first listing carry that day. */
    firstSeen: z.record(z.string(), day),
    /** Id -> the first day it was missing from a listing after having been listed. */
    vanished: z.record(z.string(), day),
  })
  .strict();

export const listingsFileSchema = z
  .object({
    schemaVersion: z.literal(LISTINGS_SCHEMA_VERSION),
    providers: z.record(z.string(), providerListingSchema),
  })
  .strict();

export type ProviderListing = z.infer<typeof providerListingSchema>;
export type ListingsFile = z.infer<typeof listingsFileSchema>;

export interface ListingChange {
  next: ProviderListing;
  /** Listed now, not listed before (empty on the first listing: there is no baseline). */
  added: string[];
  /** Listed before, missing now. */
  vanished: string[];
  /** Listed again after having vanished. */
  returned: string[];
  first: boolean;
}

/** Fold a fresh listing into what was recorded before. Pure. */
export function mergeListing(prev: ProviderListing | undefined, type: string, ids: readonly string[], checkedAt: string): ListingChange {
  const today = checkedAt.slice(0, 10);
  const now = [...new Set(ids)].sort();
  const nowSet = new Set(now);
  const firstSeen: Record<string, string> = { ...(prev?.firstSeen ?? {}) };
  const vanished: Record<string, string> = { ...(prev?.vanished ?? {}) };
  const before = new Set(prev?.ids ?? []);
  const added: string[] = [];
  const returned: string[] = [];
  for (const id of now) {
    if (firstSeen[id] === undefined) {
      firstSeen[id] = today;
      if (prev) added.push(id);
    }
    if (vanished[id] !== undefined) {
      delete vanished[id];
      returned.push(id);
    }
  }
  const gone: string[] = [];
  for (const id of before) {
    if (!nowSet.has(id)) {
      vanished[id] = today;
      gone.push(id);
    }
  }
  return { next: { type, checkedAt, ids: now, firstSeen, vanished }, added, vanished: gone.sort(), returned, first: prev === undefined };
}

export function listingsPath(configured: string | undefined, baseDir: string): string {
  const p = configured ?? DEFAULT_LISTINGS_PATH;
  return isAbsolute(p) ? p : resolve(baseDir, p);
}

/** The overlay, or null when it has never been written. A damaged file is a ConfigError naming it. */
export function readListings(file: string): ListingsFile | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new ConfigError(`model listings ${file} cannot be read: ${(e as Error).message}`, { file });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`model listings ${file} is not valid JSON (${(e as Error).message}); delete it and run modelpin catalog refresh`, { file });
  }
  const parsed = listingsFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`model listings ${file}: ${issue?.path.join('.') || '(top level)'}: ${issue?.message ?? 'invalid'}; delete it and run modelpin catalog refresh`, { file });
  }
  return parsed.data;
}

/** Written to a temporary file and renamed, so a reader never sees half a file. */
export function writeListings(file: string, data: ListingsFile): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(data, null, 2)}\n`);
  renameSync(tmp, file);
}
