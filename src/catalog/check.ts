/**
 * `modelpin catalog check`: validates a catalog data file before it is layered over the shipped
 * catalog (or shipped with it). Beyond the schema: a source on every fact, sources free of crawl
 * leftovers, dates in order, and stored statuses that the dates do not contradict.
 */
import { z } from 'zod';
import { catalogEntrySchema } from '../config/schema.js';
import { CATALOG_SCHEMA_VERSION, familyFileSchema } from './data-schema.js';
import { deriveLifecycle, normaliseStatus } from './lifecycle.js';

export type CheckSeverity = 'error' | 'warning';

export interface CheckFinding {
  severity: CheckSeverity;
  code:
    | 'schema'
    | 'schema-version'
    | 'missing-source'
    | 'tracking-query'
    | 'locale-path'
    | 'date-order'
    | 'status-contradicts-dates'
    | 'duplicate-id'
    | 'self-replacement';
  /** The entry id (or rule pattern) the finding is about; absent for file-level findings. */
  id?: string;
  message: string;
}

export interface CheckResult {
  form: 'family' | 'user' | 'unknown';
  family?: string;
  entries: number;
  findings: CheckFinding[];
}

/** Query parameters that only say who fetched a page, never which page it is. */
const TRACKING = /^(authuser|hl|translationfallback|site_locale|utm_[a-z]+|gclid|fbclid|mc_[a-z]+|ref_src|trk)$/i;
/** Path segments that pick a translation of a page rather than the page. */
const LOCALE = /^(zh-CN|zh-TW|zh-HK|zh-Hans|zh-Hant|pt-BR|pt-PT|es-419|es-ES|ja-JP|ko-KR|fr-FR|de-DE|ja|ko|tr|ru|vi|pl|nl)$/;

/** Problems with one source URL; a source that is not a URL (e.g. a simulator scenario) is left alone. */
export function sourceProblems(source: string): Array<Pick<CheckFinding, 'code' | 'message'>> {
  if (!/^https?:\/\//i.test(source)) return [];
  let url: URL;
  try {
    url = new URL(source);
  } catch {
    return [{ code: 'missing-source', message: `source ${JSON.stringify(source)} is not a valid URL` }];
  }
  const out: Array<Pick<CheckFinding, 'code' | 'message'>> = [];
  const tracking = [...url.searchParams.keys()].filter((k) => TRACKING.test(k));
  if (tracking.length > 0) out.push({ code: 'tracking-query', message: `source ${source} carries crawl leftovers (${tracking.join(', ')}): cite the page without them` });
  const locale = url.pathname.split('/').find((seg) => LOCALE.test(seg));
  if (locale !== undefined) out.push({ code: 'locale-path', message: `source ${source} is a translated copy (/${locale}/): cite the original-language page` });
  return out;
}

interface Facts {
  id: string;
  source?: string;
  priceSource?: string;
  reportSource?: string;
  status?: string;
  released?: string;
  deprecated?: string;
  retires?: string;
  retiresNotBefore?: string;
  replacement?: string;
  history?: string[];
}

const userFileSchema = z.object({ schema_version: z.number().int().optional(), as_of: z.string().optional(), models: z.array(catalogEntrySchema) }).strict();

function dateOrder(f: Facts): string[] {
  const out: string[] = [];
  const pairs: Array<[keyof Facts, keyof Facts]> = [
    ['released', 'deprecated'],
    ['released', 'retires'],
    ['deprecated', 'retires'],
    ['released', 'retiresNotBefore'],
  ];
  for (const [a, b] of pairs) {
    const x = f[a];
    const y = f[b];
    if (typeof x === 'string' && typeof y === 'string' && x > y) out.push(`${a} ${x} is after ${b} ${y}`);
  }
  const h = f.history ?? [];
  for (let i = 1; i < h.length; i++) if ((h[i] ?? '') < (h[i - 1] ?? '')) out.push(`pointsToHistory is not in date order (${h[i - 1]} before ${h[i]})`);
  return out;
}

function checkFacts(all: Facts[], asOf: string | undefined, requireSource: boolean): CheckFinding[] {
  const out: CheckFinding[] = [];
  const seen = new Set<string>();
  for (const f of all) {
    if (seen.has(f.id)) out.push({ severity: 'error', code: 'duplicate-id', id: f.id, message: `${f.id} appears more than once; the last one would win silently` });
    seen.add(f.id);
    if (requireSource && (f.source === undefined || f.source.trim() === '')) {
      out.push({ severity: 'error', code: 'missing-source', id: f.id, message: `${f.id} has no source: every fact needs the page it was read from` });
    }
    for (const s of [f.source, f.priceSource, f.reportSource]) {
      if (s !== undefined) for (const p of sourceProblems(s)) out.push({ severity: 'error', id: f.id, ...p });
    }
    for (const m of dateOrder(f)) out.push({ severity: 'error', code: 'date-order', id: f.id, message: `${f.id}: ${m}` });
    if (f.replacement !== undefined && f.replacement === f.id) out.push({ severity: 'error', code: 'self-replacement', id: f.id, message: `${f.id} names itself as its replacement` });
    const stored = normaliseStatus(f.status);
    if (asOf !== undefined && stored !== undefined) {
      const derived = deriveLifecycle(f, asOf).status;
      const contradicts = (stored === 'retired') !== (derived === 'retired') && (f.retires !== undefined || f.deprecated !== undefined);
      if (contradicts) {
        out.push({ severity: 'warning', code: 'status-contradicts-dates', id: f.id, message: `${f.id}: stored status "${f.status}" but its dates make it ${derived} as of ${asOf}; modelpin goes by the dates` });
      }
    }
  }
  return out;
}

function zodFinding(e: z.ZodError): CheckFinding {
  const issue = e.issues[0];
  const where = issue && issue.path.length > 0 ? issue.path.join('.') : '(top level)';
  return { severity: 'error', code: 'schema', message: `${where}: ${issue?.message ?? 'invalid'}` };
}

/** Check parsed catalog data: a family file (the shipped format) or a user file (the models.yml entry format). */
export function checkCatalogData(data: unknown): CheckResult {
  const obj = data !== null && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>) : null;
  const version = obj ? (obj.schemaVersion ?? obj.schema_version) : undefined;
  if (version !== undefined && version !== CATALOG_SCHEMA_VERSION) {
    const msg =
      typeof version === 'number' && version > CATALOG_SCHEMA_VERSION
        ? `schema version ${version} is newer than this modelpin reads (${CATALOG_SCHEMA_VERSION}): upgrade modelpin`
        : `schema version ${JSON.stringify(version)} is not one this modelpin reads (${CATALOG_SCHEMA_VERSION})`;
    return { form: 'unknown', entries: 0, findings: [{ severity: 'error', code: 'schema-version', message: msg }] };
  }
  if (obj && 'family' in obj) {
    const parsed = familyFileSchema.safeParse(data);
    if (!parsed.success) return { form: 'family', entries: 0, findings: [zodFinding(parsed.error)] };
    const f = parsed.data;
    const facts: Facts[] = f.models.map((m) => ({
      id: m.id,
      source: m.source,
      ...(m.priceSource !== undefined ? { priceSource: m.priceSource } : {}),
      ...(m.thirdPartyReport ? { reportSource: m.thirdPartyReport.source } : {}),
      ...pick(m, ['status', 'released', 'deprecated', 'retires', 'retiresNotBefore', 'replacement']),
      ...(m.pointsToHistory ? { history: m.pointsToHistory.map((h) => h.since) } : {}),
    }));
    const findings = checkFacts(facts, f.asOf, true);
    for (const r of f.rules) for (const p of sourceProblems(r.source)) findings.push({ severity: 'error', id: r.pattern, ...p });
    if (f.schemaVersion === undefined) findings.push({ severity: 'warning', code: 'schema-version', message: `no schemaVersion: add "schemaVersion": ${CATALOG_SCHEMA_VERSION}` });
    return { form: 'family', family: f.family, entries: f.models.length, findings };
  }
  const parsed = Array.isArray(data) ? z.array(catalogEntrySchema).safeParse(data) : userFileSchema.safeParse(data);
  if (!parsed.success) return { form: 'user', entries: 0, findings: [zodFinding(parsed.error)] };
  const models = Array.isArray(parsed.data) ? parsed.data : parsed.data.models;
  const asOf = Array.isArray(parsed.data) ? undefined : parsed.data.as_of;
  const facts: Facts[] = models.map((m) => ({ id: `${m.provider}/${m.id}`, ...pick(m, ['source', 'status', 'released', 'deprecated', 'retires']), ...(m.replacement !== undefined ? { replacement: `${m.provider}/${m.replacement}` } : {}) }));
  const findings = checkFacts(facts, asOf, true);
  if (Array.isArray(parsed.data) || parsed.data.schema_version === undefined) {
    findings.push({ severity: 'warning', code: 'schema-version', message: `no schema_version: write { schema_version: ${CATALOG_SCHEMA_VERSION}, models: [...] } so a future format change is detected` });
  }
  return { form: 'user', entries: models.length, findings };
}

function pick<T extends object, K extends keyof T>(o: T, keys: readonly K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const k of keys) if (o[k] !== undefined) out[k] = o[k];
  return out;
}
