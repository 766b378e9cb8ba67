/**
 * Checking a JSON Schema against the subset a target enforces. Constrained decoding compiles a
 * schema into a grammar, and each provider's compiler takes a different subset: a constraint the
 * target would not enforce is refused by name rather than sent and silently not enforced.
 * Annotations (descriptions, titles, examples) constrain nothing and always pass.
 */
import { UnsupportedError } from '../../core/errors.js';
import type { ClientWireFormat, ResponseFormat } from '../canonical.js';

type Json = Record<string, unknown>;

const ANNOTATIONS = new Set([
  '$schema',
  '$id',
  '$comment',
  'title',
  'description',
  'examples',
  'default',
  'deprecated',
  'readOnly',
  'writeOnly',
]);

/** Keywords whose value is one subschema, a list of them, or a map of them. */
const ONE = new Set([
  'items',
  'additionalProperties',
  'not',
  'if',
  'then',
  'else',
  'contains',
  'propertyNames',
  'unevaluatedItems',
  'unevaluatedProperties',
]);
const LIST = new Set(['anyOf', 'oneOf', 'allOf', 'prefixItems']);
const MAP = new Set(['properties', '$defs', 'definitions', 'patternProperties', 'dependentSchemas']);

export interface SchemaSubset {
  /** Human name of the feature, for messages ("Anthropic structured outputs"). */
  name: string;
  /** Constraint keywords the target enforces; anything else that is not an annotation is refused. */
  keywords: ReadonlySet<string>;
  /**
   * A per-node rule: return the node to send (possibly rewritten), or a reason to refuse it.
   * Called after the keyword check, before the node's subschemas are visited.
   */
  node?: (node: Json) => Json | { refuse: string; keyword: string };
}

function isObject(v: unknown): v is Json {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function fail(
  format: ClientWireFormat,
  where: string,
  path: string,
  keyword: string,
  why: string,
  model: string,
): never {
  const at = path === '' ? where : `${where}${path}`;
  throw new UnsupportedError(`${at}: schema keyword "${keyword}" cannot be sent to ${model} (${format}): ${why}`, {
    details: { format, field: at, param: at, keyword, model },
  });
}

/** The schema as the target should receive it; throws UnsupportedError naming the first keyword it cannot enforce. */
export function toSchemaSubset(
  schema: Json,
  subset: SchemaSubset,
  ctx: { format: ClientWireFormat; where: string; model: string },
): Json {
  const visit = (node: Json, path: string): Json => {
    for (const k of Object.keys(node)) {
      if (!ANNOTATIONS.has(k) && !subset.keywords.has(k))
        fail(ctx.format, ctx.where, path, k, `${subset.name} do not enforce it`, ctx.model);
    }
    let cur = node;
    if (subset.node) {
      const r = subset.node(node);
      if ('refuse' in r && typeof r.refuse === 'string')
        fail(ctx.format, ctx.where, path, String(r.keyword), r.refuse, ctx.model);
      cur = r as Json;
    }
    const out: Json = {};
    for (const [k, v] of Object.entries(cur)) {
      if (ONE.has(k) && isObject(v)) out[k] = visit(v, `${path}.${k}`);
      else if (LIST.has(k) && Array.isArray(v))
        out[k] = v.map((s, i) => (isObject(s) ? visit(s, `${path}.${k}[${i}]`) : s));
      else if (MAP.has(k) && isObject(v))
        out[k] = Object.fromEntries(
          Object.entries(v).map(([n, s]) => [n, isObject(s) ? visit(s, `${path}.${k}.${n}`) : s]),
        );
      else out[k] = v;
    }
    return out;
  };
  return visit(schema, '');
}

/**
 * The schema with the format's `description` folded in, for formats whose structured-output
 * setting has no description slot of its own (Anthropic, Gemini): the model reads a schema's
 * top-level description the same way. A schema that already says something else is refused.
 */
export function schemaWithDescription(
  rf: Extract<ResponseFormat, { type: 'json_schema' }>,
  format: ClientWireFormat,
  model: string,
): Json {
  if (rf.description === undefined || rf.schema.description === rf.description) return rf.schema;
  if (rf.schema.description !== undefined) {
    throw new UnsupportedError(
      `json_schema.description cannot be sent to ${model} (${format}): the schema has a different description of its own and the format has one slot`,
      {
        details: { format, field: 'json_schema.description', param: 'json_schema.description', model },
      },
    );
  }
  return { description: rf.description, ...rf.schema };
}
