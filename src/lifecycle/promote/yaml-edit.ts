/**
 * Edits of models.yml that keep the user's comments and formatting: the yaml Document API
 * changes only the nodes it touches.
 */
import { isMap, isScalar, parseDocument, type Document } from 'yaml';
import { didYouMean } from '../../config/did-you-mean.js';
import { ConfigError } from '../../core/errors.js';

export interface PinEdit {
  route: string;
  env: string;
  /** `provider/model` to pin. */
  target: string;
  /** Set `previous:` to this node value (the pin being replaced); undefined leaves it as is. */
  previous?: unknown;
  /** Set `last_validated:`; undefined leaves it as is. */
  lastValidated?: string;
}

/** Where a full-shape path is written in the file (plain-shape files keep routes under `models:`). */
export type MapPath = (path: Array<string | number>) => Array<string | number>;
const identity: MapPath = (p) => p;

function parse(text: string, file: string): Document {
  const doc = parseDocument(text, { keepSourceTokens: false });
  if (doc.errors.length > 0) throw new ConfigError(`${file}: ${doc.errors[0]?.message ?? 'invalid YAML'}`, { file });
  return doc;
}

/** Refuse a route the file does not define, naming the closest one: a typo must not read as "nothing recorded". */
export function requireRoute(text: string, route: string, file = 'models.yml', mapPath: MapPath = identity): void {
  const doc = parse(text, file);
  if (doc.hasIn(mapPath(['routes', route]))) return;
  const routes: unknown = doc.getIn(mapPath(['routes']), false);
  const names = isMap(routes) ? routes.items.map((p) => (isScalar(p.key) ? String(p.key.value) : String(p.key))) : [];
  const near = didYouMean(route, names);
  const hint = near ? `; did you mean "${near}"?` : names.length > 0 ? `; routes: ${names.join(', ')}` : '';
  throw new ConfigError(`${file}: unknown route "${route}"${hint}`, { file, path: `routes.${route}` });
}

/** The current value at routes.<route>.targets.<env> as plain JS (string or object). */
export function readTarget(
  text: string,
  route: string,
  env: string,
  file = 'models.yml',
  mapPath: MapPath = identity,
): unknown {
  const doc = parse(text, file);
  const node: unknown = doc.getIn(mapPath(['routes', route, 'targets', env]), false);
  if (node === undefined)
    throw new ConfigError(`${file}: route "${route}" has no "${env}" target`, {
      file,
      path: `routes.${route}.targets.${env}`,
    });
  return isMap(node) || isScalar(node) ? node.toJSON() : node;
}

export function readPrevious(text: string, route: string, file = 'models.yml', mapPath: MapPath = identity): unknown {
  const doc = parse(text, file);
  const node: unknown = doc.getIn(mapPath(['routes', route, 'previous']), false);
  if (node === undefined) return undefined;
  return isMap(node) || isScalar(node) ? node.toJSON() : node;
}

/** `provider/model` of a target value as written in YAML (string or object form). */
export function refOf(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (typeof o.provider === 'string' && typeof o.model === 'string') return `${o.provider}/${o.model}`;
  }
  return null;
}

/**
 * Pin routes.<route>.targets.<env> to `target`. An object-form target keeps its params and
 * timeout; only provider and model change. Returns the new file text.
 *
 * When every change replaces an existing scalar, the original text is spliced at those scalars
 * only, so the diff is exactly the changed values. Otherwise (a key is added) the yaml Document
 * API writes the file, which keeps all comments but may normalise spacing.
 */
export function setPin(text: string, edit: PinEdit, file = 'models.yml', mapPath: MapPath = identity): string {
  const doc = parse(text, file);
  if (!doc.hasIn(mapPath(['routes', edit.route])))
    throw new ConfigError(`${file}: no route "${edit.route}"`, { file, path: `routes.${edit.route}` });
  const path = mapPath(['routes', edit.route, 'targets', edit.env]);
  if (!doc.hasIn(path))
    throw new ConfigError(`${file}: route "${edit.route}" has no "${edit.env}" target`, { file, path: path.join('.') });
  const changes = targetChanges(doc, path, edit.target);
  if (edit.previous !== undefined) changes.push([mapPath(['routes', edit.route, 'previous']), edit.previous]);
  if (edit.lastValidated !== undefined)
    changes.push([mapPath(['routes', edit.route, 'last_validated']), edit.lastValidated]);
  return apply(doc, text, changes);
}

/**
 * Point several existing targets (each a full-shape path such as `routes.r.targets.production` or
 * `routes.r.fallback.0`) at new `provider/model` refs in one edit, keeping comments and layout.
 */
export function setTargets(
  text: string,
  edits: ReadonlyArray<{ path: Array<string | number>; target: string }>,
  file = 'models.yml',
  mapPath: MapPath = identity,
): string {
  const doc = parse(text, file);
  const changes = edits.flatMap((e) => {
    const path = mapPath(e.path);
    if (!doc.hasIn(path))
      throw new ConfigError(`${file}: nothing at ${e.path.join('.')}`, { file, path: e.path.join('.') });
    return targetChanges(doc, path, e.target);
  });
  return apply(doc, text, changes);
}

type Change = [Array<string | number>, unknown];

/**
 * A string target is replaced whole; an object-form target keeps its params and timeout. A target
 * written without its provider (the plain shape infers it) gets the model id alone, in the same style.
 */
function targetChanges(doc: Document, path: Array<string | number>, target: string): Change[] {
  const current: unknown = doc.getIn(path, true);
  const slash = target.indexOf('/');
  const model = target.slice(slash + 1);
  if (isMap(current)) {
    return current.has('provider')
      ? [
          [[...path, 'provider'], target.slice(0, slash)],
          [[...path, 'model'], model],
        ]
      : [[[...path, 'model'], model]];
  }
  if (isScalar(current) && typeof current.value === 'string' && !current.value.includes('/')) return [[path, model]];
  return [[path, target]];
}

function apply(doc: Document, text: string, changes: Change[]): string {
  const splices = changes.map(([p, v]) => scalarSplice(doc, p, v));
  if (splices.every((s): s is Splice => s !== null)) {
    let out = text;
    for (const s of [...splices].sort((a, b) => b.start - a.start))
      out = out.slice(0, s.start) + s.text + out.slice(s.end);
    return out;
  }
  for (const [p, v] of changes) setKeepingComments(doc, p, v);
  return doc.toString();
}

interface Splice {
  start: number;
  end: number;
  text: string;
}

const PLAIN_SAFE = /^[A-Za-z0-9_][A-Za-z0-9_./:@+-]*$/;

/** A text replacement for an existing single-line scalar, or null when the change needs the Document API. */
function scalarSplice(doc: Document, path: Array<string | number>, value: unknown): Splice | null {
  const node: unknown = doc.getIn(path, true);
  if (!isScalar(node) || !node.range || typeof value !== 'string' || !PLAIN_SAFE.test(value)) return null;
  const [start, end] = node.range;
  const quote =
    node.type === 'QUOTE_DOUBLE' ? '"' : node.type === 'QUOTE_SINGLE' ? "'" : node.type === 'PLAIN' ? '' : null;
  if (quote === null) return null;
  return { start, end, text: `${quote}${value}${quote}` };
}

/** Replace a scalar's value in place so a trailing `# comment` on that line survives. */
function setKeepingComments(doc: Document, path: Array<string | number>, value: unknown): void {
  const node: unknown = doc.getIn(path, true);
  if (isScalar(node) && (typeof value === 'string' || typeof value === 'number')) {
    node.value = value;
    return;
  }
  doc.setIn(path, value);
}
