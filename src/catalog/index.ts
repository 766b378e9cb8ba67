/** Lookup tables over shipped families and user entries. Pure data; no I/O. */
import { PROVIDER_TYPES } from '../providers/types.js';
import type { CatalogEntry, FamilyFile } from './data-schema.js';

export interface ProviderFamily {
  /** The family, or null for a provider that has none (e.g. openai-compatible, or a user-only provider). */
  family: FamilyFile | null;
  /** False when the name is neither a models.yml provider, a family, nor a user-entry provider. */
  known: boolean;
}

export class CatalogIndex {
  readonly families: FamilyFile[];
  private readonly byName = new Map<string, FamilyFile>();
  private readonly builtin = new Map<string, Map<string, CatalogEntry>>();
  private readonly user = new Map<string, Map<string, CatalogEntry>>();
  private readonly patterns = new Map<string, RegExp[]>();

  constructor(
    families: FamilyFile[],
    userEntries: CatalogEntry[],
    /** models.yml provider id -> provider type. */
    private readonly providerTypes: ReadonlyMap<string, string>,
  ) {
    this.families = families;
    for (const f of families) {
      this.byName.set(f.family, f);
      for (const a of f.aliases) if (!this.byName.has(a)) this.byName.set(a, f);
      const m = new Map<string, CatalogEntry>();
      for (const e of f.models) m.set(e.id, { ...e, provider: f.family, family: f.family, origin: 'builtin' });
      this.builtin.set(f.family, m);
      this.patterns.set(f.family, f.idPatterns.map((p) => new RegExp(p)));
    }
    for (const e of userEntries) {
      const m = this.user.get(e.provider) ?? new Map<string, CatalogEntry>();
      m.set(e.id, e);
      this.user.set(e.provider, m);
    }
  }

  family(name: string): FamilyFile | undefined {
    return this.byName.get(name);
  }

  providerFamily(provider: string): ProviderFamily {
    const type = this.providerTypes.get(provider);
    if (type !== undefined) return { family: this.families.find((f) => f.providerTypes.includes(type)) ?? null, known: true };
    const fam = this.byName.get(provider);
    if (fam) return { family: fam, known: true };
    if ((PROVIDER_TYPES as readonly string[]).includes(provider)) return { family: this.families.find((f) => f.providerTypes.includes(provider)) ?? null, known: true };
    return { family: null, known: this.user.has(provider) };
  }

  isProviderName(name: string): boolean {
    return this.providerTypes.has(name) || this.byName.has(name) || this.user.has(name) || (PROVIDER_TYPES as readonly string[]).includes(name);
  }

  /** User entries win over shipped ones: first under the provider name as written, then under its family. */
  lookup(provider: string | undefined, family: FamilyFile | null, id: string): CatalogEntry | undefined {
    if (provider !== undefined) {
      const hit = this.user.get(provider)?.get(id);
      if (hit) return hit;
    }
    if (family) {
      for (const name of [family.family, ...family.aliases]) {
        const hit = this.user.get(name)?.get(id);
        if (hit) return hit;
      }
      for (const [p, type] of this.providerTypes) {
        if (family.providerTypes.includes(type)) {
          const hit = this.user.get(p)?.get(id);
          if (hit) return hit;
        }
      }
      return this.builtin.get(family.family)?.get(id);
    }
    return undefined;
  }

  /** An id looked up with no provider: user entries first, then families in inference order. */
  findAnywhere(id: string): CatalogEntry | undefined {
    for (const m of this.user.values()) {
      const hit = m.get(id);
      if (hit) return hit;
    }
    for (const f of this.families) {
      const hit = this.builtin.get(f.family)?.get(id);
      if (hit) return hit;
    }
    return undefined;
  }

  inferFamily(id: string): FamilyFile | null {
    for (const f of this.families) if (this.patterns.get(f.family)?.some((re) => re.test(id))) return f;
    return null;
  }

  allEntries(): CatalogEntry[] {
    const out: CatalogEntry[] = [];
    const overridden = new Set<string>();
    for (const m of this.user.values()) {
      for (const e of m.values()) {
        out.push(e);
        const fam = this.providerFamily(e.provider).family;
        if (fam) overridden.add(`${fam.family}\u0000${e.id}`);
      }
    }
    for (const m of this.builtin.values()) for (const e of m.values()) if (!overridden.has(`${e.family}\u0000${e.id}`)) out.push(e);
    return out;
  }
}
