/** Schema drift in JSON answers: changed enum values, dropped and renamed fields (dot paths). */
import type { Behaviour } from './scenario-schema.js';

type Obj = Record<string, unknown>;

function parentOf(root: Obj, path: string): { parent: Obj; key: string } | null {
  const keys = path.split('.');
  const key = keys.pop() ?? '';
  let cur: unknown = root;
  for (const k of keys) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) return null;
    cur = (cur as Obj)[k];
  }
  if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) return null;
  return { parent: cur as Obj, key };
}

export function applyJsonDrift(value: Obj, json: Behaviour['json'], ruleId: string): Obj {
  const out = structuredClone(value);
  for (const change of json?.enum_changes ?? []) {
    if (change.rules && !change.rules.includes(ruleId)) continue;
    const at = parentOf(out, change.field);
    if (at && at.parent[at.key] === change.from) at.parent[at.key] = change.to;
  }
  for (const field of json?.drop_fields ?? []) {
    const at = parentOf(out, field);
    if (at) delete at.parent[at.key];
  }
  for (const [from, to] of Object.entries(json?.rename_fields ?? {})) {
    const at = parentOf(out, from);
    if (!at || !(at.key in at.parent)) continue;
    const v = at.parent[at.key];
    delete at.parent[at.key];
    at.parent[to] = v;
  }
  return out;
}
