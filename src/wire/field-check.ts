/**
 * The strict first step of decoding any client request: every field is known and allowed for
 * how the request will travel. The same-format passthrough path calls `checkRequestFields` with
 * mode `passthrough` before forwarding the client's bytes; the codecs call it with `translate`.
 */
import type { ClientWireFormat } from './canonical.js';
import { ANTHROPIC_FIELDS } from './anthropic/fields.js';
import { GEMINI_FIELDS } from './gemini/fields.js';
import { OPENAI_FIELDS } from './openai/fields.js';
import { RESPONSES_FIELDS } from './openai-responses/fields.js';
import { checkFields, type FieldCheckMode, type FieldTable } from './shared/field-table.js';

export const CLIENT_FIELD_TABLES: Record<ClientWireFormat, FieldTable> = {
  openai: OPENAI_FIELDS,
  anthropic: ANTHROPIC_FIELDS,
  gemini: GEMINI_FIELDS,
  'openai-responses': RESPONSES_FIELDS,
};

/** Throws a 400 (RequestError for unknown fields, UnsupportedError for refused ones) naming the first offending field. */
export function checkRequestFields(format: ClientWireFormat, body: unknown, mode: FieldCheckMode = 'translate'): void {
  checkFields(format, CLIENT_FIELD_TABLES[format], body, mode);
}

export type { FieldCheckMode, FieldDisposition, FieldRule, FieldTable } from './shared/field-table.js';
