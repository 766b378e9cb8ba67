/**
 * `catalog refresh`: ask each configured provider's models endpoint what it lists now, and fold the
 * answer into the recorded listings. One provider failing (no key, no network, an error answer)
 * is reported for that provider; the others are still recorded.
 */
import type { ModelsFile } from '../config/schema.js';
import { isModelpinError } from '../core/errors.js';
import { mergeListing, LISTINGS_SCHEMA_VERSION, type ListingsFile } from './listings.js';

/** Provider types whose models endpoint lists model ids the catalog can compare with. */
const LISTABLE: Record<string, { needsKey: boolean } | { why: string }> = {
  openai: { needsKey: true },
  anthropic: { needsKey: true },
  gemini: { needsKey: true },
  'openai-compatible': { needsKey: false },
  simulator: { needsKey: false },
  'azure-openai': { why: 'Azure OpenAI lists deployments per resource, not model versions: declare deployments under catalog.models' },
};

export type RefreshOutcome =
  | { provider: string; type: string; ok: true; count: number; added: string[]; vanished: string[]; returned: string[]; first: boolean }
  | { provider: string; type: string; ok: false; code: 'no-key' | 'unsupported' | 'failed'; error: string };

export interface RefreshInput {
  file: ModelsFile;
  /** Only these provider ids (default: every provider in models.yml). */
  only?: string[];
  prev: ListingsFile | null;
  now: number;
  /** Env vars a provider's api_key names but that are unset, by provider id. */
  missingKeyVars: (provider: string) => string[];
  /** The effect: one models-endpoint call (with its own timeout) for one provider. */
  list: (provider: string) => Promise<string[]>;
}

export async function refreshListings(input: RefreshInput): Promise<{ next: ListingsFile; outcomes: RefreshOutcome[] }> {
  const ids = input.only ?? Object.keys(input.file.providers);
  const checkedAt = new Date(input.now).toISOString();
  const providers = { ...(input.prev?.providers ?? {}) };
  const outcomes = await Promise.all(
    ids.map(async (provider): Promise<RefreshOutcome> => {
      const type = input.file.providers[provider]?.type ?? 'unknown';
      const how = LISTABLE[type];
      if (!how || 'why' in how) return { provider, type, ok: false, code: 'unsupported', error: how && 'why' in how ? how.why : `provider type ${type} has no models endpoint` };
      if (how.needsKey && !input.file.providers[provider]?.api_key) {
        const vars = input.missingKeyVars(provider);
        return { provider, type, ok: false, code: 'no-key', error: vars.length > 0 ? `no API key: ${vars.join(', ')} is unset` : 'no api_key configured' };
      }
      try {
        const listed = await input.list(provider);
        const change = mergeListing(providers[provider], type, listed, checkedAt);
        providers[provider] = change.next;
        return { provider, type, ok: true, count: change.next.ids.length, added: change.added, vanished: change.vanished, returned: change.returned, first: change.first };
      } catch (e) {
        const msg = isModelpinError(e) ? `${e.code}: ${e.message}` : e instanceof Error ? e.message : String(e);
        return { provider, type, ok: false, code: 'failed', error: msg.split('\n')[0] ?? msg };
      }
    }),
  );
  return { next: { schemaVersion: LISTINGS_SCHEMA_VERSION, providers }, outcomes };
}
