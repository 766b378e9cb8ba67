import { z } from 'zod';
import {
  ASSERTION_TYPES,
  type AssertionDefinition,
  type AssertionType,
  type CompileContext,
  type CompiledAssertion,
} from './types.js';
import { TEXT_ASSERTIONS } from './text.js';
import { FORMAT_ASSERTIONS } from './format.js';
import { CEILING_ASSERTIONS } from './ceilings.js';
import { SEMANTIC_ASSERTIONS } from './semantic.js';
import { CODE_ASSERTIONS } from './javascript.js';
import { FACTUALITY_ASSERTIONS } from './factuality.js';
import { TOOL_ASSERTIONS } from './tools.js';
import { REFUSAL_ASSERTIONS } from './refusal.js';
import { didYouMean } from '../../config/did-you-mean.js';
import { suiteError, zodToConfigError } from '../issues.js';

/** Every assertion type, with its metadata beside its handler. */
export const ASSERTIONS: Record<AssertionType, AssertionDefinition> = {
  ...TEXT_ASSERTIONS,
  ...FORMAT_ASSERTIONS,
  ...CEILING_ASSERTIONS,
  ...SEMANTIC_ASSERTIONS,
  ...FACTUALITY_ASSERTIONS,
  ...REFUSAL_ASSERTIONS,
  ...CODE_ASSERTIONS,
  ...TOOL_ASSERTIONS,
};

export function isAssertionType(t: string): t is AssertionType {
  return (ASSERTION_TYPES as readonly string[]).includes(t);
}

const common = z.object({
  type: z.string({ error: 'missing "type"' }),
  weight: z.number().positive().default(1),
  label: z.string().optional(),
});

/** The fields an assertion type takes, for did-you-mean on a misspelt one. */
function paramNames(schema: z.ZodType): string[] {
  return schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
}

/** Validate one assertion entry against its type's param schema and compile it. Errors name file and path. */
export async function compileAssertion(raw: unknown, at: CompileContext): Promise<CompiledAssertion> {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    throw suiteError(at.file, at.path, 'an assertion must be a mapping with a "type"');
  const head = common.safeParse(raw);
  if (!head.success) throw zodToConfigError(at.file, at.path, head.error);
  const { type, weight, label } = head.data;
  if (!isAssertionType(type)) {
    const hint = didYouMean(type, ASSERTION_TYPES);
    throw suiteError(
      at.file,
      `${at.path}.type`,
      `unknown assertion type "${type}"${hint ? ` (did you mean "${hint}"?)` : ''}`,
    );
  }
  const def = ASSERTIONS[type];
  const rest: Record<string, unknown> = { ...(raw as Record<string, unknown>) };
  delete rest.type;
  delete rest.weight;
  delete rest.label;
  const params = def.params.safeParse(rest);
  if (!params.success) throw zodToConfigError(at.file, at.path, params.error, paramNames(def.params));
  const built = await def.compile(params.data, at);
  return { type, label: label ?? type, weight, check: built.check, needs: built.needs ?? {}, path: at.path };
}
