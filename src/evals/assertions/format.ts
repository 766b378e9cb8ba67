import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { defineAssertion, result, type AssertionDefinition, type CompileContext } from './types.js';
import { extractJson, hasMarkdownFence, parseStrictJson, type JsonParse } from '../json-text.js';
import { JsonPathSyntaxError, parseJsonPath, selectPath, type PathSegment } from '../json-path.js';
import { suiteError } from '../issues.js';
import { canonicalJson } from '../json-text.js';

// ajv-formats is CommonJS; under NodeNext its default import is the module object.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv) => Ajv;

const parseMode = z.enum(['lenient', 'strict']).default('lenient').describe('lenient: JSON may be fenced or embedded; strict: the whole output must be JSON');

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
    const ajv = typeof schema === 'object' && schema !== null && '$id' in schema ? addFormats(new Ajv({ allErrors: true, strict: false })) : sharedAjv;
    v = ajv.compile(schema as object);
    compiled.set(key, v);
  }
  return v;
}

const show = (v: unknown): string => (v === undefined ? 'nothing' : JSON.stringify(v));

export const isJson = defineAssertion({
  category: 'format',
  description: 'The whole output is bare JSON: it parses with JSON.parse (surrounding whitespace aside). Markdown fences fail.',
  example: 'type: is-json',
  trafficSafe: true,
  params: z.object({}).strict(),
  compile: () => ({
    check: ({ output }) => {
      const r = parseStrictJson(output);
      if (r.ok) return result(true, 'output is bare JSON');
      const why = hasMarkdownFence(output) ? 'output is wrapped in markdown fences' : `output is not JSON (${r.error})`;
      return result(false, why);
    },
  }),
});

export const containsJson = defineAssertion({
  category: 'format',
  description: 'The output contains a JSON object or array somewhere (bare, fenced, or embedded in prose).',
  example: 'type: contains-json',
  trafficSafe: true,
  params: z.object({}).strict(),
  compile: () => ({
    check: ({ output }) => {
      const r = extractJson(output);
      return result(r.ok, r.ok ? 'output contains JSON' : r.error);
    },
  }),
});

export const jsonSchema = defineAssertion({
  category: 'format',
  description: 'The JSON in the output validates against a JSON Schema (`schema` inline or `schema_file` relative to the suite), with ajv and ajv-formats.',
  example: 'type: json-schema\nschema:\n  type: object\n  required: [name, email]\n  properties:\n    name: { type: string }\n    email: { type: string, format: email }',
  trafficSafe: true,
  params: z
    .object({ schema: z.record(z.string(), z.unknown()).optional(), schema_file: z.string().optional(), parse: parseMode })
    .strict()
    .refine((p) => (p.schema === undefined) !== (p.schema_file === undefined), 'give exactly one of "schema" or "schema_file"'),
  compile: (p, at) => {
    let schema: unknown = p.schema;
    if (p.schema_file !== undefined) {
      const file = resolve(at.dir, p.schema_file);
      try {
        schema = JSON.parse(readFileSync(file, 'utf8')) as unknown;
      } catch (e) {
        throw suiteError(at.file, `${at.path}.schema_file`, `cannot read JSON schema ${file}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    let validate: ValidateFunction;
    try {
      validate = compileSchema(schema);
    } catch (e) {
      throw suiteError(at.file, `${at.path}.schema`, `invalid JSON schema: ${e instanceof Error ? e.message : String(e)}`);
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
  description: 'A value at a JSON path (`$.a.b[0]`, `items[*].id`) exists (default), `equals` a value, or is `in` a list.',
  example: 'type: json-path\npath: $.email\nequals: jane@example.com',
  trafficSafe: false,
  params: z
    .object({ path: z.string().min(1), equals: z.unknown().optional(), exists: z.boolean().optional(), in: z.array(z.unknown()).min(1).optional(), parse: parseMode })
    .strict(),
  compile: (p, at) => {
    const segs = compilePath(p.path, at);
    const allowed = p.in?.map(canonicalJson);
    return {
      check: ({ output }) => {
        const r = readJson(output, p.parse);
        if (!r.ok) return result(false, `no JSON: ${r.error}`);
        const found = selectPath(r.value, segs);
        if (p.exists === false) return result(found.length === 0, found.length === 0 ? `${p.path} is absent` : `${p.path} exists (${show(found[0])})`);
        if (found.length === 0) return result(false, `${p.path} not found`);
        if (p.equals !== undefined) {
          const want = canonicalJson(p.equals);
          const ok = found.every((v) => canonicalJson(v) === want);
          return result(ok, ok ? `${p.path} equals ${show(p.equals)}` : `${p.path} is ${show(found[0])}, expected ${show(p.equals)}`);
        }
        if (allowed !== undefined) {
          const bad = found.find((v) => !allowed.includes(canonicalJson(v)));
          return result(bad === undefined, bad === undefined ? `${p.path} is one of the allowed values` : `${p.path} is ${show(bad)}, not in ${show(p.in)}`);
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
  params: z.object({ path: z.string().min(1), values: z.array(z.union([z.string(), z.number(), z.boolean(), z.null()])).min(1), parse: parseMode }).strict(),
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
          unknown.length === 0 ? `${p.path} values are all known` : `unknown value${unknown.length > 1 ? 's' : ''} at ${p.path}: ${unknown.map(show).join(', ')}`,
          (found.length - unknown.length) / found.length,
        );
      },
    };
  },
});

export const noMarkdownFences = defineAssertion({
  category: 'format',
  description: 'The output contains no markdown code fences (```).',
  example: 'type: no-markdown-fences',
  trafficSafe: true,
  params: z.object({}).strict(),
  compile: () => ({
    check: ({ output }) => result(!hasMarkdownFence(output), hasMarkdownFence(output) ? 'output contains markdown fences' : 'no markdown fences'),
  }),
});

const range = z
  .object({ min: z.number().int().nonnegative().optional(), max: z.number().int().nonnegative().optional() })
  .strict()
  .refine((p) => p.min !== undefined || p.max !== undefined, 'give "min", "max" or both')
  .refine((p) => p.min === undefined || p.max === undefined || p.min <= p.max, '"min" must not exceed "max"');

function inRange(n: number, p: { min?: number | undefined; max?: number | undefined }, unit: string) {
  const ok = (p.min === undefined || n >= p.min) && (p.max === undefined || n <= p.max);
  const bounds = `${p.min ?? 0}..${p.max ?? '∞'}`;
  return result(ok, `${n} ${unit} (${ok ? 'within' : 'outside'} ${bounds})`);
}

export const length = defineAssertion({
  category: 'format',
  description: 'The output length in characters is within `min`..`max`.',
  example: 'type: length\nmin: 10\nmax: 400',
  trafficSafe: true,
  params: range,
  compile: (p) => ({ check: ({ output }) => inRange([...output].length, p, 'characters') }),
});

export const wordCount = defineAssertion({
  category: 'format',
  description: 'The number of whitespace-separated words is within `min`..`max`.',
  example: 'type: word-count\nmax: 60',
  trafficSafe: true,
  params: range,
  compile: (p) => ({ check: ({ output }) => inRange(output.trim() === '' ? 0 : output.trim().split(/\s+/).length, p, 'words') }),
});

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
