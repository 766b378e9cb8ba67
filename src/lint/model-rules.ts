/** Findings about the models that targets name: floating, unknown, preview, retired, deprecated. */
import type { Catalog, Classification } from '../catalog/catalog.js';
import { servedLifecycle, type Lifecycle } from '../catalog/lifecycle.js';
import { addDays } from '../catalog/dates.js';
import type { ModelsFile } from '../config/schema.js';
import { describeUse, type TargetUse } from './uses.js';
import { finding, type Finding, type LintOptions } from './types.js';

/** Lifecycle of what a use's classification really serves. */
function served(c: Classification): Lifecycle | null {
  return servedLifecycle(c);
}

const replacementText = (l: Lifecycle): string =>
  l.replacement ? `; replacement: ${l.replacement}` : '; no replacement named in the catalog';

export function retiredFindings(file: ModelsFile, catalog: Catalog, uses: TargetUse[], opts: LintOptions): Finding[] {
  const out: Finding[] = [];
  for (const u of uses) {
    if (!file.providers[u.target.provider]) continue;
    const c = catalog.classify(u.target.model, u.target.provider, { at: opts.today });
    const l = served(c);
    if (!l?.retired) continue;
    const via =
      l.id === c.id ? '' : c.matched === 'fine-tune' ? ` (fine-tune of ${l.id})` : ` (alias ${c.id} points to ${l.id})`;
    const when = l.retires
      ? ` on ${l.retires}`
      : c.unlistedSince
        ? ` (${c.statusBasis ?? `no longer listed since ${c.unlistedSince}`})`
        : '';
    out.push(
      finding(
        'retired-model',
        `routes.${u.route}: ${describeUse(u)} is retired${when}${via}; calls will fail${replacementText(l)}`,
        u.path,
        u.route,
      ),
    );
  }
  return out;
}

export function envModelFindings(file: ModelsFile, catalog: Catalog, uses: TargetUse[], opts: LintOptions): Finding[] {
  const out: Finding[] = [];
  const soon = addDays(opts.today, file.lint.retiring_within_days);
  for (const u of uses) {
    if (!file.providers[u.target.provider]) continue;
    const route = file.routes[u.route];
    if (!route) continue;
    const c = catalog.classify(u.target.model, u.target.provider, { at: opts.today });
    const floatOk = route.policy === 'float-allowed' && route.reason !== undefined;
    if (c.kind === 'floating' && !floatOk) {
      out.push(
        finding(
          'floating-in-production',
          `routes.${u.route}: ${describeUse(u)} is a floating alias (${c.reason}). Pin a snapshot, or set policy: float-allowed with a reason`,
          u.path,
          u.route,
        ),
      );
    }
    if (c.kind === 'unknown') {
      out.push(
        finding(
          'unknown-model',
          `routes.${u.route}: ${describeUse(u)} is not a known model: ${c.reason}`,
          u.path,
          u.route,
        ),
      );
    }
    if (c.shapeOnly && c.kind !== 'floating') {
      out.push(
        finding(
          'not-in-catalog',
          `routes.${u.route}: ${describeUse(u)} is not in the catalog: shape only. ${c.reason}; check the provider's model list (modelpin catalog refresh) or declare it under catalog.models`,
          u.path,
          u.route,
        ),
      );
    }
    if (c.kind === 'preview') {
      out.push(
        finding(
          'preview-in-production',
          `routes.${u.route}: ${describeUse(u)} is a preview model (short-lived, may be retired on short notice)`,
          u.path,
          u.route,
        ),
      );
    }
    const l = served(c);
    if (!l || l.retired) continue;
    const name =
      l.id === c.id
        ? l.id
        : c.matched === 'fine-tune'
          ? `${l.id} (base of fine-tune ${c.id})`
          : `${l.id} (behind alias ${c.id})`;
    if (l.retires !== undefined && l.retires <= soon) {
      out.push(
        finding(
          'retiring-soon',
          `routes.${u.route}: ${describeUse(u)}: ${name} retires on ${l.retires}${replacementText(l)}`,
          u.path,
          u.route,
        ),
      );
    } else if (l.deprecated) {
      const on = l.deprecatedOn ? ` since ${l.deprecatedOn}` : '';
      out.push(
        finding(
          'deprecated-model',
          `routes.${u.route}: ${describeUse(u)}: ${name} is deprecated${on}${l.retires ? `, retires ${l.retires}` : ''}${replacementText(l)}`,
          u.path,
          u.route,
        ),
      );
    }
  }
  return out;
}
