/**
 * Structured outputs in the simulator, as real models behave under them:
 * - JSON mode: the answer is bare JSON (no fences, no tone, no padding), whatever the snapshot's
 *   habits; a prose answer becomes `{"text": ...}`.
 * - A schema: the rule's JSON (after the snapshot's drift) when it matches; under a strict schema
 *   (constrained decoding) a drifted value the schema forbids cannot be produced, so the undrifted
 *   value or one built from the schema is sent instead. A loose schema (a plain string where an
 *   enum was meant, optional fields) lets drift through, and a non-strict schema is only a hint:
 *   drift that breaks it comes back as is. Evals keep their teeth either way.
 * - A forced tool (`tool_choice` any or a named tool): the answer is a call to it, its input the
 *   rule's JSON fitted to the tool's schema.
 */
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { CanonicalRequest, ResponseFormat, ToolDef } from '../wire/canonical.js';
import { applyJsonDrift } from './json-drift.js';
import type { Draft } from './rules.js';
import type { Behaviour } from './scenario-schema.js';

// ajv-formats is CommonJS; under NodeNext its default import is the module object.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (
  ajv: Ajv,
) => Ajv;

type Json = Record<string, unknown>;

const validators = new Map<string, ValidateFunction | null>();

/** Null when the schema does not compile: the simulator then trusts its own construction. */
function validatorFor(schema: Json): ValidateFunction | null {
  const key = JSON.stringify(schema);
  const hit = validators.get(key);
  if (hit !== undefined) return hit;
  if (validators.size >= 256) validators.clear();
  let v: ValidateFunction | null;
  try {
    v = addFormats(new Ajv({ strict: false })).compile(schema);
  } catch {
    v = null;
  }
  validators.set(key, v);
  return v;
}

export function matchesSchema(value: unknown, schema: Json): boolean {
  const v = validatorFor(schema);
  return v === null ? true : v(value) === true;
}

function isObject(v: unknown): v is Json {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function resolveRef(ref: string, root: Json): Json | undefined {
  const m = /^#\/(\$defs|definitions)\/(.+)$/.exec(ref);
  const defs = m ? root[m[1] ?? ''] : undefined;
  const target = isObject(defs) ? defs[m?.[2] ?? ''] : undefined;
  return isObject(target) ? target : undefined;
}

const FORMAT_SAMPLES: Record<string, string> = {
  'date-time': '2026-01-15T09:00:00Z',
  date: '2026-01-15',
  time: '09:00:00Z',
  duration: 'P1D',
  email: 'someone@example.com',
  hostname: 'example.com',
  uri: 'https://example.com/',
  ipv4: '192.0.2.1',
  ipv6: '2001:db8::1',
  uuid: '00000000-0000-4000-8000-000000000000',
};

/**
 * A value valid against `schema`, keeping what `hint` already has where it fits: the rule's
 * answer shapes the result and the schema fills the gaps. `text` seeds free strings.
 */
export function sampleFromSchema(schema: Json, hint: unknown, text: string, root: Json = schema, depth = 0): unknown {
  if (depth > 12) return null;
  if (typeof schema.$ref === 'string') {
    const target = resolveRef(schema.$ref, root);
    return target ? sampleFromSchema(target, hint, text, root, depth + 1) : (hint ?? null);
  }
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum)) return schema.enum.includes(hint) ? hint : schema.enum[0];
  const branches = (
    Array.isArray(schema.anyOf) ? schema.anyOf : Array.isArray(schema.oneOf) ? schema.oneOf : []
  ).filter(isObject);
  if (branches.length > 0) {
    const fitting = branches.find((b) =>
      matchesSchema(hint, {
        ...b,
        ...(root.$defs ? { $defs: root.$defs } : {}),
        ...(root.definitions ? { definitions: root.definitions } : {}),
      }),
    );
    return sampleFromSchema(fitting ?? branches[0] ?? {}, hint, text, root, depth + 1);
  }
  const types = Array.isArray(schema.type)
    ? schema.type.filter((t): t is string => typeof t === 'string')
    : typeof schema.type === 'string'
      ? [schema.type]
      : [];
  const type =
    types.find((t) => t !== 'null') ??
    types[0] ??
    (isObject(schema.properties) ? 'object' : isObject(schema.items) ? 'array' : undefined);
  switch (type) {
    case 'object': {
      const props = isObject(schema.properties) ? schema.properties : {};
      const required = Array.isArray(schema.required)
        ? schema.required.filter((k): k is string => typeof k === 'string')
        : [];
      const from = isObject(hint) ? hint : {};
      const out: Json = {};
      for (const [k, s] of Object.entries(props)) {
        if (!isObject(s)) continue;
        if (k in from || required.includes(k)) out[k] = sampleFromSchema(s, from[k], text, root, depth + 1);
      }
      if (schema.additionalProperties !== false && !isObject(schema.properties)) Object.assign(out, from);
      return out;
    }
    case 'array': {
      const items = isObject(schema.items) ? schema.items : {};
      const from = Array.isArray(hint) ? hint : [];
      const min = typeof schema.minItems === 'number' ? schema.minItems : 0;
      const max = typeof schema.maxItems === 'number' ? schema.maxItems : Infinity;
      const base = from.slice(0, max).map((h) => sampleFromSchema(items, h, text, root, depth + 1));
      while (base.length < min) base.push(sampleFromSchema(items, undefined, text, root, depth + 1));
      return base;
    }
    case 'string': {
      if (typeof hint === 'string') return hint;
      if (typeof schema.format === 'string' && FORMAT_SAMPLES[schema.format]) return FORMAT_SAMPLES[schema.format];
      const max = typeof schema.maxLength === 'number' ? schema.maxLength : Infinity;
      const min = typeof schema.minLength === 'number' ? schema.minLength : 0;
      return (text || 'sample').slice(0, max).padEnd(min, '.');
    }
    case 'integer':
    case 'number': {
      const lo = typeof schema.minimum === 'number' ? schema.minimum : -Infinity;
      const hi = typeof schema.maximum === 'number' ? schema.maximum : Infinity;
      const n = typeof hint === 'number' ? hint : Math.max(lo, Math.min(hi, 0));
      const fitted = Math.max(lo, Math.min(hi, n));
      return type === 'integer' ? Math.round(fitted) : fitted;
    }
    case 'boolean':
      return typeof hint === 'boolean' ? hint : false;
    case 'null':
      return null;
    default:
      return hint ?? null;
  }
}

/** The snapshot's JSON (drift applied) for a draft, or the prose wrapped as `{"text": ...}`. */
function draftValues(draft: Draft, b: Behaviour): { drifted: unknown; original: unknown; text: string } {
  if (draft.kind === 'json')
    return { drifted: applyJsonDrift(draft.value, b.json, draft.ruleId), original: draft.value, text: '' };
  const text = draft.kind === 'text' ? draft.text : '';
  return { drifted: { text }, original: { text }, text };
}

/** The value to send under a schema: see the module comment for when drift gets through. */
export function fitToSchema(drifted: unknown, original: unknown, schema: Json, strict: boolean, text: string): unknown {
  if (!strict || matchesSchema(drifted, schema)) return drifted;
  if (matchesSchema(original, schema)) return original;
  return sampleFromSchema(schema, drifted, text);
}

/** A draft as a structured answer: bare JSON text (JSON mode or a schema). Null when the request asks for neither. */
export function structuredText(draft: Draft, b: Behaviour, rf: ResponseFormat | undefined): string | null {
  if (!rf || rf.type === 'text' || draft.kind === 'tool') return null;
  const { drifted, original, text } = draftValues(draft, b);
  if (rf.type === 'json') return JSON.stringify(drifted);
  // Prose has no shape of its own: the model writes what the schema asks.
  if (draft.kind === 'text') return JSON.stringify(sampleFromSchema(rf.schema, undefined, text));
  return JSON.stringify(fitToSchema(drifted, original, rf.schema, rf.strict === true, text));
}

/** The tool a forced `tool_choice` names (or the first for `any`), when the draft is not already a call. */
export function forcedTool(req: CanonicalRequest, draft: Draft): ToolDef | undefined {
  const tc = req.toolChoice;
  if (!tc || draft.kind === 'tool' || !req.tools?.length) return undefined;
  if (tc.type === 'tool') return req.tools.find((t) => t.name === tc.name);
  return tc.type === 'any' ? req.tools[0] : undefined;
}

/** The input of a call to `tool` answering `draft`: the rule's JSON fitted to the tool's schema (always, as a call's input must parse). */
export function forcedToolInput(tool: ToolDef, draft: Draft, b: Behaviour): Json {
  const { drifted, original, text } = draftValues(draft, b);
  const value =
    draft.kind === 'text'
      ? sampleFromSchema(tool.inputSchema, undefined, text)
      : fitToSchema(drifted, original, tool.inputSchema, tool.strict === true, text);
  return isObject(value) ? value : { value };
}

/** A rule's tool call against a strict tool: its input must match the tool's schema. */
export function strictToolInput(req: CanonicalRequest, name: string, input: Json): Json {
  const tool = req.tools?.find((t) => t.name === name);
  if (!tool || tool.strict !== true || matchesSchema(input, tool.inputSchema)) return input;
  const value = sampleFromSchema(tool.inputSchema, input, '');
  return isObject(value) ? value : input;
}
