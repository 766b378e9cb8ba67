/** `{{var}}` templating for prompts, messages and assertion params. */

const VAR = /\{\{\s*([A-Za-z_][\w.-]*)\s*\}\}/g;

export class MissingVarError extends Error {
  constructor(readonly varName: string) {
    super(`unknown variable "{{${varName}}}"`);
  }
}

function lookup(vars: Record<string, unknown>, path: string): unknown {
  let cur: unknown = vars;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object' || !Object.hasOwn(cur, part)) return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

export function render(template: string, vars: Record<string, unknown>): string {
  return template.replace(VAR, (_m, key: string) => {
    const v = lookup(vars, key);
    if (v === undefined) throw new MissingVarError(key);
    return typeof v === 'string' ? v : JSON.stringify(v);
  });
}

/** Render every string inside a value (assertion params), leaving functions and numbers alone. */
export function renderDeep(value: unknown, vars: Record<string, unknown>): unknown {
  if (typeof value === 'string') return render(value, vars);
  if (Array.isArray(value)) return value.map((v) => renderDeep(v, vars));
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = renderDeep(v, vars);
    return out;
  }
  return value;
}
