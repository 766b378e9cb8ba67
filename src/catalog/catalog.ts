/**
 * The model catalog: shipped family files plus the user's `catalog:` section of models.yml.
 * `loadCatalog()` does the I/O; everything after that is pure lookups.
 */
import type { ModelsFile } from '../config/schema.js';
import { builtinFamilies } from './builtin.js';
import { classifyId, aliasTarget, type Classification } from './classify.js';
import type { CatalogEntry, FamilyFile, Price } from './data-schema.js';
import { addDays } from './dates.js';
import { CatalogIndex } from './index.js';
import { listingsPath, readListings, type ListingsFile, type ProviderListing } from './listings.js';
import { structuredOutputOf } from './structured-output.js';
import { familyEntries, fromInput, readUserCatalogFile } from './user-entries.js';
import type { ModelCapabilities, ReasoningCapabilities, StructuredOutputCapabilities } from '../wire/capabilities.js';

export type { Classification, ClassKind } from './classify.js';
export type { CatalogEntry, Price, FamilyFile } from './data-schema.js';
export type { ListingsFile, ProviderListing } from './listings.js';

export interface CatalogListFilter {
  provider?: string;
  /** Only entries whose retirement date falls within this many days from `today` (inclusive). */
  retiringWithinDays?: number;
  today?: string;
}

export interface FamilySummary {
  family: string;
  title: string;
  asOf: string;
  providerTypes: string[];
  aliases: string[];
  models: number;
  simulated: boolean;
}

/** What the provider's models endpoint said about an id at the last `catalog refresh`. */
export interface ListingFact {
  provider: string;
  checkedAt: string;
  listed: boolean;
  firstSeen?: string;
  vanishedOn?: string;
}

export interface Catalog {
  /** The date the shipped facts were last checked (latest family `asOf`). */
  readonly asOf: string;
  classify(id: string, provider?: string, opts?: { at?: string }): Classification;
  entry(provider: string, id: string): CatalogEntry | undefined;
  /** USD per million tokens; an alias is priced as the snapshot it points to. Null when unknown. */
  price(provider: string, model: string): { input: number; output: number; cachedInput?: number; cacheWriteInput?: number } | null;
  /** Reasoning a model accepts (an alias answers for the snapshot it points to); false: it does not reason; undefined when unknown. */
  reasoning(provider: string, model: string): ReasoningCapabilities | false | undefined;
  list(filter?: CatalogListFilter): CatalogEntry[];
  families(): FamilySummary[];
  /** Catalog family for a provider id (models.yml id, family name or alias); null when it has none. */
  familyOf(provider: string): string | null;
  /** The last recorded listing of a models.yml provider (`catalog refresh`), or null. */
  listing(provider: string): ProviderListing | null;
  /** Structured-output features of a model (an alias answers for the snapshot it points to); undefined when unknown. */
  structuredOutput(provider: string, model: string): StructuredOutputCapabilities | undefined;
}

export interface LoadCatalogOptions {
  file?: ModelsFile;
  /** Directory that relative `catalog.files` paths are resolved against (the models.yml directory). */
  baseDir?: string;
  /**
   * Recorded provider listings (`catalog refresh`): the data itself, or `'config'` to read the file
   * that models.yml names (default .modelpin/model-listings.json). Not read by default, so the
   * gateway's routing never depends on a local overlay file.
   */
  listings?: ListingsFile | null | 'config';
}

/** The capabilities a request translation reads for a target model (src/wire/capabilities.ts); undefined when unknown. */
export function capabilitiesOf(catalog: Catalog, provider: string, model: string): ModelCapabilities | undefined {
  const structuredOutput = catalog.structuredOutput(provider, model);
  const reasoning = catalog.reasoning(provider, model);
  if (!structuredOutput && reasoning === undefined) return undefined;
  return { ...(structuredOutput ? { structuredOutput } : {}), ...(reasoning !== undefined ? { reasoning } : {}) };
}

export function loadCatalog(opts: LoadCatalogOptions = {}): Catalog {
  const families = builtinFamilies();
  const providerTypes = new Map<string, string>(Object.entries(opts.file?.providers ?? {}).map(([id, p]) => [id, p.type]));
  const probe = new CatalogIndex(families, [], providerTypes);
  const familyName = (provider: string): string | null => probe.providerFamily(provider).family?.family ?? null;
  const user: CatalogEntry[] = [];
  for (const path of opts.file?.catalog.files ?? []) {
    const read = readUserCatalogFile(path, opts.baseDir ?? process.cwd());
    if (read.form === 'family') user.push(...familyEntries(read.family, path));
    else for (const e of read.entries) user.push(fromInput(e, path, familyName(e.provider)));
  }
  for (const e of opts.file?.catalog.models ?? []) user.push(fromInput(e, 'models.yml', familyName(e.provider)));
  const listings = opts.listings === 'config' ? (opts.file ? readListings(listingsPath(opts.file.catalog.listings, opts.baseDir ?? process.cwd())) : null) : (opts.listings ?? null);
  return createCatalog(families, user, providerTypes, listings);
}

/** A provider's listing is evidence: an id it stopped listing is retired, whatever the catalog says. */
function withListing(c: Classification, listing: ProviderListing | undefined, provider: string | undefined): Classification {
  if (!listing || provider === undefined) return c;
  const fact = (id: string): ListingFact => ({
    provider,
    checkedAt: listing.checkedAt,
    listed: listing.ids.includes(id),
    ...(listing.firstSeen[id] !== undefined ? { firstSeen: listing.firstSeen[id] } : {}),
    ...(listing.vanished[id] !== undefined ? { vanishedOn: listing.vanished[id] } : {}),
  });
  const own = fact(c.id);
  const out: Classification = { ...c, listing: own, notes: [...c.notes] };
  const behind = c.kind === 'floating' && c.pointsTo ? fact(c.pointsTo) : undefined;
  const gone = own.vanishedOn !== undefined ? { id: c.id, on: own.vanishedOn } : behind?.vanishedOn !== undefined && c.pointsTo ? { id: c.pointsTo, on: behind.vanishedOn } : null;
  if (gone && out.asOf !== undefined && gone.on <= out.asOf) {
    if (out.status !== undefined && out.status !== 'retired') out.storedStatus = out.storedStatus ?? out.status;
    out.status = 'retired';
    out.statusBasis = `no longer listed by ${provider} since ${gone.on}`;
    out.unlistedSince = gone.on;
    // A promise of availability the provider has already broken is no longer worth showing.
    delete out.retiresNotBefore;
    if (gone.id !== c.id) out.lifecycleFrom = gone.id;
  }
  if (own.listed && !c.inCatalog) out.notes.push(`listed by ${provider} (first seen ${own.firstSeen ?? listing.checkedAt.slice(0, 10)}), but not in the catalog`);
  return out;
}

export function createCatalog(families: FamilyFile[], userEntries: CatalogEntry[], providerTypes: ReadonlyMap<string, string>, listings: ListingsFile | null = null): Catalog {
  const index = new CatalogIndex(families, userEntries, providerTypes);
  const asOf = families.reduce((max, f) => (f.asOf > max ? f.asOf : max), '0000-00-00');

  const entry = (provider: string, id: string): CatalogEntry | undefined => index.lookup(provider, index.providerFamily(provider).family, id);

  return {
    asOf,
    classify: (id, provider, o) => withListing(classifyId(index, id, provider, o?.at ?? asOf), provider !== undefined ? listings?.providers[provider] : undefined, provider),
    entry,
    price(provider, model) {
      const c = classifyId(index, model, provider, asOf);
      if (!c.entry) return null;
      let priced: CatalogEntry | undefined = c.entry;
      if (c.entry.kind === 'alias' && !c.entry.price) {
        const target = aliasTarget(c.entry, asOf);
        priced = target ? index.lookup(c.provider ?? undefined, index.family(c.family ?? '') ?? null, target) : undefined;
      }
      const p: Price | undefined = priced?.price;
      return p
        ? {
            input: p.input,
            output: p.output,
            ...(p.cachedInput !== undefined ? { cachedInput: p.cachedInput } : {}),
            ...(p.cacheWriteInput !== undefined ? { cacheWriteInput: p.cacheWriteInput } : {}),
          }
        : null;
    },
    reasoning(provider, model) {
      const c = classifyId(index, model, provider, asOf);
      let e: CatalogEntry | undefined = c.entry ?? undefined;
      if (e && e.kind === 'alias' && e.reasoning === undefined) {
        const target = aliasTarget(e, asOf);
        e = target ? index.lookup(c.provider ?? undefined, index.family(c.family ?? '') ?? null, target) : undefined;
      }
      if (e?.reasoning === undefined || e.reasoning === false) return e?.reasoning;
      const { source: _source, uncertain: _uncertain, ...caps } = e.reasoning;
      return caps;
    },
    list(filter = {}) {
      let out = index.allEntries();
      if (filter.provider !== undefined) {
        const pf = index.providerFamily(filter.provider);
        out = out.filter((e) => e.provider === filter.provider || (pf.family !== null && e.family === pf.family.family));
      }
      if (filter.retiringWithinDays !== undefined) {
        const today = filter.today ?? asOf;
        const until = addDays(today, filter.retiringWithinDays);
        out = out.filter((e) => e.retires !== undefined && e.retires >= today && e.retires <= until);
        return out.sort((a, b) => (a.retires ?? '').localeCompare(b.retires ?? '') || a.id.localeCompare(b.id));
      }
      return out.sort((a, b) => a.provider.localeCompare(b.provider) || a.id.localeCompare(b.id));
    },
    families: () =>
      families.map((f) => ({
        family: f.family,
        title: f.title,
        asOf: f.asOf,
        providerTypes: f.providerTypes,
        aliases: f.aliases,
        models: f.models.length,
        simulated: f.simulated === true,
      })),
    familyOf: (provider) => index.providerFamily(provider).family?.family ?? null,
    listing: (provider) => listings?.providers[provider] ?? null,
    structuredOutput(provider, model) {
      const c = classifyId(index, model, provider, asOf);
      const ids = [c.id, c.pointsTo];
      // The provider's family first (a Claude id on an Anthropic provider), then the family the id itself belongs to.
      return structuredOutputOf(index.providerFamily(provider).family ?? undefined, ids) ?? structuredOutputOf(index.family(c.family ?? ''), ids);
    },
  };
}
