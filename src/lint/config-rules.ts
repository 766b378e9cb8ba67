/** Findings about how models.yml is written: providers, duplicates, secrets, policy, validation dates, env vars. */
import { daysBetween } from '../catalog/dates.js';
import { valueAt } from '../core/object-path.js';
import { didYouMean } from '../config/did-you-mean.js';
import { isWholeReference, type Path } from '../config/interpolate.js';
import type { LoadedConfig } from '../config/load.js';
import { normalizeTarget, targetRef } from '../config/target.js';
import { describeUse, type TargetUse } from './uses.js';
import { finding, type Finding, type LintOptions } from './types.js';

export function providerFindings(loaded: LoadedConfig, uses: TargetUse[]): Finding[] {
  const defined = Object.keys(loaded.file.providers);
  return uses
    .filter((u) => !loaded.file.providers[u.target.provider])
    .map((u) => {
      const hint = didYouMean(u.target.provider, defined);
      const list = defined.length ? ` (defined: ${defined.join(', ')})` : ' (no providers are defined)';
      return finding(
        'undefined-provider',
        `routes.${u.route}: ${describeUse(u)} uses provider "${u.target.provider}", which is not defined under providers:${hint ? ` — did you mean "${hint}"?` : list}`,
        u.path,
        u.route,
      );
    });
}

export function duplicateFindings(loaded: LoadedConfig): Finding[] {
  const routesKey = loaded.shape === 'plain' ? 'models' : 'routes';
  return loaded.duplicates.map((d) => {
    const isRoute = d.path.length === 2 && d.path[0] === routesKey;
    const name = String(d.path[d.path.length - 1]);
    const f = isRoute
      ? finding(
          'duplicate-route',
          `route "${name}" is defined twice (first on line ${d.firstLine}); only the last definition is used`,
          d.path,
          name,
        )
      : finding(
          'duplicate-key',
          `${d.path.join('.')} appears twice in the same mapping (first on line ${d.firstLine}); only the last value is used`,
          d.path,
        );
    return { ...f, line: d.line, col: d.col };
  });
}

const SECRET_HEADER = /authorization|api[-_]?key|token|secret|password/i;

export function secretFindings(loaded: LoadedConfig): Finding[] {
  const paths: Path[] = [];
  for (const [id, p] of Object.entries(loaded.file.providers)) {
    paths.push(['providers', id, 'api_key']);
    for (const h of Object.keys(p.headers ?? {}))
      if (SECRET_HEADER.test(h)) paths.push(['providers', id, 'headers', h]);
  }
  // Raw indices: a client key with an unset variable is dropped from the loaded file, not from the text.
  const rawKeys = valueAt(loaded.raw, ['gateway', 'keys']);
  if (Array.isArray(rawKeys)) rawKeys.forEach((_k, i) => paths.push(['gateway', 'keys', i, 'key']));
  paths.push(['gateway', 'admin_token']);
  const out: Finding[] = [];
  for (const path of paths) {
    const v = valueAt(loaded.raw, path);
    if (typeof v !== 'string' || v === '') continue;
    const def = /^\$\{[A-Za-z_][A-Za-z0-9_]*:-(.+)\}$/.exec(v.trim());
    if (isWholeReference(v) && !def) continue;
    const where = path.join('.');
    const msg = def
      ? `${where} has a literal default inside \${...:-...}; keys must come only from the environment (write \${VAR})`
      : `${where} is a literal secret; write it as \${ENV_VAR} and set the variable in the environment`;
    out.push(finding('literal-secret', msg, path));
  }
  return out;
}

export function policyFindings(loaded: LoadedConfig, opts: LintOptions): Finding[] {
  const out: Finding[] = [];
  const maxAge = loaded.file.lint.max_validated_age_days;
  for (const [name, r] of Object.entries(loaded.file.routes)) {
    const base: Path = ['routes', name];
    if (r.policy === 'float-allowed') {
      if (r.reason === undefined)
        out.push(
          finding(
            'float-allowed-without-reason',
            `routes.${name}: policy float-allowed needs a reason: (why this route may follow a moving alias)`,
            [...base, 'policy'],
            name,
          ),
        );
      else out.push(finding('float-allowed', `routes.${name} may float: ${r.reason}`, [...base, 'policy'], name));
    }
    if (r.last_validated === undefined)
      out.push(finding('not-validated', `routes.${name} has no last_validated date`, base, name));
    else {
      const age = daysBetween(r.last_validated, opts.today);
      if (age > maxAge)
        out.push(
          finding(
            'stale-validation',
            `routes.${name}: last_validated ${r.last_validated} is ${age} days old (limit ${maxAge}); re-run its evals and update it`,
            [...base, 'last_validated'],
            name,
          ),
        );
    }
    const prod = r.targets.production;
    const staging = r.targets.staging;
    if (
      prod !== undefined &&
      staging !== undefined &&
      targetRef(normalizeTarget(prod)) === targetRef(normalizeTarget(staging))
    ) {
      out.push(
        finding(
          'staging-equals-production',
          `routes.${name}: staging and production are both ${targetRef(normalizeTarget(prod))}; staging evals cannot show drift`,
          [...base, 'targets', 'staging'],
          name,
        ),
      );
    }
    if (r.targets[opts.env] === undefined) {
      const envs = Object.keys(r.targets);
      const hint = didYouMean(opts.env, envs);
      out.push(
        finding(
          'missing-env-target',
          `routes.${name} has no ${opts.env} target${hint ? ` — did you mean to name "${hint}" ${opts.env}?` : ` (it has: ${envs.join(', ') || 'none'})`}`,
          [...base, 'targets'],
          name,
        ),
      );
    }
  }
  return out;
}

export function envVarFindings(loaded: LoadedConfig, uses: TargetUse[], opts: LintOptions): Finding[] {
  const out: Finding[] = [];
  const seen = new Set<string>();
  const report = (prefix: Path, who: string, route: string | undefined): void => {
    for (const rec of loaded.interpolations) {
      if (!prefix.every((seg, i) => rec.path[i] === seg)) continue;
      for (const v of rec.missing) {
        const key = `${rec.path.join('.')}\u0000${v}`;
        if (seen.has(key) || (opts.envVars[v] ?? '') !== '') continue;
        seen.add(key);
        out.push(
          finding('unset-env-var', `env var ${v} is not set; ${who} needs it (${rec.path.join('.')})`, rec.path, route),
        );
      }
    }
  };
  report(['gateway'], 'the gateway', undefined);
  for (const u of uses) {
    report(
      ['providers', u.target.provider],
      `provider "${u.target.provider}" (used by ${describeUse(u)} in routes.${u.route})`,
      u.route,
    );
    report(u.path, `routes.${u.route} ${u.role}`, u.route);
  }
  return out;
}

export function overrideFindings(
  uses: TargetUse[],
  badOverrides: Array<{ route: string; name: string; value: string }>,
  opts: LintOptions,
): Finding[] {
  const out: Finding[] = [];
  for (const u of uses) {
    if (u.role === 'target' && u.envVar) {
      out.push(
        finding(
          'env-override',
          `routes.${u.route}: ${opts.env} target comes from env var ${u.envVar.name}=${u.envVar.value}, not models.yml`,
          u.path,
          u.route,
        ),
      );
    }
  }
  for (const b of badOverrides) {
    out.push(
      finding(
        'invalid-env-override',
        `routes.${b.route}: env var ${b.name} is set but is not "provider/model"; it is ignored by lint and rejected at run time`,
        ['routes', b.route, 'targets', opts.env],
        b.route,
      ),
    );
  }
  return out;
}
