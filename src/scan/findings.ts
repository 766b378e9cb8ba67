/**
 * Turns candidates into findings: each literal is classified with the catalog as of a day, and
 * what an app should not depend on (retired, retiring, floating, preview, or any provider model id
 * written in code instead of a models.yml route) becomes a finding with a fix hint. Pure.
 */
import type { Classification } from '../catalog/catalog.js';
import { daysBetween } from '../catalog/dates.js';
import type { Candidate, CandidateContext } from './extract.js';

export const FINDING_KINDS = ['retired', 'retiring', 'floating', 'preview', 'bypass'] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];
export type Severity = 'error' | 'warning';

export interface ScanFinding {
  /** Path relative to the working directory, with forward slashes. */
  file: string;
  line: number;
  col: number;
  /** The id as written. */
  id: string;
  kind: FindingKind;
  severity: Severity;
  context: CandidateContext;
  provider: string | null;
  /** pinned, floating, preview or unknown (a known family's shape only). */
  catalogKind: Classification['kind'];
  inCatalog: boolean;
  status?: string;
  retires?: string;
  daysLeft?: number;
  pointsTo?: string;
  replacement?: string;
  message: string;
  /** What to write instead: a route of models.yml that targets it, the snapshot to pin, the replacement. */
  hint?: string;
}

/** A models.yml route and the `provider/model` it targets per environment. */
export interface RouteTarget {
  route: string;
  env: string;
  provider: string;
  model: string;
}

export interface FindingOptions {
  today: string;
  /** A retirement within this many days is a finding (default 90). */
  withinDays: number;
  /** Report pinned ids written in code (they bypass models.yml); default true. */
  bypass: boolean;
  routes: readonly RouteTarget[];
}

/** Whether a classified literal is a model id at all: the catalog knows it, or a model key names it. */
function isModelId(c: Classification, context: CandidateContext): boolean {
  if (c.matched !== 'none') return true;
  // A known family's shape with no entry or rule (`gpt-7-turbo`): a model id only where a model is named.
  return c.family !== null && context !== 'literal';
}

function kindOf(c: Classification, o: FindingOptions): FindingKind | null {
  if (c.status === 'retired') return 'retired';
  if (c.retires !== undefined && daysBetween(o.today, c.retires) <= o.withinDays) return 'retiring';
  if (c.kind === 'floating') return 'floating';
  if (c.kind === 'preview') return 'preview';
  return o.bypass ? 'bypass' : null;
}

function routesFor(c: Classification, routes: readonly RouteTarget[]): RouteTarget[] {
  const ids = new Set([c.id, c.input, c.pointsTo].filter((x): x is string => x !== undefined));
  return routes.filter((r) => ids.has(r.model));
}

function describe(c: Classification, kind: FindingKind, today: string): string {
  const id = c.input;
  switch (kind) {
    case 'retired':
      return `${id} is retired${c.retires ? ` since ${c.retires}` : ''}${c.lifecycleFrom && c.lifecycleFrom !== c.id ? ` (it serves ${c.lifecycleFrom})` : ''}: calls fail or are served by another model`;
    case 'retiring': {
      const left = c.retires !== undefined ? daysBetween(today, c.retires) : undefined;
      return `${id} retires on ${c.retires}${left !== undefined ? ` (in ${left} days)` : ''}${c.kind === 'floating' ? `; it is also a floating alias${c.pointsTo ? ` (serves ${c.pointsTo})` : ''}` : ''}`;
    }
    case 'floating':
      return `${id} is a floating alias${c.pointsTo ? ` (serves ${c.pointsTo} as of ${today})` : ''}: the provider re-points it without notice`;
    case 'preview':
      return `${id} is a preview model: short-lived, with little notice`;
    case 'bypass':
      return `${id} is a ${c.kind === 'pinned' ? 'pinned' : c.kind} provider model id written in the app: it bypasses models.yml (no pin review, no rollback, no evals)`;
  }
}

function hintFor(c: Classification, kind: FindingKind, routes: readonly RouteTarget[]): string {
  const known = routesFor(c, routes);
  const viaRoute =
    known.length > 0 ? `call route "${known[0]?.route}" instead (models.yml targets it in ${known[0]?.env})` : '';
  const provider = c.provider ?? 'provider';
  // Catalog texts such as "gemini-3.5-flash or gemini-3.1-flash-lite" are advice, not an id to paste.
  const asId = (s: string | undefined): string | undefined =>
    s !== undefined && /^[A-Za-z0-9][\w.:@/-]*$/.test(s) ? s : undefined;
  const snapshot = asId(
    kind === 'floating' ? c.pointsTo : kind === 'retired' || kind === 'retiring' ? c.replacement : c.id,
  );
  const declare = snapshot
    ? `declare a route in models.yml (targets: { production: ${provider}/${snapshot} }) and call it by name`
    : 'declare a route in models.yml pinned to a dated snapshot and call it by name';
  const parts: string[] = [];
  if (kind === 'floating') parts.push(asId(c.pointsTo) ? `pin ${c.pointsTo}` : 'pin a dated snapshot');
  if ((kind === 'retired' || kind === 'retiring') && c.replacement) parts.push(`replacement: ${c.replacement}`);
  if (kind === 'preview' && c.replacement) parts.push(`replacement: ${c.replacement}`);
  parts.push(viaRoute || declare);
  return parts.join('; ');
}

export function findingsFor(
  file: string,
  candidates: readonly Candidate[],
  classify: (value: string) => Classification,
  o: FindingOptions,
): ScanFinding[] {
  const out: ScanFinding[] = [];
  for (const cand of candidates) {
    const c = classify(cand.value);
    if (!isModelId(c, cand.context)) continue;
    const kind = kindOf(c, o);
    if (kind === null) continue;
    const f: ScanFinding = {
      file,
      line: cand.line,
      col: cand.col,
      id: cand.value,
      kind,
      severity: kind === 'retired' || kind === 'retiring' ? 'error' : 'warning',
      context: cand.context,
      provider: c.provider,
      catalogKind: c.kind,
      inCatalog: c.inCatalog,
      message: describe(c, kind, o.today),
      hint: hintFor(c, kind, o.routes),
    };
    if (c.status !== undefined) f.status = c.status;
    if (c.retires !== undefined) f.retires = c.retires;
    if (c.retires !== undefined) f.daysLeft = daysBetween(o.today, c.retires);
    if (c.pointsTo !== undefined) f.pointsTo = c.pointsTo;
    if (c.replacement !== undefined) f.replacement = c.replacement;
    out.push(f);
  }
  return out;
}
