import { z } from 'zod';
import { defineAssertion, defineCheck, result, type AssertionDefinition, type AssertionResult } from './types.js';
import { suiteError } from '../issues.js';

const value = z.object({ value: z.string() }).strict();
const values = z.object({ values: z.array(z.string()).min(1), ignore_case: z.boolean().default(false) }).strict();

function quote(s: string, max = 60): string {
  const one = s.replace(/\s+/g, ' ');
  return JSON.stringify(one.length > max ? one.slice(0, max) + '…' : one);
}

export const equals = defineAssertion({
  category: 'text',
  description: 'The output equals `value` exactly (surrounding whitespace ignored unless `trim: false`).',
  example: 'type: equals\nvalue: "4"',
  trafficSafe: false,
  params: z
    .object({ value: z.string(), trim: z.boolean().default(true), ignore_case: z.boolean().default(false) })
    .strict(),
  compile: (p) => ({
    check: ({ output }) => {
      let a = p.trim ? output.trim() : output;
      let b = p.trim ? p.value.trim() : p.value;
      if (p.ignore_case) [a, b] = [a.toLowerCase(), b.toLowerCase()];
      return result(a === b, a === b ? 'output equals the expected value' : `expected ${quote(b)}, got ${quote(a)}`);
    },
  }),
});

/** A text assertion on the output and one string `value`: `test` decides, `says` words the outcome. */
function valueCheck(
  description: string,
  example: string,
  test: (output: string, value: string) => boolean,
  says: (ok: boolean, value: string, output: string) => string,
): AssertionDefinition {
  return defineCheck({ category: 'text', description, example, trafficSafe: false, params: value }, (p, { output }) => {
    const ok = test(output, p.value);
    return result(ok, says(ok, p.value, output));
  });
}

export const contains = valueCheck(
  'The output contains `value` (case-sensitive).',
  'type: contains\nvalue: "def "',
  (output, v) => output.includes(v),
  (ok, v) => (ok ? `contains ${quote(v)}` : `does not contain ${quote(v)}`),
);

export const icontains = valueCheck(
  'The output contains `value`, ignoring case.',
  'type: icontains\nvalue: positive',
  (output, v) => output.toLowerCase().includes(v.toLowerCase()),
  (ok, v) => (ok ? `contains ${quote(v)} (any case)` : `does not contain ${quote(v)} (any case)`),
);

export const notContains = valueCheck(
  'The output does not contain `value` (case-sensitive).',
  'type: not-contains\nvalue: "As an AI"',
  (output, v) => !output.includes(v),
  (ok, v) => (ok ? `does not contain ${quote(v)}` : `contains forbidden ${quote(v)}`),
);

/**
 * A text assertion on which of `values` the output contains (`ignore_case: true` to ignore case):
 * `decide` gets the values found and the values missing, each in the order written.
 */
function valuesCheck(
  description: string,
  example: string,
  decide: (found: string[], missing: string[], all: string[]) => AssertionResult,
): AssertionDefinition {
  return defineCheck(
    { category: 'text', description, example, trafficSafe: false, params: values },
    (p, { output }) => {
      const norm = (s: string) => (p.ignore_case ? s.toLowerCase() : s);
      const text = norm(output);
      const found = p.values.filter((v) => text.includes(norm(v)));
      return decide(
        found,
        p.values.filter((v) => !found.includes(v)),
        p.values,
      );
    },
  );
}

export const containsAny = valuesCheck(
  'The output contains at least one of `values` (`ignore_case: true` to ignore case).',
  'type: contains-any\nvalues: [positive, upbeat]\nignore_case: true',
  ([hit], _missing, all) =>
    result(
      hit !== undefined,
      hit !== undefined ? `contains ${quote(hit)}` : `contains none of ${all.map((v) => quote(v)).join(', ')}`,
    ),
);

export const containsAll = valuesCheck(
  'The output contains every one of `values`; the score is the share found.',
  'type: contains-all\nvalues: [name, email]',
  (_found, missing, all) =>
    result(
      missing.length === 0,
      missing.length === 0 ? 'contains all values' : `missing ${missing.map((v) => quote(v)).join(', ')}`,
      (all.length - missing.length) / all.length,
    ),
);

export const regex = defineAssertion({
  category: 'text',
  description:
    'The output matches the regular expression `pattern` (JavaScript syntax, optional `flags`). An invalid pattern is a config error.',
  example: 'type: regex\npattern: "^def \\\\w+\\\\("\nflags: m',
  trafficSafe: false,
  params: z
    .object({
      pattern: z.string(),
      flags: z
        .string()
        .regex(/^[dgimsuvy]*$/, 'flags may only use d, g, i, m, s, u, v, y')
        .optional(),
    })
    .strict(),
  compile: (p, at) => {
    let re: RegExp;
    try {
      re = new RegExp(p.pattern, (p.flags ?? '').replace('g', ''));
    } catch (e) {
      throw suiteError(at.file, `${at.path}.pattern`, `invalid regex: ${e instanceof Error ? e.message : String(e)}`);
    }
    return {
      check: ({ output }) =>
        result(re.test(output), re.test(output) ? `matches /${p.pattern}/` : `does not match /${p.pattern}/`),
    };
  },
});

export const startsWith = valueCheck(
  'The output (leading whitespace ignored) starts with `value`.',
  'type: starts-with\nvalue: "{"',
  (output, v) => output.trimStart().startsWith(v),
  (ok, v, output) =>
    ok ? `starts with ${quote(v)}` : `starts with ${quote(output.trimStart().slice(0, 20))}, expected ${quote(v)}`,
);

export const TEXT_ASSERTIONS = {
  equals,
  contains,
  icontains,
  'not-contains': notContains,
  'contains-any': containsAny,
  'contains-all': containsAll,
  regex,
  'starts-with': startsWith,
} satisfies Record<string, AssertionDefinition>;
