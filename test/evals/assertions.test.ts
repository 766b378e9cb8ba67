import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ASSERTIONS, compileAssertion } from '../../src/evals/assertions/registry.js';
import { ASSERTION_TYPES, type AssertionType } from '../../src/evals/assertions/types.js';
import { ConfigError } from '../../src/core/errors.js';
import { AT, check, response } from './helpers.js';

const call = (step: number, name: string, args: Record<string, unknown>) => ({
  step,
  name,
  args,
  answered: 'args' as const,
});
const GOOD_CALLS = [
  call(1, 'lookup_order', { order_id: 'A-1001' }),
  call(2, 'issue_refund', { order_id: 'A-1001', amount: 49.99 }),
];
const DRIFTED_CALLS = [
  call(1, 'lookup_order', { order_id: 'A-1001' }),
  call(2, 'lookup_order', { order_id: 'A-1001' }),
  call(3, 'issue_refund', { order_id: 'A-1001', amount: 4999 }),
];

type Case = { raw: Record<string, unknown>; pass: string; fail: string; passCtx?: object; failCtx?: object };

const fence = '```json\n{"name":"Jane","email":"jane@example.com"}\n```';
const bare = '{"name":"Jane","email":"jane@example.com","sentiment":"positive","tags":["a","b"]}';

/** One passing and one failing output per assertion type. */
const CASES: Record<AssertionType, Case> = {
  equals: { raw: { type: 'equals', value: '4' }, pass: ' 4\n', fail: '5' },
  contains: { raw: { type: 'contains', value: 'def ' }, pass: 'def f(): pass', fail: 'DEF f' },
  icontains: { raw: { type: 'icontains', value: 'POSITIVE' }, pass: 'it is positive', fail: 'negative' },
  'not-contains': { raw: { type: 'not-contains', value: 'As an AI' }, pass: 'Sure.', fail: 'As an AI, I' },
  'contains-any': {
    raw: { type: 'contains-any', values: ['happy', 'glad'], ignore_case: true },
    pass: 'So GLAD',
    fail: 'sad',
  },
  'contains-all': { raw: { type: 'contains-all', values: ['name', 'email'] }, pass: bare, fail: '{"name":"x"}' },
  regex: {
    raw: { type: 'regex', pattern: '^def \\w+\\(', flags: 'm' },
    pass: 'x\ndef add(a, b):',
    fail: 'function add()',
  },
  'starts-with': { raw: { type: 'starts-with', value: '{' }, pass: '  {"a":1}', fail: '```json' },
  'is-json': { raw: { type: 'is-json' }, pass: bare, fail: fence },
  'contains-json': { raw: { type: 'contains-json' }, pass: `Here: ${fence}`, fail: 'no json here' },
  'json-schema': {
    raw: { type: 'json-schema', schema_file: './contact.schema.json' },
    pass: fence,
    fail: '{"name":"Jane","email":"not-an-email"}',
  },
  'json-path': {
    raw: { type: 'json-path', path: '$.email', equals: 'jane@example.com' },
    pass: bare,
    fail: '{"email":"joe@example.com"}',
  },
  enum: {
    raw: { type: 'enum', path: '$.sentiment', values: ['positive', 'negative', 'neutral'] },
    pass: bare,
    fail: '{"sentiment":"mixed"}',
  },
  'no-markdown-fences': { raw: { type: 'no-markdown-fences' }, pass: bare, fail: fence },
  length: { raw: { type: 'length', min: 2, max: 10 }, pass: 'hello', fail: 'hello world, long' },
  'word-count': { raw: { type: 'word-count', max: 3 }, pass: 'one two three', fail: 'one two three four' },
  'max-tokens': {
    raw: { type: 'max-tokens', value: 50 },
    pass: 'x',
    fail: 'x',
    failCtx: { response: response('x', { usage: { inputTokens: 5, outputTokens: 60 } }) },
  },
  'max-cost': { raw: { type: 'max-cost', value: 0.01 }, pass: 'x', fail: 'x', failCtx: { costUsd: 0.02 } },
  'max-latency': { raw: { type: 'max-latency', value: 500 }, pass: 'x', fail: 'x', failCtx: { latencyMs: 900 } },
  'similar-to': {
    raw: { type: 'similar-to', value: 'The customer is happy.', threshold: 0.8 },
    pass: 'The customer is happy!',
    fail: 'Totally unrelated output text',
  },
  'llm-rubric': {
    raw: { type: 'llm-rubric', rubric: 'is polite', judge_route: 'judge' },
    pass: 'Thank you!',
    fail: 'Go away.',
    passCtx: { judge: async () => '{"pass": true, "score": 0.9, "reason": "polite"}' },
    failCtx: { judge: async () => '```json\n{"pass": false, "score": 0.1, "reason": "rude"}\n```' },
  },
  factuality: {
    raw: { type: 'factuality', value: 'Refunds are accepted within 30 days.', judge_route: 'judge' },
    pass: 'You can return it within 30 days.',
    fail: 'Refunds are accepted within 90 days.',
    passCtx: {
      judge: async (_r: string, prompt: string) =>
        prompt.includes('[modelpin:factuality]') && prompt.includes('within 30 days.\n>>>')
          ? '{"category": "A", "reason": "subset"}'
          : '{"category": "D", "reason": "?"}',
    },
    failCtx: { judge: async () => '{"category": "D", "reason": "90 days contradicts 30 days"}' },
  },
  'is-refusal': {
    raw: { type: 'is-refusal' },
    pass: "I'm sorry, but I can't help with that request.",
    fail: '{"sentiment":"positive"}',
  },
  'not-refusal': {
    raw: { type: 'not-refusal', judge_route: 'judge' },
    pass: 'Here is the summary.',
    fail: 'I will not do that.',
    passCtx: { judge: async () => '{"pass": false, "reason": "attempts the task"}' },
    failCtx: { judge: async () => '{"pass": true, "score": 1, "reason": "declines"}' },
  },
  javascript: {
    raw: { type: 'javascript', file: './checks.mjs#isPythonFunction' },
    pass: 'def add(a, b):\n  return a + b',
    fail: 'function add(a, b) {}',
  },
  trajectory: {
    raw: { type: 'trajectory', calls: ['lookup_order', 'issue_refund'] },
    pass: 'x',
    fail: 'x',
    passCtx: { toolCalls: GOOD_CALLS, steps: 3 },
    failCtx: { toolCalls: DRIFTED_CALLS, steps: 4 },
  },
  'tool-args': {
    raw: { type: 'tool-args', tool: 'issue_refund', arg: 'amount', value: 49.99, abs: 0.01 },
    pass: 'x',
    fail: 'x',
    passCtx: { toolCalls: GOOD_CALLS, steps: 3 },
    failCtx: { toolCalls: DRIFTED_CALLS, steps: 4 },
  },
  steps: {
    raw: { type: 'steps', max: 3 },
    pass: 'x',
    fail: 'x',
    passCtx: { toolCalls: GOOD_CALLS, steps: 3 },
    failCtx: { toolCalls: DRIFTED_CALLS, steps: 4 },
  },
};

describe('assertion registry', () => {
  it('has an entry with metadata for every assertion type', () => {
    expect(Object.keys(ASSERTIONS).sort()).toEqual([...ASSERTION_TYPES].sort());
    for (const t of ASSERTION_TYPES) {
      const def = ASSERTIONS[t];
      expect(def.description.length, t).toBeGreaterThan(10);
      expect(def.example, t).toContain(`type: ${t}`);
    }
  });

  it('every documented example compiles', async () => {
    for (const t of ASSERTION_TYPES) {
      const raw = parse(ASSERTIONS[t].example) as Record<string, unknown>;
      if (t === 'javascript') raw.file = './checks.mjs#isPythonFunction';
      await expect(compileAssertion(raw, AT), t).resolves.toMatchObject({ type: t });
    }
  });

  it('marks exactly the shape and ceiling types as safe for shadow traffic', () => {
    const safe = ASSERTION_TYPES.filter((t) => ASSERTIONS[t].trafficSafe).sort();
    expect(safe).toEqual([
      'contains-json',
      'enum',
      'is-json',
      'json-schema',
      'length',
      'max-cost',
      'max-latency',
      'max-tokens',
      'no-markdown-fences',
      'word-count',
    ]);
  });

  it('docs/evals.md documents every assertion type', () => {
    const doc = readFileSync(new URL('../../docs/evals.md', import.meta.url), 'utf8');
    for (const t of ASSERTION_TYPES) expect(doc, t).toContain(`### \`${t}\``);
  });
});

describe.each(ASSERTION_TYPES.map((t) => [t, CASES[t]] as const))('%s', (_t, c) => {
  it('passes', async () => {
    const r = await check(c.raw, c.pass, c.passCtx);
    expect(r.pass, r.reason).toBe(true);
    expect(r.score).toBeGreaterThan(0);
  });
  it('fails with a reason', async () => {
    const r = await check(c.raw, c.fail, c.failCtx);
    expect(r.pass).toBe(false);
    expect(r.reason.length).toBeGreaterThan(3);
    expect(r.score).toBeLessThan(1);
  });
});

describe('assertion details', () => {
  it('is-json names fences as the reason', async () => {
    expect((await check({ type: 'is-json' }, fence)).reason).toMatch(/fences/);
  });
  it('enum reports the unknown value', async () => {
    expect(
      (await check({ type: 'enum', path: 'sentiment', values: ['positive'] }, '{"sentiment":"mixed"}')).reason,
    ).toContain('"mixed"');
  });
  it('json-path exists / in / wildcard', async () => {
    expect((await check({ type: 'json-path', path: '$.tags[*]', in: ['a', 'b'] }, bare)).pass).toBe(true);
    expect((await check({ type: 'json-path', path: '$.phone', exists: false }, bare)).pass).toBe(true);
    expect((await check({ type: 'json-path', path: "$['name']" }, bare)).pass).toBe(true);
    expect((await check({ type: 'json-path', path: '$.email', parse: 'strict' }, fence)).pass).toBe(false);
  });
  it('similar-to cosine ignores word order', async () => {
    expect(
      (
        await check(
          { type: 'similar-to', value: 'happy customer is the', metric: 'cosine', threshold: 0.99 },
          'the customer is happy',
        )
      ).pass,
    ).toBe(true);
  });
  it('max-cost fails clearly without a catalog price', async () => {
    const r = await check({ type: 'max-cost', value: 1 }, 'x', { costUsd: null });
    expect(r).toMatchObject({ pass: false });
    expect(r.reason).toMatch(/no catalog price/);
  });
  it('llm-rubric with a threshold uses the score; a non-JSON judge answer fails', async () => {
    const judge = async () => '{"pass": true, "score": 0.4}';
    expect(
      (await check({ type: 'llm-rubric', rubric: 'x', judge_route: 'j', threshold: 0.5 }, 'out', { judge })).pass,
    ).toBe(false);
    const r = await check({ type: 'llm-rubric', rubric: 'x', judge_route: 'j' }, 'out', {
      judge: async () => 'I think it is fine',
    });
    expect(r.pass).toBe(false);
    expect(r.reason).toMatch(/not \{pass, score, reason\} JSON/);
  });
  it('javascript: inline fn, score objects and thrown errors', async () => {
    expect(await check({ type: 'javascript', file: './checks.mjs#scored' }, 'abcd')).toEqual({
      pass: true,
      score: 0.7,
      reason: 'length 4',
    });
    const fn = (_o: string, c: { json: unknown }) => (c.json as { n: number }).n === 2;
    expect((await check({ type: 'javascript', fn }, '{"n":2}')).pass).toBe(true);
    const r = await check(
      {
        type: 'javascript',
        fn: () => {
          throw new Error('boom');
        },
      },
      'x',
    );
    expect(r).toMatchObject({ pass: false, reason: expect.stringContaining('boom') });
  });
});

describe('assertion config errors name file and path', () => {
  const cases: Array<[Record<string, unknown>, RegExp]> = [
    [
      { type: 'is-jsn' },
      /^evals\/t\.yml: cases\[0\]\.assert\[0\]\.type: unknown assertion type "is-jsn" \(did you mean "is-json"\?\)$/,
    ],
    [{ type: 'regex', pattern: '(' }, /^evals\/t\.yml: cases\[0\]\.assert\[0\]\.pattern: invalid regex/],
    [{ type: 'contains' }, /cases\[0\]\.assert\[0\]\.value: /],
    [{ type: 'contains', value: 'x', extra: 1 }, /cases\[0\]\.assert\[0\]: unknown field "extra"/],
    [{ type: 'json-schema', schema_file: './missing.json' }, /schema_file: cannot read JSON schema/],
    [{ type: 'json-schema', schema: { type: 'nope' } }, /\.schema: invalid JSON schema/],
    [{ type: 'json-path', path: '$.a[' }, /\.path: unclosed/],
    [{ type: 'javascript', file: './checks.mjs#nope' }, /no exported function "nope"/],
    [{ type: 'javascript', file: './checks.mjs#notAFunction' }, /no exported function "notAFunction"/],
    [{ type: 'llm-rubric', rubric: 'x' }, /judge_route: llm-rubric needs "judge_route"/],
    [{ type: 'factuality', value: 'x' }, /judge_route: factuality needs "judge_route"/],
    [{ type: 'factuality', value: 'x', judge_route: 'j', fail_categories: ['F'] }, /fail_categories/],
    [{ type: 'similar-to', value: 'x', metric: 'embedding' }, /embedding_route: metric "embedding" needs/],
    [{ type: 'length' }, /give "min", "max" or both/],
  ];
  it.each(cases)('%j', async (raw, re) => {
    const err = await compileAssertion(raw, AT).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toMatch(re);
  });
});
