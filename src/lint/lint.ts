/** `lintConfig`: every rule over a loaded models.yml, each finding placed on its line. */
import type { Catalog } from '../catalog/catalog.js';
import type { LoadedConfig } from '../config/load.js';
import {
  duplicateFindings,
  envVarFindings,
  overrideFindings,
  policyFindings,
  providerFindings,
  secretFindings,
} from './config-rules.js';
import { envModelFindings, retiredFindings } from './model-rules.js';
import { finding, type Finding, type LintOptions } from './types.js';
import { allUses, usesForEnv } from './uses.js';

export type { Finding, LintOptions, RuleId, Severity } from './types.js';
export { RULES } from './types.js';

const ORDER = { error: 0, warning: 1, info: 2 } as const;

export function lintConfig(loaded: LoadedConfig, catalog: Catalog, opts: LintOptions): Finding[] {
  const file = loaded.file;
  const { uses, badOverrides } = usesForEnv(file, opts.env, opts.envVars);
  const everywhere = allUses(file);
  const findings: Finding[] = [
    ...duplicateFindings(loaded),
    ...secretFindings(loaded),
    ...providerFindings(loaded, everywhere),
    ...retiredFindings(file, catalog, everywhere, opts),
    ...envModelFindings(file, catalog, uses, opts),
    ...policyFindings(loaded, opts),
    ...envVarFindings(loaded, uses, opts),
    ...overrideFindings(uses, badOverrides, opts),
    ...loaded.notes.map((n) =>
      finding('provider-inferred', n.message, n.path, n.path[0] === 'routes' ? String(n.path[1]) : undefined),
    ),
  ];
  return findings
    .map((f) => {
      const msg = loaded.redact(f.message);
      if (f.line !== undefined) return { ...f, message: msg };
      const pos = loaded.locate(f.path);
      return pos ? { ...f, message: msg, line: pos.line, col: pos.col } : { ...f, message: msg };
    })
    .sort(
      (a, b) => (a.line ?? 0) - (b.line ?? 0) || ORDER[a.severity] - ORDER[b.severity] || a.rule.localeCompare(b.rule),
    );
}

export function summarize(findings: readonly Finding[]): { errors: number; warnings: number; infos: number } {
  return {
    errors: findings.filter((f) => f.severity === 'error').length,
    warnings: findings.filter((f) => f.severity === 'warning').length,
    infos: findings.filter((f) => f.severity === 'info').length,
  };
}

/** 0 clean, 1 errors (or warnings with strict). */
export function lintExitCode(findings: readonly Finding[], strict: boolean): 0 | 1 {
  const s = summarize(findings);
  return s.errors > 0 || (strict && s.warnings > 0) ? 1 : 0;
}
