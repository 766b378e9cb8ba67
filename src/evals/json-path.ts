/**
 * A small JSON path evaluator: `$.a.b`, `a.b[0]`, `$['key with space']`, `items[*].id`.
 * Enough for assertions and drift reports without a dependency.
 */

export type PathSegment = { kind: 'key'; key: string } | { kind: 'index'; index: number } | { kind: 'wildcard' };

export class JsonPathSyntaxError extends Error {}

export function parseJsonPath(path: string): PathSegment[] {
  let s = path.trim();
  if (s.startsWith('$')) s = s.slice(1);
  const out: PathSegment[] = [];
  let i = 0;
  while (i < s.length) {
    const ch = s[i];
    if (ch === '.') {
      i++;
      if (s[i] === '*') {
        out.push({ kind: 'wildcard' });
        i++;
        continue;
      }
      const m = /^[A-Za-z0-9_$-]+/.exec(s.slice(i));
      if (!m) throw new JsonPathSyntaxError(`expected a key after "." at position ${i} of "${path}"`);
      out.push({ kind: 'key', key: m[0] });
      i += m[0].length;
    } else if (ch === '[') {
      const close = findClose(s, i);
      if (close < 0) throw new JsonPathSyntaxError(`unclosed "[" in "${path}"`);
      const inner = s.slice(i + 1, close).trim();
      if (inner === '*') out.push({ kind: 'wildcard' });
      else if (/^\d+$/.test(inner)) out.push({ kind: 'index', index: Number(inner) });
      else if (/^'.*'$|^".*"$/.test(inner)) out.push({ kind: 'key', key: inner.slice(1, -1) });
      else throw new JsonPathSyntaxError(`bad bracket segment "[${inner}]" in "${path}"`);
      i = close + 1;
    } else if (i === 0) {
      // Paths may omit the leading `$.`: `a.b` means `$.a.b`.
      s = '.' + s;
    } else {
      throw new JsonPathSyntaxError(`unexpected "${ch}" at position ${i} of "${path}"`);
    }
  }
  return out;
}

function findClose(s: string, open: number): number {
  let quote: string | null = null;
  for (let i = open + 1; i < s.length; i++) {
    const ch = s[i];
    if (quote) {
      if (ch === quote) quote = null;
    } else if (ch === "'" || ch === '"') quote = ch;
    else if (ch === ']') return i;
  }
  return -1;
}

/** Every value the path selects (wildcards fan out). Missing keys select nothing. */
export function selectPath(value: unknown, segments: readonly PathSegment[]): unknown[] {
  let current: unknown[] = [value];
  for (const seg of segments) {
    const next: unknown[] = [];
    for (const v of current) {
      if (seg.kind === 'key') {
        if (v !== null && typeof v === 'object' && !Array.isArray(v) && Object.hasOwn(v, seg.key)) {
          next.push((v as Record<string, unknown>)[seg.key]);
        }
      } else if (seg.kind === 'index') {
        if (Array.isArray(v) && seg.index < v.length) next.push(v[seg.index]);
      } else if (Array.isArray(v)) next.push(...v);
      else if (v !== null && typeof v === 'object') next.push(...Object.values(v));
    }
    current = next;
  }
  return current;
}

export function formatPath(segments: readonly PathSegment[]): string {
  return (
    '$' +
    segments
      .map((s) =>
        s.kind === 'wildcard'
          ? '[*]'
          : s.kind === 'index'
            ? `[${s.index}]`
            : /^[A-Za-z_$][\w$-]*$/.test(s.key)
              ? `.${s.key}`
              : `['${s.key}']`,
      )
      .join('')
  );
}

/** Leaf paths with array indices collapsed to `[*]`, and the scalar found there: the shape a drift report compares. */
export function leaves(
  value: unknown,
  prefix: PathSegment[] = [],
  out: Array<[string, unknown]> = [],
): Array<[string, unknown]> {
  if (Array.isArray(value)) {
    if (value.length === 0) out.push([formatPath([...prefix, { kind: 'wildcard' }]), undefined]);
    for (const v of value) leaves(v, [...prefix, { kind: 'wildcard' }], out);
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) leaves(v, [...prefix, { kind: 'key', key: k }], out);
  } else {
    out.push([formatPath(prefix), value]);
  }
  return out;
}
