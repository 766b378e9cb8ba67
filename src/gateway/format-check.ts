/**
 * `formatValid` of a usage record: did an answer to a JSON-mode request come back as bare JSON?
 * Bare means the whole text parses (surrounding whitespace aside): JSON inside markdown fences
 * fails, exactly as a strict JSON parser in the client would. For `json_schema` requests the value
 * must also match the schema (ajv, one compiled validator per distinct schema).
 * Feeds the canary guard `min_format_valid`.
 */
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { CanonicalRequest, CanonicalResponse } from '../wire/canonical.js';

// ajv-formats is CommonJS; under NodeNext its default import is the module object.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (
  ajv: Ajv,
) => Ajv;

const MAX_SCHEMAS = 256;
let ajv: Ajv | undefined;
/** Keyed by the schema's JSON text; null when the schema does not compile (only parsing is checked then). */
const validators = new Map<string, ValidateFunction | null>();

function validatorFor(schema: Record<string, unknown>): ValidateFunction | null {
  const key = JSON.stringify(schema);
  const hit = validators.get(key);
  if (hit !== undefined) return hit;
  if (validators.size >= MAX_SCHEMAS) validators.clear(); // schemas come from clients: keep the cache bounded
  let v: ValidateFunction | null;
  try {
    // Schemas with an $id register globally in an Ajv instance: give those their own.
    const instance =
      '$id' in schema ? addFormats(new Ajv({ strict: false })) : (ajv ??= addFormats(new Ajv({ strict: false })));
    v = instance.compile(schema);
  } catch {
    v = null;
  }
  validators.set(key, v);
  return v;
}

/** The answer's text: its text parts joined (tool calls carry no text). */
export function responseText(res: CanonicalResponse): string {
  let text = '';
  for (const p of res.content) if (p.type === 'text') text += p.text;
  return text;
}

/** null when the request did not ask for JSON or there is no answer to check. */
export function formatValid(req: CanonicalRequest | null, res: CanonicalResponse | null): boolean | null {
  const rf = req?.responseFormat;
  if (!rf || rf.type === 'text' || !res) return null;
  let value: unknown;
  try {
    value = JSON.parse(responseText(res));
  } catch {
    return false;
  }
  if (rf.type === 'json') return true;
  const validate = validatorFor(rf.schema);
  return validate === null ? true : validate(value) === true;
}
