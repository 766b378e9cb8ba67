/** Reading JSON out of model output: strict (bare JSON only) and lenient (fenced or embedded). */

export type JsonParse = { ok: true; value: unknown } | { ok: false; error: string };

const FENCE = /```[a-zA-Z0-9_-]*\s*\n?([\s\S]*?)```/;

export function hasMarkdownFence(text: string): boolean {
  return /```/.test(text);
}

/** Several assertions read the same output: each kind of parse remembers its last text and answer. */
function rememberLast(parse: (text: string) => JsonParse): (text: string) => JsonParse {
  let last: [string, JsonParse] | undefined;
  return (text) => {
    if (last?.[0] === text) return last[1];
    const r = parse(text);
    last = [text, r];
    return r;
  };
}

/** Bare JSON: the whole output (surrounding whitespace aside) must parse. Fences fail. */
export const parseStrictJson = rememberLast(strictParse);

function strictParse(text: string): JsonParse {
  try {
    return { ok: true, value: JSON.parse(text.trim()) as unknown };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}

/**
 * First JSON object/array found in the text: the whole text, then a fenced block, then the
 * first balanced `{...}` or `[...]` span that parses.
 */
export const extractJson = rememberLast(extract);

function extract(text: string): JsonParse {
  const strict = parseStrictJson(text);
  if (strict.ok) return strict;
  const fenced = FENCE.exec(text);
  if (fenced?.[1] !== undefined) {
    const inner = parseStrictJson(fenced[1]);
    if (inner.ok) return inner;
  }
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch !== '{' && ch !== '[') continue;
    const end = balancedEnd(text, i);
    if (end < 0) continue;
    const candidate = parseStrictJson(text.slice(i, end + 1));
    if (candidate.ok) return candidate;
  }
  return { ok: false, error: 'no JSON value found in the output' };
}

/** Index of the bracket closing the one at `start`, honouring strings; -1 if unbalanced. */
function balancedEnd(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') inString = true;
    else if (ch === '{' || ch === '[') depth++;
    else if (ch === '}' || ch === ']') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

/** Stable JSON text (sorted keys) for hashing and comparison. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) {
      const x = (v as Record<string, unknown>)[k];
      if (x !== undefined && typeof x !== 'function') out[k] = sortKeys(x);
    }
    return out;
  }
  return v;
}
