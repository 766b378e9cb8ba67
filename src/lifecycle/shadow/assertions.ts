/**
 * Which eval assertions shadow traffic runs: those of the suites that name the route which do not
 * depend on a case's expected answer — suite `defaults.assert` entries, and the types the
 * assertion registry marks `trafficSafe` (shape and ceiling checks: is-json, enum, max-tokens,
 * ...). Real traffic has no expected answer, so content checks written for one case (equals,
 * json-path values, similarity, rubrics) are left out.
 */
import { existsSync, readdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { ASSERTIONS } from '../../evals/assertions/registry.js';
import type { CompiledAssertion } from '../../evals/assertions/types.js';
import { findSuiteFiles, loadSuiteFile } from '../../evals/load-suite.js';
import type { LoadedSuite } from '../../evals/suite-types.js';

export interface NamedAssertion {
  /** Unique within the route: the assertion label, suffixed when two share one. */
  key: string;
  assertion: CompiledAssertion;
}

export function trafficAssertions(suites: readonly LoadedSuite[], route: string): NamedAssertion[] {
  const byShape = new Map<string, CompiledAssertion>();
  for (const s of suites) {
    for (const c of s.cases) {
      if (!c.routes.includes(route)) continue;
      for (const a of c.assertions) {
        const fromDefaults = a.path.startsWith('defaults.');
        if (!fromDefaults && !ASSERTIONS[a.type].trafficSafe) continue;
        // The same defaults entry is compiled into every case: keep one per place written.
        const shape = `${s.file}#${a.path.replace(/^cases\[\d+\]/, 'cases[*]')}`;
        if (!byShape.has(shape)) byShape.set(shape, a);
      }
    }
  }
  const used = new Map<string, number>();
  return [...byShape.values()].map((assertion) => {
    const n = (used.get(assertion.label) ?? 0) + 1;
    used.set(assertion.label, n);
    return { key: n === 1 ? assertion.label : `${assertion.label}#${n}`, assertion };
  });
}

/**
 * Suite files for patterns relative to `baseDir`: a file, a directory, or a `dir/*.yml` pattern
 * (a `*` wildcard in the last segment). Missing paths are skipped: shadow works without suites.
 */
export function expandSuitePatterns(patterns: readonly string[], baseDir: string): string[] {
  const out: string[] = [];
  for (const p of patterns) {
    const abs = resolve(baseDir, p);
    const name = basename(abs);
    if (name.includes('*')) {
      const dir = dirname(abs);
      if (!existsSync(dir)) continue;
      const re = new RegExp(
        `^${name
          .split('*')
          .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
          .join('.*')}$`,
      );
      out.push(
        ...readdirSync(dir)
          .filter((f) => re.test(f))
          .sort()
          .map((f) => join(dir, f)),
      );
    } else if (existsSync(abs)) {
      out.push(...findSuiteFiles([abs], baseDir));
    }
  }
  return out;
}

export async function loadSuites(patterns: readonly string[], baseDir: string): Promise<LoadedSuite[]> {
  return Promise.all(expandSuitePatterns(patterns, baseDir).map((f) => loadSuiteFile(f, baseDir)));
}
