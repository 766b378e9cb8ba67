/**
 * Day-one pinning: for each production target (and production fallback) that names a floating
 * alias, find the dated snapshot the alias serves and propose it. Pure: the caller supplies the
 * catalog and what the store saw the alias actually serve.
 *
 * Evidence, strongest first: the served model recorded for that target in recent usage (what the
 * provider really answered with), then the catalog's alias mapping as of `today`. A snapshot that
 * is unknown, retired or itself floating is never proposed: pinning to it would trade one lint
 * error for another, so it is reported for a person to decide.
 */
import type { Catalog } from '../../catalog/catalog.js';
import type { Path } from '../../config/interpolate.js';
import type { ModelsFile } from '../../config/schema.js';
import { describeUse, usesForEnv, type TargetUse } from '../../lint/uses.js';

export interface ServedEvidence {
  servedModel: string;
  /** ms since the epoch of the latest request that served it. */
  lastSeen: number;
}

export interface PinProposal {
  route: string;
  role: 'target' | 'fallback';
  /** Where the value sits in the full shape (`routes.<r>.targets.<env>` or `routes.<r>.fallback[i]`). */
  path: Path;
  what: string;
  from: string;
  to: string;
  evidence: 'served' | 'catalog';
  detail: string;
}

export interface PinUnresolved {
  route: string;
  what: string;
  ref: string;
  why: string;
}

export interface PinPlan {
  proposals: PinProposal[];
  unresolved: PinUnresolved[];
  /** Floating on purpose: `policy: float-allowed` with a reason. */
  allowed: string[];
}

export interface PinPlanInput {
  file: ModelsFile;
  catalog: Catalog;
  env: string;
  today: string;
  /** Only these routes (all when empty). */
  routes?: readonly string[];
  /** Latest served model seen for a `provider/model` target, when the store has one. */
  served?: (ref: string) => ServedEvidence | undefined;
}

export function planPins(input: PinPlanInput): PinPlan {
  const { file, catalog, env, today } = input;
  const only = input.routes && input.routes.length > 0 ? new Set(input.routes) : null;
  const plan: PinPlan = { proposals: [], unresolved: [], allowed: [] };
  for (const u of usesForEnv(file, env, {}).uses) {
    if (only && !only.has(u.route)) continue;
    if (u.role !== 'target' && u.role !== 'fallback') continue;
    const ref = `${u.target.provider}/${u.target.model}`;
    const c = catalog.classify(u.target.model, u.target.provider, { at: today });
    if (c.kind !== 'floating') continue;
    const route = file.routes[u.route];
    if (route?.policy === 'float-allowed' && route.reason !== undefined) {
      plan.allowed.push(`${u.route}: ${describeUse(u)} (${route.reason})`);
      continue;
    }
    const decided = decide(u, catalog, today, c.pointsTo, input.served?.(ref));
    if ('why' in decided) plan.unresolved.push({ route: u.route, what: describeUse(u), ref, why: decided.why });
    else
      plan.proposals.push({
        route: u.route,
        role: u.role,
        path: u.path,
        what: describeUse(u),
        from: ref,
        to: `${u.target.provider}/${decided.snapshot}`,
        evidence: decided.evidence,
        detail: decided.detail,
      });
  }
  return plan;
}

type Decision = { snapshot: string; evidence: 'served' | 'catalog'; detail: string } | { why: string };

function decide(
  u: TargetUse,
  catalog: Catalog,
  today: string,
  pointsTo: string | undefined,
  served: ServedEvidence | undefined,
): Decision {
  const candidates: Array<{ snapshot: string; evidence: 'served' | 'catalog'; detail: string }> = [];
  if (served) {
    const agrees =
      pointsTo === undefined || pointsTo === served.servedModel
        ? ''
        : `; the catalog says ${pointsTo}, the provider's own answer wins`;
    candidates.push({
      snapshot: served.servedModel,
      evidence: 'served',
      detail: `served by the provider, last seen ${new Date(served.lastSeen).toISOString()}${agrees}`,
    });
  }
  if (pointsTo !== undefined)
    candidates.push({ snapshot: pointsTo, evidence: 'catalog', detail: `the catalog's alias mapping as of ${today}` });
  if (candidates.length === 0) {
    return {
      why: 'neither the store nor the catalog knows which snapshot this alias serves: call it once through the gateway (the served model is recorded) or pin by hand',
    };
  }
  const problems: string[] = [];
  for (const cand of candidates) {
    const k = catalog.classify(cand.snapshot, u.target.provider, { at: today });
    const retired = k.status === 'retired';
    if (k.kind === 'pinned' && !retired) return cand;
    problems.push(
      `${cand.snapshot} (${cand.evidence}) is ${retired ? 'retired' : k.kind === 'unknown' ? 'not in the catalog (declare it under catalog.models)' : k.kind}`,
    );
  }
  return { why: `no safe snapshot to pin: ${problems.join('; ')}` };
}
