/** `cases[2].assert[0]` + `['type']` -> `cases[2].assert[0].type`; from `''`, `['messages', 0, 'role']` -> `messages[0].role`. */
export function joinPath(base: string, segments: ReadonlyArray<PropertyKey>): string {
  let out = base;
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`;
    else out += out === '' ? String(s) : `.${String(s)}`;
  }
  return out;
}

/** The value at `path` inside parsed data (YAML, JSON), or undefined where the path leads nowhere. */
export function valueAt(data: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let cur = data;
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[String(seg)];
  }
  return cur;
}
