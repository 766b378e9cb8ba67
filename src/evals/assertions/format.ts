import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import {
  defineAssertion,
  defineCheck,
  result,
  type AssertionDefinition,
  type AssertionResult,
  type CompileContext,
} from './types.js';
import { extractJson, hasMarkdownFence, parseStrictJson, type JsonParse } from '../json-text.js';
import { JsonPathSyntaxError, parseJsonPath, selectPath, type PathSegment } from '../json-path.js';
import { suiteError } from '../issues.js';
import { canonicalJson } from '../json-text.js';

// ajv-formats is CommonJS; under NodeNext its default import is the module object.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (
  ajv: Ajv,
) => Ajv;

const parseMode = z
  .enum(['lenient', 'strict'])
  .default('lenient')
  .describe('lenient: JSON may be fenced or embedded; strict: the whole output must be JSON');

function readJson(output: string, mode: 'lenient' | 'strict'): JsonParse {
  return mode === 'strict' ? parseStrictJson(output) : extractJson(output);
}

function compilePath(path: string, at: CompileContext): PathSegment[] {
  try {
    return parseJsonPath(path);
  } catch (e) {
    if (e instanceof JsonPathSyntaxError) throw suiteError(at.file, `${at.path}.path`, e.message);
    throw e;
  }
}

let sharedAjv: Ajv | undefined;
const compiled = new Map<string, ValidateFunction>();

/** One Ajv instance and one compiled validator per distinct schema: default assertions repeat across cases. */
export function compileSchema(schema: unknown): ValidateFunction {
  const key = canonicalJson(schema);
  let v = compiled.get(key);
  if (!v) {
    if (!sharedAjv) {
      sharedAjv = new Ajv({ allErrors: true, strict: false });
      addFormats(sharedAjv);
    }
    // Schemas with an $id register globally in Ajv; compile those in their own instance to avoid clashes.
    const ajv =
      typeof schema === 'object' && schema !== null && '$id' in schema
        ? addFormats(new Ajv({ allErrors: true, strict: false }))
        : sharedAjv;
    v = ajv.compile(schema as object);
    compiled.set(key, v);
  }
  return v;
}

const show = (v: unknown): string => (v === undefined ? 'nothing' : JSON.stringify(v));

/** A format assertion without params: it judges the output text alone, so it is safe on real traffic. */
function outputCheck(
  description: string,
  example: string,
  check: (output: string) => AssertionResult,
): AssertionDefinition {
  return defineCheck(
    { category: 'format', description, example, trafficSafe: true, params: z.object({}).strict() },
    (_p, { output }) => check(output),
  );
}

export const isJson = outputCheck(
  'The whole output is bare JSON: it parses with JSON.parse (surrounding whitespace aside). Markdown fences fail.',
  'type: is-json',
  (output) => {
    const r = parseStrictJson(output);
    if (r.ok) return result(true, 'output is bare JSON');
    return result(
      false,
      hasMarkdownFence(output) ? 'output is wrapped in markdown fences' : `output is not JSON (${r.error})`,
    );
  },
);

export const containsJson = outputCheck(
  'The output contains a JSON object or array somewhere (bare, fenced, or embedded in prose).',
  'type: contains-json',
  (output) => {
    const r = extractJson(output);
    return result(r.ok, r.ok ? 'output contains JSON' : r.error);
  },
);

export const jsonSchema = defineAssertion({
  category: 'format',
  description:
    'The JSON in the output validates against a JSON Schema (`schema` inline or `schema_file` relative to the suite), with ajv and ajv-formats.',
  example:
    'type: json-schema\nschema:\n  type: object\n  required: [name, email]\n  properties:\n    name: { type: string }\n    email: { type: string, format: email }',
  trafficSafe: true,
  params: z
    .object({
      schema: z.record(z.string(), z.unknown()).optional(),
      schema_file: z.string().optional(),
      parse: parseMode,
    })
    .strict()
    .refine(
      (p) => (p.schema === undefined) !== (p.schema_file === undefined),
      'give exactly one of "schema" or "schema_file"',
    ),
  compile: (p, at) => {
    let schema: unknown = p.schema;
    if (p.schema_file !== undefined) {
      const file = resolve(at.dir, p.schema_file);
      try {
        schema = JSON.parse(readFileSync(file, 'utf8')) as unknown;
      } catch (e) {
        throw suiteError(
          at.file,
          `${at.path}.schema_file`,
          `cannot read JSON schema ${file}: ${e instanceof Error ? e.message : String(e)}`,
        );
      }
    }
    let validate: ValidateFunction;
    try {
      validate = compileSchema(schema);
    } catch (e) {
      throw suiteError(
        at.file,
        `${at.path}.schema`,
        `invalid JSON schema: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
    return {
      check: ({ output }) => {
        const r = readJson(output, p.parse);
        if (!r.ok) return result(false, `no JSON to validate: ${r.error}`);
        if (validate(r.value)) return result(true, 'JSON matches the schema');
        const errs = (validate.errors ?? []).map((e) => `${e.instancePath || '$'} ${e.message ?? 'invalid'}`);
        return result(false, `schema violations: ${errs.slice(0, 3).join('; ')}`);
      },
    };
  },
});

export const jsonPath = defineAssertion({
  category: 'format',
  description:
    'A value at a JSON path (`$.a.b[0]`, `items[*].id`) exists (default), `equals` a value, or is `in` a list.',
  example: 'type: json-path\npath: $.email\nequals: jane@example.com',
  trafficSafe: false,
  params: z
    .object({
      path: z.string().min(1),
      equals: z.unknown().optional(),
      exists: z.boolean().optional(),
      in: z.array(z.unknown()).min(1).optional(),
      parse: parseMode,
    })
    .strict(),
  compile: (p, at) => {
    const segs = compilePath(p.path, at);
    const allowed = p.in?.map(canonicalJson);
    return {
      check: ({ output }) => {
        const r = readJson(output, p.parse);
        if (!r.ok) return result(false, `no JSON: ${r.error}`);
        const found = selectPath(r.value, segs);
        if (p.exists === false)
          return result(
            found.length === 0,
            found.length === 0 ? `${p.path} is absent` : `${p.path} exists (${show(found[0])})`,
          );
        if (found.length === 0) return result(false, `${p.path} not found`);
        if (p.equals !== undefined) {
          const want = canonicalJson(p.equals);
          const ok = found.every((v) => canonicalJson(v) === want);
          return result(
            ok,
            ok ? `${p.path} equals ${show(p.equals)}` : `${p.path} is ${show(found[0])}, expected ${show(p.equals)}`,
          );
        }
        if (allowed !== undefined) {
          const bad = found.find((v) => !allowed.includes(canonicalJson(v)));
          return result(
            bad === undefined,
            bad === undefined
              ? `${p.path} is one of the allowed values`
              : `${p.path} is ${show(bad)}, not in ${show(p.in)}`,
          );
        }
        return result(true, `${p.path} exists`);
      },
    };
  },
});

export const enumAssertion = defineAssertion({
  category: 'format',
  description: 'Every value at `path` is one of `values`: no unknown enum members (a new value such as `mixed` fails).',
  example: 'type: enum\npath: $.sentiment\nvalues: [positive, negative, neutral]',
  trafficSafe: true,
  params: z
    .object({
      path: z.string().min(1),
      values: z.array(z.union([z.string(), z.number(), z.boolean(), z.null()])).min(1),
      parse: parseMode,
    })
    .strict(),
  compile: (p, at) => {
    const segs = compilePath(p.path, at);
    const allowed = new Set(p.values.map((v) => JSON.stringify(v)));
    return {
      check: ({ output }) => {
        const r = readJson(output, p.parse);
        if (!r.ok) return result(false, `no JSON: ${r.error}`);
        const found = selectPath(r.value, segs).flatMap((v) => (Array.isArray(v) ? v : [v]));
        if (found.length === 0) return result(false, `${p.path} not found`);
        const unknown = found.filter((v) => !allowed.has(JSON.stringify(v)));
        return result(
          unknown.length === 0,
          unknown.length === 0
            ? `${p.path} values are all known`
            : `unknown value${unknown.length > 1 ? 's' : ''} at ${p.path}: ${unknown.map(show).join(', ')}`,
          (found.length - unknown.length) / found.length,
        );
      },
    };
  },
});

export const noMarkdownFences = outputCheck(
  'The output contains no markdown code fences (```).',
  'type: no-markdown-fences',
  (output) =>
    result(
      !hasMarkdownFence(output),
      hasMarkdownFence(output) ? 'output contains markdown fences' : 'no markdown fences',
    ),
);

const range = z
  .object({ min: z.number().int().nonnegative().optional(), max: z.number().int().nonnegative().optional() })
  .strict()
  .refine((p) => p.min !== undefined || p.max !== undefined, 'give "min", "max" or both')
  .refine((p) => p.min === undefined || p.max === undefined || p.min <= p.max, '"min" must not exceed "max"');

/** A format assertion that a count of `unit`s in the output is within `min`..`max`. */
function countInRange(
  description: string,
  example: string,
  unit: string,
  count: (output: string) => number,
): AssertionDefinition {
  return defineCheck(
    { category: 'format', description, example, trafficSafe: true, params: range },
    (p, { output }) => {
      const n = count(output);
      const ok = (p.min === undefined || n >= p.min) && (p.max === undefined || n <= p.max);
      return result(ok, `${n} ${unit} (${ok ? 'within' : 'outside'} ${p.min ?? 0}..${p.max ?? '∞'})`);
    },
  );
}

export const length = countInRange(
  'The output length in characters is within `min`..`max`.',
  'type: length\nmin: 10\nmax: 400',
  'characters',
  (output) => [...output].length,
);

export const wordCount = countInRange(
  'The number of whitespace-separated words is within `min`..`max`.',
  'type: word-count\nmax: 60',
  'words',
  (output) => (output.trim() === '' ? 0 : output.trim().split(/\s+/).length),
);

export const FORMAT_ASSERTIONS = {
  'is-json': isJson,
  'contains-json': containsJson,
  'json-schema': jsonSchema,
  'json-path': jsonPath,
  enum: enumAssertion,
  'no-markdown-fences': noMarkdownFences,
  length,
  'word-count': wordCount,
} satisfies Record<string, AssertionDefinition>;
