/**
 * Tells a pinned snapshot from a floating alias or a preview, from a catalog entry when there is
 * one and from the family's naming rules otherwise. Unknown stays unknown: no guessing.
 */
import type { CatalogEntry, FamilyFile, ThirdPartyReport } from './data-schema.js';
import { dateMs } from './dates.js';
import { parseIdForm } from './id-forms.js';
import type { CatalogIndex } from './index.js';
import { deriveLifecycle, normaliseStatus, type LifecycleStatus } from './lifecycle.js';

export type ClassKind = 'pinned' | 'floating' | 'preview' | 'unknown';

export interface Classification {
  /** The id as the catalog keys it (after stripping prefixes such as `models/` or `us.`). */
  id: string;
  /** The id as given. */
  input: string;
  /** The provider as given, or the family inferred from the id. */
  provider: string | null;
  family: string | null;
  kind: ClassKind;
  reason: string;
  matched: 'entry' | 'rule' | 'fine-tune' | 'none';
  /** The rule pattern that matched, when matched === 'rule'. */
  rule?: string;
  entry?: CatalogEntry;
  /** For an alias: the snapshot it points to as of `asOf`. */
  pointsTo?: string;
  asOf?: string;
  deprecated?: string;
  retires?: string;
  retiresNotBefore?: string;
  replacement?: string;
  /** Lifecycle as of `asOf`, from the dates first (see lifecycle.ts); for an alias, its target's. */
  status?: LifecycleStatus;
  /** What the catalog entry stores, when the dates say otherwise. */
  storedStatus?: string;
  statusBasis?: string;
  /** Days from `asOf` to the retirement date (negative once retired). */
  daysLeft?: number;
  /** The snapshot whose lifecycle this is, when it is not the id's own (an alias's target, a fine-tune's base). */
  lifecycleFrom?: string;
  /** False when only a naming rule (or nothing) matched: the id's shape is known, the model is not. */
  inCatalog: boolean;
  /** Matched by a naming rule only: reported as "not in the catalog: shape only". */
  shapeOnly?: boolean;
  uncertain?: boolean;
  /** The entry's source is a third party's page. */
  thirdParty?: boolean;
  /** A change reported only by third parties: shown, never used to derive the status. */
  thirdPartyReport?: ThirdPartyReport;
  simulated?: boolean;
  source?: string;
  /** Retired by evidence: the day the id (or the alias's target) went missing from the provider's listing. */
  unlistedSince?: string;
  /** What the provider's models endpoint said at the last `catalog refresh` (only with a models.yml provider). */
  listing?: { provider: string; checkedAt: string; listed: boolean; firstSeen?: string; vanishedOn?: string };
  /** For an OpenAI fine-tune: classification of its base model. */
  base?: Classification;
  notes: string[];
}

const ENTRY_KIND: Record<CatalogEntry['kind'], ClassKind> = { snapshot: 'pinned', alias: 'floating', preview: 'preview' };

export function aliasTarget(entry: CatalogEntry, at: string): string | undefined {
  if (entry.pointsToUnknownSince !== undefined && dateMs(entry.pointsToUnknownSince) <= dateMs(at)) return undefined;
  let target = entry.pointsTo;
  for (const h of entry.pointsToHistory ?? []) if (dateMs(h.since) <= dateMs(at)) target = h.pointsTo;
  return target;
}

export function classifyId(index: CatalogIndex, input: string, givenProvider: string | undefined, at: string): Classification {
  let provider = givenProvider;
  let raw = input.trim();
  const slash = raw.indexOf('/');
  if (slash > 0) {
    const prefix = raw.slice(0, slash);
    if (provider !== undefined && prefix === provider) raw = raw.slice(slash + 1);
    else if (provider === undefined && index.isProviderName(prefix)) {
      provider = prefix;
      raw = raw.slice(slash + 1);
    }
  }

  const geo = index.families.flatMap((f) => f.geoPrefixes ?? []);
  const form = parseIdForm(raw, geo);
  const notes = [...form.notes];
  const base: Classification = { id: form.id, input, provider: provider ?? null, family: null, kind: 'unknown', reason: '', matched: 'none', asOf: at, inCatalog: false, notes };

  let family: FamilyFile | null = null;
  if (provider !== undefined) {
    const pf = index.providerFamily(provider);
    if (!pf.known) {
      return { ...base, reason: `provider "${provider}" is neither a provider in models.yml nor a catalog family; pass --provider with one of: ${index.families.map((f) => f.family).join(', ')}` };
    }
    family = pf.family;
    if (!family && form.familyHint) family = index.family(form.familyHint) ?? null;
    if (!family) {
      const inferred = index.inferFamily(form.id);
      if (inferred) {
        family = inferred;
        notes.push(`provider "${provider}" has no catalog family; naming rules of ${inferred.family} apply to this id`);
      }
    }
  } else {
    family = form.familyHint ? (index.family(form.familyHint) ?? null) : index.inferFamily(form.id);
    if (family) notes.push(`provider inferred from the id: ${family.family}`);
  }
  base.family = family?.family ?? null;
  if (base.provider === null && family) base.provider = family.family;

  if (form.opaque) return { ...base, reason: form.opaque };
  if (form.fineTune) {
    const baseClass = classifyId(index, form.fineTune.base, family?.family ?? 'openai', at);
    const baseDesc = baseClass.kind === 'unknown' ? 'an unknown base model' : `base ${form.fineTune.base} (${baseClass.kind})`;
    const out: Classification = {
      ...base,
      kind: 'pinned',
      matched: 'fine-tune',
      reason: `OpenAI fine-tuned model: an immutable model trained from ${baseDesc}; it is not re-pointed`,
      base: baseClass,
    };
    // A fine-tune is shut down with the model it was trained from.
    if (baseClass.status !== undefined) inherit(out, baseClass, baseClass.lifecycleFrom ?? baseClass.id);
    return out;
  }

  let entry = index.lookup(provider, family, form.id);
  if (!entry && provider === undefined && !family) {
    entry = index.findAnywhere(form.id);
    if (entry) {
      base.provider = entry.provider;
      base.family = entry.family;
      notes.push(`provider inferred from the catalog entry: ${entry.provider}`);
    }
  }
  if (entry) return fromEntry(index, base, entry, at);

  if (family) {
    for (const rule of family.rules) {
      if (new RegExp(rule.pattern).test(form.id)) {
        return {
          ...base,
          kind: rule.kind,
          matched: 'rule',
          rule: rule.pattern,
          shapeOnly: true,
          reason: `not in the catalog: shape only (${family.family} naming rule: ${rule.reason}); the name has this shape, but no such model is known`,
          source: rule.source,
          ...(rule.uncertain ? { uncertain: true } : {}),
        };
      }
    }
    const why = family.unknownReason ?? `no ${family.family} catalog entry or naming rule matches; check the provider's models endpoint, or declare it under catalog.models in models.yml`;
    return { ...base, reason: why };
  }
  if (provider !== undefined) {
    // A declared provider without a catalog family (Ollama, vLLM, a proxy): its ids follow no public naming scheme.
    return { ...base, reason: `provider "${provider}" has no catalog family, so nothing says whether "${form.id}" is pinned; declare it under catalog.models in models.yml (kind: snapshot or alias)` };
  }
  return { ...base, reason: 'no provider given and none could be inferred from the id; pass --provider or declare the model under catalog.models in models.yml' };
}

/** Copy a snapshot's lifecycle onto the classification of what stands in for it. */
function inherit(out: Classification, from: Classification, id: string): void {
  for (const k of ['deprecated', 'retires', 'retiresNotBefore', 'status', 'statusBasis', 'daysLeft'] as const) {
    if (from[k] !== undefined) (out as unknown as Record<string, unknown>)[k] = from[k];
  }
  if (out.replacement === undefined && from.replacement !== undefined) out.replacement = from.replacement;
  out.lifecycleFrom = id;
}

function applyLifecycle(out: Classification, entry: CatalogEntry, at: string): void {
  for (const k of ['deprecated', 'retires', 'retiresNotBefore', 'replacement'] as const) {
    const v = entry[k];
    if (v !== undefined) out[k] = v;
  }
  const l = deriveLifecycle(entry, at);
  out.status = l.status;
  out.statusBasis = l.basis;
  if (l.daysLeft !== undefined) out.daysLeft = l.daysLeft;
  if (entry.status !== undefined && normaliseStatus(entry.status) !== l.status) out.storedStatus = entry.status;
}

function fromEntry(index: CatalogIndex, base: Classification, entry: CatalogEntry, at: string): Classification {
  const out: Classification = { ...base, kind: ENTRY_KIND[entry.kind], matched: 'entry', inCatalog: true, entry, source: entry.source };
  const origin = entry.origin === 'builtin' ? `catalog entry ${entry.provider}/${entry.id}` : `catalog entry ${entry.provider}/${entry.id} from ${entry.origin}`;
  if (entry.uncertain) out.uncertain = true;
  if (entry.simulated) out.simulated = true;
  if (entry.thirdParty) {
    out.thirdParty = true;
    out.notes.push('source is a third-party page, not the provider\'s own');
  }
  if (entry.thirdPartyReport) {
    const r = entry.thirdPartyReport;
    out.thirdPartyReport = r;
    const what = [r.retires ? `retired on ${r.retires}` : '', r.routedTo ? `requests routed to ${r.routedTo}` : '', r.replacement ? `replacement ${r.replacement}` : ''].filter(Boolean).join(', ');
    out.notes.push(`unconfirmed (third parties only): ${what || 'a change'}; ${r.source}`);
  }
  if (entry.kind === 'alias') {
    const target = aliasTarget(entry, at);
    if (target) out.pointsTo = target;
    out.reason = target
      ? `${origin}: floating alias, points to ${target} as of ${at}`
      : entry.pointsToUnknownSince !== undefined
        ? `${origin}: floating alias; which snapshot it serves since ${entry.pointsToUnknownSince} is not known (the served model field tells)`
        : `${origin}: floating alias with no dated target exposed`;
    if (entry.pointsToAsOf !== undefined) out.notes.push(`alias mapping last read from a provider page in ${entry.pointsToAsOf}: it may have moved since`);
    const own = entry.retires !== undefined || entry.deprecated !== undefined || entry.status !== undefined;
    const targetEntry = target && target !== entry.id ? index.lookup(entry.provider, index.family(entry.family ?? '') ?? null, target) : undefined;
    if (own || !targetEntry) {
      if (own) applyLifecycle(out, entry, at);
      else if (entry.replacement !== undefined) out.replacement = entry.replacement;
    } else {
      // An alias has no lifecycle of its own: it lives and dies with the snapshot it serves now.
      if (entry.replacement !== undefined) out.replacement = entry.replacement;
      const t: Classification = { ...base, id: targetEntry.id, inCatalog: true, notes: [] };
      applyLifecycle(t, targetEntry, at);
      inherit(out, t, targetEntry.id);
      if (out.status === 'retired') out.reason += ` (retired${out.retires ? ` on ${out.retires}` : ''}: calls to the alias fail or are served by another model)`;
    }
    return out;
  }
  applyLifecycle(out, entry, at);
  const what = entry.kind === 'preview' ? 'preview model (fixed name, short-lived)' : 'pinned snapshot';
  out.reason = `${origin}: ${what}`;
  if (entry.sameAs) {
    const [fam = '', ...rest] = entry.sameAs.split('/');
    const same = index.lookup(undefined, index.family(fam) ?? null, rest.join('/'));
    const upstream = same?.retires ? `; first-party ${same.id} retires ${same.retires}` : '';
    out.reason += ` (same model as ${entry.sameAs}${upstream}; the platform sets its own dates)`;
  }
  return out;
}
