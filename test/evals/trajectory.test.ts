import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { matchTrajectory, TRAJECTORY_MODES, type ActualCall } from '../../src/evals/trajectory-match.js';
import { describeTrajectoryChange, showPair, trajectoryDrift } from '../../src/evals/trajectory.js';
import { withinTolerance } from '../../src/evals/assertions/tools.js';
import type { SampleResult, ToolCallRecord } from '../../src/evals/run-types.js';

const c = (name: string, args: Record<string, unknown> = {}): ActualCall => ({ name, args });
const lookup = c('lookup_order', { order_id: 'A-1001' });
const refund = c('issue_refund', { order_id: 'A-1001', amount: 49.99 });

describe('trajectory modes', () => {
  const got = [lookup, refund];
  it('strict: same calls in the same order', () => {
    expect(matchTrajectory('strict', [{ name: 'lookup_order' }, { name: 'issue_refund' }], got).pass).toBe(true);
    const r = matchTrajectory('strict', [{ name: 'issue_refund' }, { name: 'lookup_order' }], got);
    expect(r.pass).toBe(false);
    expect(r.reason).toContain('call 1 is lookup_order(order_id="A-1001"), expected issue_refund');
    expect(matchTrajectory('strict', [{ name: 'lookup_order' }], got).reason).toContain('extra call 2: issue_refund');
  });
  it('unordered: the same calls, as many of each, in any order', () => {
    expect(matchTrajectory('unordered', [{ name: 'issue_refund' }, { name: 'lookup_order' }], got).pass).toBe(true);
    const r = matchTrajectory(
      'unordered',
      [{ name: 'issue_refund' }, { name: 'lookup_order' }],
      [lookup, lookup, refund],
    );
    expect(r.pass).toBe(false);
    expect(r.reason).toContain('unexpected lookup_order');
  });
  it('subset: nothing but the listed calls; superset: at least the listed calls', () => {
    expect(matchTrajectory('subset', [{ name: 'lookup_order' }, { name: 'issue_refund' }], [lookup]).pass).toBe(true);
    expect(matchTrajectory('subset', [{ name: 'lookup_order' }], got).reason).toContain('unexpected issue_refund');
    expect(matchTrajectory('superset', [{ name: 'issue_refund' }], got).pass).toBe(true);
    expect(matchTrajectory('superset', [{ name: 'cancel_order' }], got).reason).toContain('missing cancel_order');
  });
  it('listed arguments must be equal; unlisted ones are not checked', () => {
    expect(
      matchTrajectory('strict', [{ name: 'lookup_order' }, { name: 'issue_refund', args: { amount: 49.99 } }], got)
        .pass,
    ).toBe(true);
    const r = matchTrajectory(
      'strict',
      [{ name: 'lookup_order' }, { name: 'issue_refund', args: { amount: 4999 } }],
      got,
    );
    expect(r.pass).toBe(false);
    expect(r.reason).toContain('expected issue_refund(amount=4999)');
  });
  it('argument patterns are matched as a whole, not greedily', () => {
    // A greedy matcher gives the loose pattern the first call and then finds nothing for the tight one.
    const calls = [c('f', { a: 1 }), c('f', { a: 2 })];
    expect(matchTrajectory('unordered', [{ name: 'f' }, { name: 'f', args: { a: 1 } }], calls).pass).toBe(true);
  });

  const name = fc.constantFrom('lookup_order', 'issue_refund', 'send_email', 'cancel_order');
  const traj = fc.array(
    name.map((n) => c(n)),
    { maxLength: 7 },
  );
  const expectedOf = (cs: ActualCall[]) => cs.map((x) => ({ name: x.name }));

  it('property: a trajectory matches itself in every mode', () => {
    fc.assert(fc.property(traj, (t) => TRAJECTORY_MODES.every((m) => matchTrajectory(m, expectedOf(t), t).pass)));
  });
  it('property: any reordering still matches unordered; strict only when the order is unchanged', () => {
    fc.assert(
      fc.property(traj, fc.func(fc.integer()), (t, key) => {
        const shuffled = [...t]
          .map((x, i) => ({ x, k: key(i) }))
          .sort((a, b) => a.k - b.k)
          .map((p) => p.x);
        const sameOrder = shuffled.every((x, i) => x.name === t[i]?.name);
        return (
          matchTrajectory('unordered', expectedOf(t), shuffled).pass &&
          matchTrajectory('strict', expectedOf(t), shuffled).pass === sameOrder
        );
      }),
    );
  });
  it('property: by name, unordered holds exactly when subset and superset both hold; strict implies unordered', () => {
    fc.assert(
      fc.property(traj, traj, (e, a) => {
        const ex = expectedOf(e);
        const un = matchTrajectory('unordered', ex, a).pass;
        const both = matchTrajectory('subset', ex, a).pass && matchTrajectory('superset', ex, a).pass;
        return un === both && (!matchTrajectory('strict', ex, a).pass || un);
      }),
    );
  });
  it('property: adding a call keeps superset and breaks strict and unordered', () => {
    fc.assert(
      fc.property(traj, name, fc.nat(), (t, extra, at) => {
        const longer = [...t];
        longer.splice(at % (t.length + 1), 0, c(extra));
        const ex = expectedOf(t);
        return (
          matchTrajectory('superset', ex, longer).pass &&
          !matchTrajectory('strict', ex, longer).pass &&
          !matchTrajectory('unordered', ex, longer).pass
        );
      }),
    );
  });
});

describe('numeric tolerance', () => {
  it('abs and rel bounds; neither means equal', () => {
    expect(withinTolerance(49.995, 49.99, 0.01, undefined)).toBe(true);
    expect(withinTolerance(4999, 49.99, 0.01, undefined)).toBe(false);
    expect(withinTolerance(50.4, 50, undefined, 0.01)).toBe(true);
    expect(withinTolerance(50.6, 50, undefined, 0.01)).toBe(false);
    expect(withinTolerance(50, 50, undefined, undefined)).toBe(true);
    expect(withinTolerance(50.000001, 50, undefined, undefined)).toBe(false);
  });
  it('property: a value within abs of the target passes, one beyond it fails', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -1e6, max: 1e6, noNaN: true }),
        fc.double({ min: 0.001, max: 100, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (want, abs, f) => {
          return (
            withinTolerance(want + abs * f * 0.999, want, abs, undefined) &&
            !withinTolerance(want + abs * 1.01 + 1e-9, want, abs, undefined)
          );
        },
      ),
    );
  });
});

describe('naming tool-call drift', () => {
  it('names repeated calls and changed arguments, with money-style numbers', () => {
    const drifted = [lookup, lookup, c('issue_refund', { order_id: 'A-1001', amount: 4999.0 })];
    expect(describeTrajectoryChange([lookup, refund], drifted)).toEqual([
      'candidate calls lookup_order twice (base once)',
      'issue_refund.amount 49.99 → 4999.00',
    ]);
  });
  it('names skipped and new tools, dropped and added arguments, and order changes', () => {
    expect(describeTrajectoryChange([lookup, refund], [refund])).toEqual(['candidate skips lookup_order']);
    expect(describeTrajectoryChange([lookup], [lookup, refund])).toEqual([
      'candidate calls issue_refund, which base never calls',
    ]);
    expect(
      describeTrajectoryChange([refund], [c('issue_refund', { order_id: 'A-1001', amount: 49.99, note: 'x' })]),
    ).toEqual(['issue_refund.note added ("x")']);
    expect(describeTrajectoryChange([refund], [c('issue_refund', { amount: 49.99 })])).toEqual([
      'issue_refund.order_id dropped (was "A-1001")',
    ]);
    expect(describeTrajectoryChange([lookup, refund], [refund, lookup])).toEqual([
      'candidate calls issue_refund before lookup_order',
    ]);
    expect(describeTrajectoryChange([lookup, refund], [lookup, refund])).toEqual([]);
  });
  it('shows numbers with the decimals of the more precise side', () => {
    expect(showPair(49.99, 4999)).toEqual(['49.99', '4999.00']);
    expect(showPair(3, 4)).toEqual(['3', '4']);
    expect(showPair('a', 'b')).toEqual(['"a"', '"b"']);
  });

  const sample = (calls: ActualCall[], i: number): SampleResult => ({
    index: i,
    status: 'passed',
    score: 1,
    output: 'done',
    servedModel: 'm',
    fingerprint: null,
    inputTokens: 1,
    outputTokens: 1,
    costUsd: null,
    latencyMs: 1,
    attempts: 1,
    retried: [],
    cached: false,
    assertions: [],
    toolCalls: calls.map((x, s): ToolCallRecord => ({ step: s + 1, name: x.name, args: x.args, answered: 'args' })),
    steps: calls.length + 1,
  });
  const many = (calls: ActualCall[], n: number) => Array.from({ length: n }, (_, i) => sample(calls, i));

  it('a changed trajectory in every sample is significant at five repeats, not at two', () => {
    const drifted = [lookup, lookup, refund];
    const five = trajectoryDrift(many([lookup, refund], 5), many(drifted, 5), 0.05);
    expect(five).toMatchObject({ baseFollow: 5, candidateFollow: 0, significant: true });
    expect(five?.changes).toEqual(['candidate calls lookup_order twice (base once)']);
    expect(trajectoryDrift(many([lookup, refund], 2), many(drifted, 2), 0.05)?.significant).toBe(false);
  });
  it('the same trajectory on both sides is no drift; cases without tools have none', () => {
    expect(trajectoryDrift(many([lookup, refund], 5), many([lookup, refund], 5), 0.05)).toMatchObject({
      changes: [],
      significant: false,
      p: 1,
    });
    const plain = { ...sample([], 0), toolCalls: undefined };
    expect(trajectoryDrift([plain], [plain], 0.05)).toBeNull();
  });
});
