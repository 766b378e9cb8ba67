/**
 * Structured outputs on the Gemini side: `responseMimeType` + `responseJsonSchema`, and strict
 * tools as function-calling mode VALIDATED. Source: googleapis/js-genai `GenerateContentConfig.
 * responseJsonSchema` (the list of supported JSON Schema properties) and `FunctionCallingConfigMode`.
 */
import type { ModelCapabilities } from '../capabilities.js';
import type { CanonicalRequest } from '../canonical.js';
import { schemaWithDescription, toSchemaSubset, type SchemaSubset } from '../shared/schema-subset.js';
import { unsupported } from '../shared/unsupported.js';

const fmt = 'gemini' as const;

/** The properties `responseJsonSchema` documents as supported; `const` is sent as its one-value `enum`. */
export const GEMINI_SCHEMA_SUBSET: SchemaSubset = {
  name: 'Gemini response schemas',
  keywords: new Set([
    '$defs',
    '$ref',
    '$anchor',
    'type',
    'format',
    'enum',
    'const',
    'items',
    'prefixItems',
    'minItems',
    'maxItems',
    'minimum',
    'maximum',
    'anyOf',
    'oneOf',
    'properties',
    'additionalProperties',
    'required',
    'propertyOrdering',
  ]),
  node(node) {
    if (!('const' in node)) return node;
    const { const: value, ...rest } = node;
    if (rest.enum !== undefined) return { refuse: 'const together with enum cannot be expressed', keyword: 'const' };
    return { ...rest, enum: [value] };
  },
};

/** `generationConfig` fields for the request's response format; refused when the model is known to lack them. */
export function encodeResponseFormat(
  req: CanonicalRequest,
  model: string,
  caps: ModelCapabilities | undefined,
): Record<string, unknown> {
  const rf = req.responseFormat;
  if (!rf) return {};
  if (rf.type === 'text') return { responseMimeType: 'text/plain' };
  const so = caps?.structuredOutput;
  if (rf.type === 'json') {
    if (so?.jsonMode === false) unsupported(fmt, 'response_format json', `${model} has no JSON mode`);
    return { responseMimeType: 'application/json' };
  }
  if (so?.jsonSchema === false) unsupported(fmt, 'response_format json_schema', `${model} has no response schemas`);
  // The name is a label only; Gemini always enforces the schema it is given, strict or not.
  const schema = toSchemaSubset(schemaWithDescription(rf, fmt, model), GEMINI_SCHEMA_SUBSET, {
    format: fmt,
    where: 'response_format.schema',
    model,
  });
  return { responseMimeType: 'application/json', responseJsonSchema: schema };
}

/**
 * Gemini has no per-tool strict flag: when any tool is strict, the whole call uses a mode that
 * validates calls against their schemas (VALIDATED for auto, ANY when a call is required, which
 * also guarantees schema adherence). Non-strict tools in the same call are then validated too,
 * which only narrows what the model may send.
 */
export function strictToolsMode(req: CanonicalRequest, model: string, caps: ModelCapabilities | undefined): boolean {
  const strict = req.tools?.some((t) => t.strict === true) ?? false;
  if (!strict) return false;
  const so = caps?.structuredOutput;
  if (so?.strictTools === false) unsupported(fmt, 'tools[].strict', `${model} has no validated function calling`);
  return true;
}
