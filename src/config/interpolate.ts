/**
 * `${VAR}` and `${VAR:-default}` in string values of models.yml. Unset variables become the
 * default (or an empty string) and are recorded, so lint can warn about the ones a target needs.
 */
import { scrubSecrets, secretForms } from '../core/secret-text.js';

export type Path = (string | number)[];

export interface Interpolation {
  path: Path;
  /** Every variable named in the value. */
  vars: string[];
  /** Variables that were unset (or empty) and had no default. */
  missing: string[];
  /** The value came only from the environment (or a default), e.g. `api_key: ${KEY}`. */
  whole: boolean;
}

const OMIT = Symbol('omit');

const REF = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

export function interpolateString(
  value: string,
  env: Record<string, string | undefined>,
): { value: string; vars: string[]; missing: string[]; resolved: string[] } {
  const vars: string[] = [];
  const missing: string[] = [];
  const resolved: string[] = [];
  const out = value.replace(REF, (_m, name: string, def: string | undefined) => {
    vars.push(name);
    const v = env[name];
    if (v !== undefined && v !== '') {
      resolved.push(v);
      return v;
    }
    if (def === undefined) missing.push(name);
    return def ?? '';
  });
  return { value: out, vars, missing, resolved };
}

export function isWholeReference(value: string): boolean {
  return /^\$\{[A-Za-z_][A-Za-z0-9_]*(?::-[^}]*)?\}$/.test(value.trim());
}

/**
 * Interpolate every string in a plain JSON tree. Returns the new tree, where each reference was,
 * and the resolved values (so error messages can redact them).
 */
export function interpolateTree(
  tree: unknown,
  env: Record<string, string | undefined>,
): { tree: unknown; records: Interpolation[]; secrets: string[] } {
  const records: Interpolation[] = [];
  const secrets: string[] = [];
  const walk = (node: unknown, path: Path): unknown => {
    if (typeof node === 'string') {
      if (!node.includes('${')) return node;
      const r = interpolateString(node, env);
      const whole = isWholeReference(node);
      records.push({ path, vars: r.vars, missing: r.missing, whole });
      if (isSecretPath(path)) secrets.push(...r.resolved);
      // An unset `${VAR}` standing alone means "not configured": the key is dropped rather than set to "".
      return whole && r.value === '' ? OMIT : r.value;
    }
    if (Array.isArray(node)) return node.map((v, i) => walk(v, [...path, i])).map((v) => (v === OMIT ? '' : v));
    if (node !== null && typeof node === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(node)) {
        const w = walk(v, [...path, k]);
        if (w !== OMIT) out[k] = w;
      }
      return out;
    }
    return node;
  };
  return { tree: walk(tree, []), records, secrets };
}

/** Provider fields that name a kind, never a secret: shown even when they came from the environment. */
const PROVIDER_PUBLIC_FIELDS: ReadonlySet<string> = new Set(['type', 'api', 'scenario']);

/**
 * Paths whose interpolated values are secrets: everything that came from the environment into a
 * provider (keys, headers, base URLs, versions; not its type, api or simulator scenario), the store URL (it may carry a password), the
 * sentinel webhook, and anything named like a key, token or password. Model ids and other route
 * values stay readable, so a message can still say which model failed.
 */
export function isSecretPath(path: Path): boolean {
  const last = String(path[path.length - 1] ?? '');
  if (path[0] === 'providers' && path.length >= 3 && !PROVIDER_PUBLIC_FIELDS.has(String(path[2]))) return true;
  if (path[0] === 'store' && last === 'url') return true;
  if (path[0] === 'gateway' && last === 'sentinel_webhook') return true;
  return /key|token|secret|password|authorization|credential/i.test(last);
}

/** Replace every secret value (length >= 4, also JSON-escaped or URL-encoded) in a message with `***`. */
export function redact(text: string, secrets: readonly string[]): string {
  return scrubSecrets(text, secretForms(secrets), '***');
}
