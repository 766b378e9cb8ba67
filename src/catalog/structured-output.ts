/**
 * Which structured-output features a model has, from its family's `structuredOutput` rules.
 * The request translation reads this (src/wire/capabilities.ts); no match means unknown.
 */
import type { StructuredOutputCapabilities } from '../wire/capabilities.js';
import type { FamilyFile } from './data-schema.js';

export function structuredOutputOf(family: FamilyFile | undefined, ids: ReadonlyArray<string | undefined>): StructuredOutputCapabilities | undefined {
  for (const rule of family?.structuredOutput ?? []) {
    const re = new RegExp(rule.models);
    if (!ids.some((id) => id !== undefined && re.test(id))) continue;
    return {
      ...(rule.jsonSchema !== undefined ? { jsonSchema: rule.jsonSchema } : {}),
      ...(rule.jsonMode !== undefined ? { jsonMode: rule.jsonMode } : {}),
      ...(rule.strictTools !== undefined ? { strictTools: rule.strictTools } : {}),
    };
  }
  return undefined;
}
