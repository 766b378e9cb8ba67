/**
 * Load a scenario: a built-in name (`default`, `flaky`, `fast`) or a YAML path. Each file is
 * validated on its own so errors name the file, the field path and, when known, the line.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { LineCounter, parseDocument, isNode } from 'yaml';
import type { ZodError } from 'zod';
import { ConfigError } from '../core/errors.js';
import { packageRoot } from '../core/package-root.js';
import { joinPath } from '../core/object-path.js';

/** Where built-in scenarios live: `<package root>/scenarios/<name>.yml`. */
function builtinScenarioDir(): string {
  return resolve(packageRoot(), 'scenarios');
}
import { scenarioFileSchema, type ScenarioFile } from './scenario-schema.js';
import { finishScenario, type Scenario } from './scenario.js';

export const BUILTIN_NAME = /^[a-z0-9][a-z0-9-]*$/;

export function builtinScenarios(): string[] {
  const dir = builtinScenarioDir();
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yml'))
    .map((f) => f.slice(0, -4))
    .sort();
}

/** Resolve a built-in name or a path (relative to `baseDir`) to a file path. */
export function resolveScenarioPath(ref: string, baseDir: string = process.cwd()): string {
  if (BUILTIN_NAME.test(ref)) {
    const builtin = resolve(builtinScenarioDir(), `${ref}.yml`);
    if (existsSync(builtin)) return builtin;
  }
  const file = isAbsolute(ref) ? ref : resolve(baseDir, ref);
  if (existsSync(file)) return file;
  throw new ConfigError(
    `scenario ${JSON.stringify(ref)} not found: not a built-in (${builtinScenarios().join(', ')}) and no file at ${file}`,
    { file },
  );
}

export function loadScenario(ref: string = 'default', baseDir: string = process.cwd()): Scenario {
  const file = resolveScenarioPath(ref, baseDir);
  return finishScenario(loadMerged(file, []), file);
}

/** Parse one file (and what it extends), merged into one ScenarioFile. */
function loadMerged(file: string, chain: string[]): ScenarioFile {
  if (chain.includes(file)) {
    throw new ConfigError(`${file}: extends: cycle (${[...chain, file].join(' -> ')})`, { file, path: 'extends' });
  }
  const own = parseFile(file);
  if (own.extends === undefined) return own;
  let baseFile: string;
  try {
    baseFile = resolveScenarioPath(own.extends, dirname(file));
  } catch (e) {
    throw new ConfigError(`${file}: extends: ${(e as Error).message}`, { file, path: 'extends', cause: e });
  }
  return mergeScenario(loadMerged(baseFile, [...chain, file]), own);
}

function parseFile(file: string): ScenarioFile {
  const text = readFileSync(file, 'utf8');
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  const yamlError = doc.errors[0];
  if (yamlError) {
    const pos = yamlError.linePos?.[0];
    const where = pos ? `:${pos.line}:${pos.col}` : '';
    throw new ConfigError(`${file}${where}: invalid YAML: ${yamlError.message.split('\n')[0]}`, {
      file,
      ...(pos ? { line: pos.line, col: pos.col } : {}),
    });
  }
  const parsed = scenarioFileSchema.safeParse(doc.toJS() ?? {});
  if (parsed.success) return parsed.data;
  throw zodToConfigError(parsed.error, file, (path) => {
    for (let n = path.length; n >= 0; n--) {
      const node: unknown = doc.getIn(path.slice(0, n), true);
      if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
    }
    return undefined;
  });
}

export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  return joinPath('', path) || '(root)';
}

function zodToConfigError(
  err: ZodError,
  file: string,
  lineOf: (path: Array<string | number>) => number | undefined,
): ConfigError {
  const issues = err.issues.map((i) => {
    const path = i.path.filter((p): p is string | number => typeof p !== 'symbol');
    return { path: formatPath(path), line: lineOf(path), message: i.message };
  });
  const first = issues[0];
  const lines = issues.map((i) => `${file}${i.line !== undefined ? `:${i.line}` : ''}: ${i.path}: ${i.message}`);
  return new ConfigError(lines.join('\n'), {
    file,
    ...(first?.path !== undefined ? { path: first.path } : {}),
    ...(first?.line !== undefined ? { line: first.line } : {}),
  });
}

/** `own` wins: scalars replace, snapshots merge per field, aliases replace per id, own rules go first and replace base rules with the same id. */
export function mergeScenario(base: ScenarioFile, own: ScenarioFile): ScenarioFile {
  const snapshots: NonNullable<ScenarioFile['snapshots']> = { ...base.snapshots };
  for (const [id, s] of Object.entries(own.snapshots ?? {})) snapshots[id] = { ...snapshots[id], ...s };
  const { extends: _ignored, ...rest } = own;
  const ownRules = own.rules ?? [];
  const ownIds = new Set(ownRules.map((r) => r.id));
  return {
    ...base,
    ...rest,
    defaults: { ...base.defaults, ...own.defaults },
    snapshots,
    aliases: { ...base.aliases, ...own.aliases },
    rules: [...ownRules, ...(base.rules ?? []).filter((r) => !ownIds.has(r.id))],
  };
}
