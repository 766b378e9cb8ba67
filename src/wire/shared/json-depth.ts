/**
 * The deepest nesting (objects and arrays) a client request may have. Real requests stay far
 * below it (provider JSON Schema limits are around 5–15 levels); far deeper bodies would overflow
 * the stack of recursive work done on them later (JSON.stringify, schema checks).
 */
export const MAX_JSON_DEPTH = 64;

/** The path to the first value nested deeper than `limit` containers, or null when none is. */
export function deepestPath(value: unknown, limit = MAX_JSON_DEPTH): Array<string | number> | null {
  const path: Array<string | number> = [];
  // Recursion is safe here: it never goes deeper than `limit` frames.
  const walk = (v: unknown, depth: number): boolean => {
    if (typeof v !== 'object' || v === null) return false;
    if (depth >= limit) return true;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        if (walk(v[i], depth + 1)) {
          path.push(i);
          return true;
        }
      }
      return false;
    }
    const o = v as Record<string, unknown>;
    for (const k in o) {
      if (walk(o[k], depth + 1)) {
        path.push(k);
        return true;
      }
    }
    return false;
  };
  return walk(value, 0) ? path.reverse() : null;
}
