import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { cannedAnswer, toCanned, type AgentSpec } from '../../src/evals/tool-case.js';

const spec = (results: AgentSpec['results']): AgentSpec => ({
  tools: [
    { name: 'lookup_order', inputSchema: {} },
    { name: 'issue_refund', inputSchema: {} },
  ],
  results,
  maxSteps: 4,
});

describe('canned tool results', () => {
  const s = spec(
    new Map([
      [
        'lookup_order',
        [
          toCanned({ args: { order_id: 'A-1', expand: ['items', 'refunds'] }, result: { total: 49.99 } }),
          toCanned({ args: { order_id: 'A-2' }, result: 'cancelled', is_error: true }),
          toCanned({ result: 'not found' }),
        ],
      ],
    ]),
  );

  it('an exact-args entry answers, whatever the key order', () => {
    expect(cannedAnswer(s, 'lookup_order', { expand: ['items', 'refunds'], order_id: 'A-1' })).toEqual({
      match: 'args',
      text: '{"total":49.99}',
      isError: false,
    });
    expect(cannedAnswer(s, 'lookup_order', { order_id: 'A-2' })).toEqual({
      match: 'args',
      text: 'cancelled',
      isError: true,
    });
  });
  it('other arguments get the default; array order and extra arguments matter', () => {
    expect(cannedAnswer(s, 'lookup_order', { order_id: 'A-1', expand: ['refunds', 'items'] }).match).toBe('default');
    expect(cannedAnswer(s, 'lookup_order', { order_id: 'A-2', verbose: true })).toEqual({
      match: 'default',
      text: 'not found',
      isError: false,
    });
  });
  it('a tool without a matching entry or default, or an undeclared tool, gets an error the model can read', () => {
    expect(cannedAnswer(s, 'issue_refund', { amount: 1 })).toEqual({
      match: 'none',
      text: 'error: the suite has no result for issue_refund({"amount":1})',
      isError: true,
    });
    expect(cannedAnswer(s, 'delete_account', {})).toMatchObject({ match: 'unknown-tool', isError: true });
  });
  it('property: an entry always answers a call with its own args, in any key order', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }), fc.jsonValue()), (args) => {
        const one = spec(
          new Map([['lookup_order', [toCanned({ args, result: 'hit' }), toCanned({ result: 'miss' })]]]),
        );
        const reversed = Object.fromEntries(Object.entries(args).reverse());
        return cannedAnswer(one, 'lookup_order', reversed).text === 'hit';
      }),
    );
  });
});
