/**
 * Gemini's two schema dialects -> JSON Schema, the canonical one. `responseSchema` and function
 * `parameters` use an OpenAPI 3.0 subset (upper-case `type`, `nullable`, integer bounds as
 * strings, `example`); `responseJsonSchema` is JSON Schema already. Both may carry the
 * non-standard `propertyOrdering`, which becomes the order of `properties` (what the other
 * formats read as property order) instead of a keyword no other provider knows.
 */
type Json = Record<string, unknown>;

const INT_KEYWORDS = new Set(['minItems', 'maxItems', 'minLength', 'maxLength', 'minProperties', 'maxProperties']);

function isObject(v: unknown): v is Json {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function ordered(properties: Json, order: unknown): Json {
  if (!Array.isArray(order)) return properties;
  const out: Json = {};
  for (const k of order) if (typeof k === 'string' && k in properties) out[k] = properties[k];
  for (const [k, v] of Object.entries(properties)) if (!(k in out)) out[k] = v;
  return out;
}

function convert(schema: Json, openApi: boolean): Json {
  const out: Json = {};
  for (const [k, v] of Object.entries(schema)) {
    if (k === 'propertyOrdering') continue;
    if (k === 'properties' && isObject(v)) {
      const props = ordered(v, schema.propertyOrdering);
      out.properties = Object.fromEntries(
        Object.entries(props).map(([name, s]) => [name, isObject(s) ? convert(s, openApi) : s]),
      );
    } else if ((k === 'items' || k === 'additionalProperties' || k === 'not') && isObject(v))
      out[k] = convert(v, openApi);
    else if ((k === 'anyOf' || k === 'oneOf' || k === 'allOf' || k === 'prefixItems') && Array.isArray(v))
      out[k] = v.map((s) => (isObject(s) ? convert(s, openApi) : s));
    else if ((k === '$defs' || k === 'definitions') && isObject(v))
      out[k] = Object.fromEntries(Object.entries(v).map(([n, s]) => [n, isObject(s) ? convert(s, openApi) : s]));
    else if (openApi && k === 'type' && typeof v === 'string') {
      if (v !== 'TYPE_UNSPECIFIED') out.type = v.toLowerCase();
    } else if (openApi && INT_KEYWORDS.has(k) && typeof v === 'string' && /^\d+$/.test(v)) out[k] = Number(v);
    else if (openApi && k === 'example') out.examples = [v];
    else if (openApi && k === 'nullable') continue;
    else out[k] = v;
  }
  if (openApi && schema.nullable === true) {
    if (typeof out.type === 'string') out.type = [out.type, 'null'];
    else if (Array.isArray(out.anyOf)) out.anyOf = [...(out.anyOf as unknown[]), { type: 'null' }];
  }
  return out;
}

/** `responseSchema` / `parameters` (OpenAPI subset) -> JSON Schema. */
export function fromOpenApiSchema(schema: Json): Json {
  return convert(schema, true);
}

/** `responseJsonSchema` / `parametersJsonSchema`: JSON Schema with `propertyOrdering` folded into property order. */
export function fromGeminiJsonSchema(schema: Json): Json {
  return convert(schema, false);
}
