/**
 * `modelpin outdated`, as data: for every route and environment, the model it calls, where that
 * model is in its lifecycle on a given day, what the provider names as its replacement, and the
 * newest snapshot of the same line that the catalog (or the provider's last listing) knows. Pure.
 */
import type { Catalog, Classification } from '../../catalog/catalog.js';
import { daysBetween } from '../../catalog/dates.js';
import type { LifecycleStatus } from '../../catalog/lifecycle.js';
import type { ModelsFile } from '../../config/schema.js';
import { targetRef } from '../../config/target.js';
import { usesForEnv } from '../../lint/uses.js';

/** Why a row is shown the way it is, worst first. */
export type OutdatedState = 'retired' | 'retiring' | 'deprecated' | 'unknown' | 'update-available' | 'current';

export interface ServedFact {
  servedModel: string;
  /** ms since the epoch. */
  lastSeen: number;
}

export interface OutdatedRow {
  route: string;
  env: string;
  /** `provider/model` as configured (or as an env var overrides it). */
  target: string;
  provider: string;
  model: string;
  kind: Classification['kind'];
  inCatalog: boolean;
  /** Catalog alias mapping on `today`. */
  pointsTo?: string;
  /** What the store saw the provider answer with (the served model field), when it has seen one. */
  served?: { model: string; lastSeen: string };
  /** The snapshot whose lifecycle the row reports (an alias's target, the served model). */
  snapshot?: string;
  status: LifecycleStatus | 'unknown';
  statusBasis?: string;
  deprecated?: string;
  retires?: string;
  daysLeft?: number;
  /** Retired by evidence: the day the provider's listing stopped showing it. */
  unlistedSince?: string;
  /** No retirement announced, but the provider promises availability until at least this day. */
  retiresNotBefore?: string;
  /** What the provider names as the replacement. */
  replacement?: string;
  /** A newer snapshot of the same line, when the catalog or the provider's listing has one. */
  newest?: { id: string; from: 'catalog' | 'listing'; released?: string };
  uncertain?: boolean;
  /** A change only third parties report (shown, not used for the status). */
  reported?: string;
  state: OutdatedState;
  /** Retired, or retiring within the window. */
  due: boolean;
  envVar?: string;
}

export interface OutdatedInput {
  file: ModelsFile;
  catalog: Catalog;
  today: string;
  withinDays: number;
  /** Only this environment (default: every environment that has targets). */
  env?: string;
  envVars: Record<string, string | undefined>;
  /** Latest served model per `provider/model` target, from the store. */
  served?: (ref: string) => ServedFact | undefined;
}

const DATE_SUFFIXES = [/-\d{4}-\d{2}-\d{2}$/, /-\d{8}$/, /@\d{8}$/, /-\d{3}$/, /-\d{4}$/];

/** The line a snapshot belongs to: its id without the version suffix (`gpt-4o-2024-11-20` -> `gpt-4o`). */
export function lineOf(id: string): string | null {
  for (const re of DATE_SUFFIXES) if (re.test(id)) return id.replace(re, '');
  return null;
}

/** A sortable version key from the id's own suffix, when it carries one. */
function suffixKey(id: string): string {
  const m = /(\d{4})-(\d{2})-(\d{2})$/.exec(id) ?? /(\d{8})$/.exec(id);
  if (m) return m.slice(1).join('');
  const yymm = /-(\d{2})(\d{2})$/.exec(id);
  if (yymm) return `20${yymm[1]}${yymm[2]}00`;
  const nnn = /-(\d{3})$/.exec(id);
  return nnn ? `000${nnn[1]}` : '';
}

function envsOf(file: ModelsFile): string[] {
  const envs = new Set<string>();
  for (const r of Object.values(file.routes)) for (const e of Object.keys(r.targets)) envs.add(e);
  return [...envs].sort((a, b) => (a === 'production' ? -1 : b === 'production' ? 1 : a.localeCompare(b)));
}

function newestOf(input: OutdatedInput, provider: string, current: string): OutdatedRow['newest'] {
  const line = lineOf(current);
  if (line === null) return undefined;
  const candidates: Array<{ id: string; from: 'catalog' | 'listing'; released?: string; key: string }> = [];
  for (const e of input.catalog.list({ provider })) {
    if (e.kind !== 'snapshot' || lineOf(e.id) !== line) continue;
    if (e.released !== undefined && e.released > input.today) continue;
    if (input.catalog.classify(e.id, provider, { at: input.today }).status === 'retired') continue;
    candidates.push({
      id: e.id,
      from: 'catalog',
      ...(e.released ? { released: e.released } : {}),
      key: (e.released ?? '').replace(/-/g, '') || suffixKey(e.id),
    });
  }
  const listing = input.catalog.listing(provider);
  for (const id of listing?.ids ?? []) {
    if (lineOf(id) !== line || candidates.some((c) => c.id === id)) continue;
    candidates.push({ id, from: 'listing', key: suffixKey(id) });
  }
  const currentKey = candidates.find((c) => c.id === current)?.key ?? suffixKey(current);
  const best = candidates
    .filter((c) => c.id !== current && c.key > currentKey)
    .sort((a, b) => b.key.localeCompare(a.key) || a.id.localeCompare(b.id))[0];
  if (!best) return undefined;
  return { id: best.id, from: best.from, ...(best.released ? { released: best.released } : {}) };
}

function stateOf(row: Omit<OutdatedRow, 'state' | 'due'>, withinDays: number): { state: OutdatedState; due: boolean } {
  if (row.status === 'retired') return { state: 'retired', due: true };
  if (row.daysLeft !== undefined && row.daysLeft <= withinDays) return { state: 'retiring', due: true };
  if (row.status === 'deprecated' || row.status === 'legacy') return { state: 'deprecated', due: false };
  if (row.status === 'unknown') return { state: 'unknown', due: false };
  if (row.newest) return { state: 'update-available', due: false };
  return { state: 'current', due: false };
}

export function planOutdated(input: OutdatedInput): OutdatedRow[] {
  const rows: OutdatedRow[] = [];
  // Many routes share a model: look each line up once per provider.
  const newestCache = new Map<string, OutdatedRow['newest']>();
  const newestFor = (provider: string, current: string): OutdatedRow['newest'] => {
    const key = `${provider}\u0000${current}`;
    if (!newestCache.has(key)) newestCache.set(key, newestOf(input, provider, current));
    return newestCache.get(key);
  };
  for (const env of input.env !== undefined ? [input.env] : envsOf(input.file)) {
    for (const u of usesForEnv(input.file, env, input.envVars).uses) {
      if (u.role !== 'target') continue;
      const ref = targetRef(u.target);
      let c = input.catalog.classify(u.target.model, u.target.provider, { at: input.today });
      const served = input.served?.(ref);
      // The provider's own answer beats the catalog's alias mapping.
      let viaServed = false;
      if (served && c.kind === 'floating' && served.servedModel !== c.id) {
        const s = input.catalog.classify(served.servedModel, u.target.provider, { at: input.today });
        if (s.status !== undefined) {
          const {
            status: _s,
            statusBasis: _b,
            deprecated: _d,
            retires: _r,
            retiresNotBefore: _n,
            replacement: _p,
            daysLeft: _l,
            ...rest
          } = c;
          c = { ...rest, ...pickLifecycle(s), lifecycleFrom: s.id };
          viaServed = true;
        }
      }
      const snapshot =
        c.lifecycleFrom ??
        (c.kind === 'floating' ? (served?.servedModel ?? c.pointsTo) : c.inCatalog ? c.id : undefined);
      const status: OutdatedRow['status'] = c.status ?? 'unknown';
      const daysLeft = c.retires !== undefined ? daysBetween(input.today, c.retires) : undefined;
      const reported = c.thirdPartyReport
        ? [
            c.thirdPartyReport.retires ? `retired ${c.thirdPartyReport.retires}` : '',
            c.thirdPartyReport.routedTo ? `routed to ${c.thirdPartyReport.routedTo}` : '',
          ]
            .filter(Boolean)
            .join(', ')
        : undefined;
      const base: Omit<OutdatedRow, 'state' | 'due'> = {
        route: u.route,
        env,
        target: ref,
        provider: u.target.provider,
        model: u.target.model,
        kind: c.kind,
        inCatalog: c.inCatalog,
        ...(c.pointsTo !== undefined ? { pointsTo: c.pointsTo } : {}),
        ...(served ? { served: { model: served.servedModel, lastSeen: new Date(served.lastSeen).toISOString() } } : {}),
        ...(snapshot !== undefined ? { snapshot } : {}),
        status,
        ...(c.statusBasis !== undefined
          ? { statusBasis: viaServed ? `${c.statusBasis} (the served model)` : c.statusBasis }
          : {}),
        ...(c.deprecated !== undefined ? { deprecated: c.deprecated } : {}),
        ...(c.retires !== undefined ? { retires: c.retires } : {}),
        ...(daysLeft !== undefined ? { daysLeft } : {}),
        ...(c.retires === undefined && c.retiresNotBefore !== undefined
          ? { retiresNotBefore: c.retiresNotBefore }
          : {}),
        ...(c.unlistedSince !== undefined ? { unlistedSince: c.unlistedSince } : {}),
        ...(c.replacement !== undefined ? { replacement: c.replacement } : {}),
        ...(c.uncertain ? { uncertain: true } : {}),
        ...(reported ? { reported } : {}),
        ...(u.envVar ? { envVar: u.envVar.name } : {}),
      };
      const newest = snapshot !== undefined || c.shapeOnly ? newestFor(u.target.provider, snapshot ?? c.id) : undefined;
      const row = { ...base, ...(newest ? { newest } : {}) };
      rows.push({ ...row, ...stateOf(row, input.withinDays) });
    }
  }
  // npm outdated reads one dependency at a time: one route at a time, production first.
  const envRank = (e: string): number => (e === 'production' ? 0 : 1);
  return rows.sort(
    (a, b) => a.route.localeCompare(b.route) || envRank(a.env) - envRank(b.env) || a.env.localeCompare(b.env),
  );
}

function pickLifecycle(s: Classification): Partial<Classification> {
  const out: Partial<Classification> = {};
  for (const k of [
    'status',
    'statusBasis',
    'deprecated',
    'retires',
    'retiresNotBefore',
    'replacement',
    'daysLeft',
  ] as const)
    if (s[k] !== undefined) (out as Record<string, unknown>)[k] = s[k];
  return out;
}

/** Production targets that are retired or retire within the window: what makes `outdated` exit 1. */
export function duePins(rows: readonly OutdatedRow[]): OutdatedRow[] {
  return rows.filter((r) => r.env === 'production' && r.due);
}
