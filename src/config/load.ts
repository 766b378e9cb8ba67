/**
 * Load models.yml: read safely, parse YAML, normalise the plain shape, interpolate `${ENV}`,
 * validate with zod. Every failure is a ConfigError with one clear message (file:line:col when
 * known) and never contains an interpolated value.
 */
import { dirname, isAbsolute, resolve } from 'node:path';
import { loadCatalog } from '../catalog/catalog.js';
import { ConfigError, isModelpinError } from '../core/errors.js';
import { interpolateString, interpolateTree, redact, type Interpolation, type Path } from './interpolate.js';
import { secretForms } from '../core/secret-text.js';
import { isPlainShape, normalizePlain, sourcePathOf, type ShapeNote } from './plain-shape.js';
import { formatIssues, renderIssue } from './schema-errors.js';
import { modelsFileSchema, type ModelsFile } from './schema.js';
import { undefinedProviderSites } from './provider-refs.js';
import { parseYamlText, readConfigText, type DuplicateKey, type Position } from './yaml-source.js';

export interface LoadedConfig {
  path: string;
  /** Interpolated, normalised full shape. */
  file: ModelsFile;
  shape: 'full' | 'plain';
  /** Line/column of a node given its path in the full shape (plain-shape paths are mapped back). */
  locate(path: (string | number)[]): { line: number; col: number } | null;
  text: string;
  /** The normalised document before interpolation (for checks on how values are written, e.g. literal keys). */
  raw: unknown;
  duplicates: DuplicateKey[];
  interpolations: Interpolation[];
  /** What normalisation inferred (plain shape). */
  notes: ShapeNote[];
  /** Where a full-shape path is written in the file. */
  sourcePath(path: Path): Path;
  /** Remove every interpolated env value from a text before it is shown. */
  redact(text: string): string;
  /**
   * The secret values of this file in every form they may take in a text (see `secretForms`): what
   * came from the environment into secret places, and provider header values and keys written literally.
   */
  secrets: readonly string[];
  baseDir: string;
}

export interface LoadOptions {
  env?: Record<string, string | undefined>;
  /** How to name the file in messages (default: the path as given). */
  displayName?: string;
  /**
   * Refuse targets whose provider is not defined (default true). `modelpin lint` turns it off to
   * report them as findings beside everything else it checks.
   */
  checkProviders?: boolean;
}

export function loadConfig(path: string, opts: LoadOptions = {}): LoadedConfig {
  const shown = opts.displayName ?? path;
  const text = readConfigText(path, 'config file', shown);
  const loaded = parseConfig(text, shown, opts);
  loaded.baseDir = dirname(resolve(path));
  anchorScenarioPaths(loaded);
  return loaded;
}

/**
 * A simulator scenario given as a file path is relative to models.yml, not to wherever the command
 * runs; built-in names (`default`, `flaky`, `fast`) have no slash or extension and stay as they are.
 */
function anchorScenarioPaths(loaded: LoadedConfig): void {
  for (const p of Object.values(loaded.file.providers)) {
    if (p.type !== 'simulator' || !p.scenario) continue;
    if (/[\\/]|\.ya?ml$/i.test(p.scenario) && !isAbsolute(p.scenario)) p.scenario = resolve(loaded.baseDir, p.scenario);
  }
}

export function parseConfig(text: string, file: string, opts: LoadOptions = {}): LoadedConfig {
  const env = opts.env ?? process.env;
  const parsed = parseYamlText(text, file);
  let data = parsed.data;
  if (data === null || data === undefined)
    throw new ConfigError(`${file} is empty; run \`modelpin init\` for a starter models.yml`, { file });
  if (typeof data !== 'object' || Array.isArray(data)) {
    const pos = parsed.locate([]) ?? { line: 1, col: 1 };
    throw new ConfigError(
      `${file}:${pos.line}:${pos.col}: expected a mapping with providers: and routes: (or models:), got ${Array.isArray(data) ? 'a list' : `a ${typeof data}`}`,
      { file, line: pos.line, col: pos.col },
    );
  }
  if ('models' in data && 'routes' in data) {
    const pos = parsed.locate(['models']);
    throw new ConfigError(
      `${file}${pos ? `:${pos.line}:${pos.col}` : ''}: use either routes: (full shape) or models: (plain shape), not both`,
      { file },
    );
  }

  let shape: 'full' | 'plain' = 'full';
  let notes: ShapeNote[] = [];
  if (isPlainShape(data)) {
    shape = 'plain';
    const catalog = loadCatalog();
    const normalized = normalizePlain(data, file, (model) => {
      const id = interpolateString(model, env).value;
      const c = catalog.classify(id);
      if (!c.family) return null;
      const fam = catalog.families().find((f) => f.family === c.family);
      return { family: c.family, providerTypes: fam?.providerTypes ?? [] };
    });
    data = normalized.data;
    notes = normalized.notes;
  }
  const sourcePath = shape === 'plain' ? sourcePathOf : (p: Path): Path => p;
  const locate = (p: Path): Position | null => parsed.locate(sourcePath(p));

  const { tree, records, secrets } = interpolateTree(data, env);
  dropUnsetClientKeys(tree);
  secrets.push(...literalProviderSecrets(tree));
  const hide = (t: string): string => redact(t, secrets);
  const result = modelsFileSchema.safeParse(tree);
  if (!result.success) {
    const issues = formatIssues(result.error.issues, {
      schema: modelsFileSchema,
      data: tree,
      file,
      display: sourcePath,
      locate,
    });
    const lines = issues.slice(0, 8).map((i) => hide(renderIssue(file, i, sourcePath)));
    if (issues.length > 8) lines.push(`... and ${issues.length - 8} more`);
    const first = issues[0];
    throw new ConfigError(lines.join('\n'), {
      file,
      ...(first?.line !== undefined ? { line: first.line, col: first.col } : {}),
      ...(first ? { path: sourcePath(first.path).join('.') } : {}),
    });
  }
  if (opts.checkProviders !== false) refuseUndefinedProviders(result.data, file, sourcePath, locate);
  return {
    path: file,
    file: result.data,
    shape,
    locate,
    text,
    raw: data,
    duplicates: parsed.duplicates,
    interpolations: records,
    notes,
    sourcePath,
    redact: hide,
    secrets: secretForms(secrets),
    baseDir: dirname(resolve(file)),
  };
}

/** Load, turning anything unexpected into a ConfigError (the CLI must never print a stack trace for bad input). */
export function loadConfigSafe(path: string, opts: LoadOptions = {}): LoadedConfig {
  try {
    return loadConfig(path, opts);
  } catch (e) {
    if (isModelpinError(e)) throw e;
    const shown = opts.displayName ?? path;
    throw new ConfigError(`${shown}: ${(e as Error).message.split('\n')[0]}`, { file: shown });
  }
}

/** A route naming an undefined provider could only answer 500s: refuse the file, naming each place with its line. */
function refuseUndefinedProviders(
  data: ModelsFile,
  file: string,
  sourcePath: (p: Path) => Path,
  locate: (p: Path) => Position | null,
): void {
  const bad = undefinedProviderSites(data);
  if (bad.length === 0) return;
  const lines = bad.slice(0, 8).map((b) => {
    const pos = locate(b.path);
    return `${pos ? `${file}:${pos.line}:${pos.col}` : file}: ${sourcePath(b.path).join('.')}: ${b.reason}`;
  });
  if (bad.length > 8) lines.push(`... and ${bad.length - 8} more`);
  const first = bad[0] as (typeof bad)[number];
  const pos = locate(first.path);
  throw new ConfigError(lines.join('\n'), {
    file,
    ...(pos ? { line: pos.line, col: pos.col } : {}),
    path: sourcePath(first.path).join('.'),
  });
}

/** A client key whose `${VAR}` is unset can authenticate no one: it is dropped (lint reports the unset variable). */
function dropUnsetClientKeys(tree: unknown): void {
  const gw = (tree as { gateway?: { keys?: unknown } } | null)?.gateway;
  if (gw && Array.isArray(gw.keys)) {
    gw.keys = gw.keys.filter(
      (k: unknown) => !(k !== null && typeof k === 'object' && !Array.isArray(k) && !('key' in k)),
    );
  }
}

/** Header values and keys written in a provider block as they are (not from the environment): an upstream may echo them too. */
function literalProviderSecrets(tree: unknown): string[] {
  const providers = (tree as { providers?: unknown } | null)?.providers;
  if (providers === null || typeof providers !== 'object') return [];
  const out: string[] = [];
  for (const p of Object.values(providers as Record<string, unknown>)) {
    if (p === null || typeof p !== 'object') continue;
    const { api_key: key, headers } = p as { api_key?: unknown; headers?: unknown };
    if (typeof key === 'string') out.push(key);
    if (headers !== null && typeof headers === 'object')
      for (const v of Object.values(headers)) if (typeof v === 'string') out.push(v);
  }
  return out;
}
