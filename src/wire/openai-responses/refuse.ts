import { UnsupportedError } from '../../core/errors.js';

/** A request field the canonical model cannot carry: a 400 naming it (as `param`, which the OpenAI SDKs show). */
export function refuse(field: string, why: string): never {
  throw new UnsupportedError(`${field}: ${why}`, { details: { field, param: field, format: 'openai-responses' } });
}
