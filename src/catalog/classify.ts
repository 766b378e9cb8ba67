/**
 * Tells a pinned snapshot from a floating alias or a preview, from a catalog entry when there is
 * one and from the family's naming rules otherwise. Unknown stays unknown: no guessing.
 */
import type { CatalogEntry, FamilyFile } from './data-schema.js';
import { dateMs } from './dates.js';
import { parseIdForm } from './id-forms.js';
import type { CatalogIndex } from './index.js';

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
  status?: string;
  uncertain?: boolean;
  simulated?: boolean;
  source?: string;
  /** For an OpenAI fine-tune: classification of its base model. */
  base?: Classification;
  notes: string[];
}

const ENTRY_KIND: Record<CatalogEntry['kind'], ClassKind> = { snapshot: 'pinned', alias: 'floating', preview: 'preview' };

export function aliasTarget(entry: CatalogEntry, at: string): string | undefined {
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
  const base: Classification = { id: form.id, input, provider: provider ?? null, family: null, kind: 'unknown', reason: '', matched: 'none', asOf: at, notes };

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
    return {
      ...base,
      kind: 'pinned',
      matched: 'fine-tune',
      reason: `OpenAI fine-tuned model: an immutable model trained from ${baseDesc}; it is not re-pointed`,
      base: baseClass,
    };
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
        return { ...base, kind: rule.kind, matched: 'rule', rule: rule.pattern, reason: `${family.family} naming rule: ${rule.reason}`, source: rule.source, ...(rule.uncertain ? { uncertain: true } : {}) };
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

function fromEntry(index: CatalogIndex, base: Classification, entry: CatalogEntry, at: string): Classification {
  const out: Classification = { ...base, kind: ENTRY_KIND[entry.kind], matched: 'entry', entry, source: entry.source };
  const origin = entry.origin === 'builtin' ? `catalog entry ${entry.provider}/${entry.id}` : `catalog entry ${entry.provider}/${entry.id} from ${entry.origin}`;
  for (const k of ['deprecated', 'retires', 'retiresNotBefore', 'replacement', 'status'] as const) {
    const v = entry[k];
    if (v !== undefined) out[k] = v;
  }
  if (entry.uncertain) out.uncertain = true;
  if (entry.simulated) out.simulated = true;
  if (entry.kind === 'alias') {
    const target = aliasTarget(entry, at);
    if (target) out.pointsTo = target;
    out.reason = target ? `${origin}: floating alias, points to ${target} as of ${at}` : `${origin}: floating alias with no dated target exposed`;
    return out;
  }
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
