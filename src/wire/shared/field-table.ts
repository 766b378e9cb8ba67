/**
 * Every request field a client format defines, classified: translated into the canonical model,
 * carried only on the same-format passthrough path, or refused. A field missing from its table is
 * unknown and refused too, as the providers' own APIs do. Codecs declare one table each; moving a
 * field from refused to translated is a one-line change of its entry (plus the translation).
 */
import { RequestError, UnsupportedError } from '../../core/errors.js';
import type { ClientWireFormat } from '../canonical.js';

export type FieldDisposition = 'translated' | 'passthrough' | 'refused';

export interface FieldRule {
  kind: FieldDisposition;
  /** Why a passthrough or refused field cannot be translated: shown to the caller. */
  why?: string;
  /**
   * True when the value asks for something. A refused or passthrough field whose value means
   * "off" (null, false, an empty list) is accepted; the default treats any non-null value as active.
   */
  active?: (value: unknown) => boolean;
  /** The fields of an object value, checked the same way (unknown nested fields are refused too). */
  fields?: FieldTable;
}

export type FieldTable = Readonly<Record<string, FieldRule>>;

/** How the request will travel: translated through the canonical model, or forwarded to the same format. */
export type FieldCheckMode = 'translate' | 'passthrough';

export const translated: FieldRule = { kind: 'translated' };
export const refused = (why: string, active?: (v: unknown) => boolean): FieldRule => ({
  kind: 'refused',
  why,
  ...(active ? { active } : {}),
});
export const passthrough = (why: string, active?: (v: unknown) => boolean): FieldRule => ({
  kind: 'passthrough',
  why,
  ...(active ? { active } : {}),
});
export const nested = (fields: FieldTable): FieldRule => ({ kind: 'translated', fields });
/** Fields that all translate as they are: one list instead of one `translated` entry each. */
export const allTranslated = (...names: string[]): FieldTable => Object.fromEntries(names.map((n) => [n, translated]));

export const isSet = (v: unknown): boolean => v !== undefined && v !== null;
export const isOn = (v: unknown): boolean => isSet(v) && v !== false && !(Array.isArray(v) && v.length === 0);

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function refuse(format: ClientWireFormat, path: string, why: string): never {
  throw new UnsupportedError(`${path}: ${why}`, { details: { field: path, param: path, format } });
}

/**
 * Check a client body against its format's table before decoding. Unknown fields are a 400
 * naming them; refused fields (and, when translating, passthrough fields) are a 400 naming them
 * with the reason. Values are not validated here: the codec's schema does that next.
 */
export function checkFields(
  format: ClientWireFormat,
  table: FieldTable,
  body: unknown,
  mode: FieldCheckMode = 'translate',
  prefix = '',
): void {
  if (!isPlainObject(body)) return;
  // Runs on every request: paths are only built for an error or a nested table.
  for (const key in body) {
    const rule = table[key];
    if (rule === undefined) {
      const path = prefix === '' ? key : `${prefix}.${key}`;
      throw new RequestError(
        'bad_request',
        `${path}: unknown field (the ${format} wire format has no such parameter, or the gateway does not know it yet)`,
        {
          details: { field: path, param: path, format },
        },
      );
    }
    if (rule.kind === 'translated' && rule.fields === undefined) continue;
    const value = body[key];
    if (rule.kind !== 'translated' && (rule.active ?? isSet)(value)) {
      const path = prefix === '' ? key : `${prefix}.${key}`;
      if (rule.kind === 'refused') refuse(format, path, rule.why ?? 'not supported by the modelpin gateway');
      if (mode === 'translate') {
        refuse(
          format,
          path,
          `${rule.why ?? 'specific to this wire format'}; it is carried only when the route's target speaks ${format} and the request is forwarded unchanged`,
        );
      }
    }
    if (rule.fields && isPlainObject(value))
      checkFields(format, rule.fields, value, mode, prefix === '' ? key : `${prefix}.${key}`);
  }
}

/** Every classified name, with nested fields as dotted paths: what the SDK conformance test reads. */
export function classifiedPaths(table: FieldTable, prefix = ''): Map<string, FieldDisposition> {
  const out = new Map<string, FieldDisposition>();
  for (const [key, rule] of Object.entries(table)) {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    out.set(path, rule.kind);
    if (rule.fields) for (const [p, k] of classifiedPaths(rule.fields, path)) out.set(p, k);
  }
  return out;
}
