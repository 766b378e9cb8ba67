import { z } from 'zod';
import { defineAssertion, result, type AssertionDefinition } from './types.js';
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
  params: z.object({ value: z.string(), trim: z.boolean().default(true), ignore_case: z.boolean().default(false) }).strict(),
  compile: (p) => ({
    check: ({ output }) => {
      let a = p.trim ? output.trim() : output;
      let b = p.trim ? p.value.trim() : p.value;
      if (p.ignore_case) [a, b] = [a.toLowerCase(), b.toLowerCase()];
      return result(a === b, a === b ? 'output equals the expected value' : `expected ${quote(b)}, got ${quote(a)}`);
    },
  }),
});

export const contains = defineAssertion({
  category: 'text',
  description: 'The output contains `value` (case-sensitive).',
  example: 'type: contains\nvalue: "def "',
  trafficSafe: false,
  params: value,
  compile: (p) => ({
    check: ({ output }) => result(output.includes(p.value), output.includes(p.value) ? `contains ${quote(p.value)}` : `does not contain ${quote(p.value)}`),
  }),
});

export const icontains = defineAssertion({
  category: 'text',
  description: 'The output contains `value`, ignoring case.',
  example: 'type: icontains\nvalue: positive',
  trafficSafe: false,
  params: value,
  compile: (p) => ({
    check: ({ output }) => {
      const ok = output.toLowerCase().includes(p.value.toLowerCase());
      return result(ok, ok ? `contains ${quote(p.value)} (any case)` : `does not contain ${quote(p.value)} (any case)`);
    },
  }),
});

export const notContains = defineAssertion({
  category: 'text',
  description: 'The output does not contain `value` (case-sensitive).',
  example: 'type: not-contains\nvalue: "As an AI"',
  trafficSafe: false,
  params: value,
  compile: (p) => ({
    check: ({ output }) => result(!output.includes(p.value), output.includes(p.value) ? `contains forbidden ${quote(p.value)}` : `does not contain ${quote(p.value)}`),
  }),
});

function norm(s: string, ignoreCase: boolean): string {
  return ignoreCase ? s.toLowerCase() : s;
}

export const containsAny = defineAssertion({
  category: 'text',
  description: 'The output contains at least one of `values` (`ignore_case: true` to ignore case).',
  example: 'type: contains-any\nvalues: [positive, upbeat]\nignore_case: true',
  trafficSafe: false,
  params: values,
  compile: (p) => ({
    check: ({ output }) => {
      const hit = p.values.find((v) => norm(output, p.ignore_case).includes(norm(v, p.ignore_case)));
      return result(hit !== undefined, hit !== undefined ? `contains ${quote(hit)}` : `contains none of ${p.values.map((v) => quote(v)).join(', ')}`);
    },
  }),
});

export const containsAll = defineAssertion({
  category: 'text',
  description: 'The output contains every one of `values`; the score is the share found.',
  example: 'type: contains-all\nvalues: [name, email]',
  trafficSafe: false,
  params: values,
  compile: (p) => ({
    check: ({ output }) => {
      const missing = p.values.filter((v) => !norm(output, p.ignore_case).includes(norm(v, p.ignore_case)));
      const score = (p.values.length - missing.length) / p.values.length;
      return result(missing.length === 0, missing.length === 0 ? 'contains all values' : `missing ${missing.map((v) => quote(v)).join(', ')}`, score);
    },
  }),
});

export const regex = defineAssertion({
  category: 'text',
  description: 'The output matches the regular expression `pattern` (JavaScript syntax, optional `flags`). An invalid pattern is a config error.',
  example: 'type: regex\npattern: "^def \\\\w+\\\\("\nflags: m',
  trafficSafe: false,
  params: z.object({ pattern: z.string(), flags: z.string().regex(/^[dgimsuvy]*$/, 'flags may only use d, g, i, m, s, u, v, y').optional() }).strict(),
  compile: (p, at) => {
    let re: RegExp;
    try {
      re = new RegExp(p.pattern, (p.flags ?? '').replace('g', ''));
    } catch (e) {
      throw suiteError(at.file, `${at.path}.pattern`, `invalid regex: ${e instanceof Error ? e.message : String(e)}`);
    }
    return {
      check: ({ output }) => result(re.test(output), re.test(output) ? `matches /${p.pattern}/` : `does not match /${p.pattern}/`),
    };
  },
});

export const startsWith = defineAssertion({
  category: 'text',
  description: 'The output (leading whitespace ignored) starts with `value`.',
  example: 'type: starts-with\nvalue: "{"',
  trafficSafe: false,
  params: value,
  compile: (p) => ({
    check: ({ output }) => {
      const ok = output.trimStart().startsWith(p.value);
      return result(ok, ok ? `starts with ${quote(p.value)}` : `starts with ${quote(output.trimStart().slice(0, 20))}, expected ${quote(p.value)}`);
    },
  }),
});

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
