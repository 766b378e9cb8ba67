import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ROLLUP_GRAINS, RollupAccumulator, bucketStartOf } from '../../src/store/rollup.js';
import type { UsageRecord } from '../../src/store/types.js';
import { usage } from './fixtures.js';

const T0 = Date.UTC(2026, 11, 4, 23, 58);

/** Records that differ in one group field at a time, interleaved, across minute, hour and day edges. */
const record = fc
  .record({
    dt: fc.integer({ min: 0, max: 4 * 60_000 }),
    route: fc.constantFrom('a', 'b'),
    env: fc.constantFrom('production', 'staging'),
    target: fc.constantFrom('up/m1', 'up/m2'),
    servedModel: fc.constantFrom('m1', 'm1-2026', null),
    arm: fc.constantFrom('stable', 'canary', null),
    clientKeyId: fc.constantFrom('team-a', 'team-b', null),
    latency: fc.integer({ min: 1, max: 500 }),
  })
  .map((g): UsageRecord =>
    usage({
      ts: T0 + g.dt,
      route: g.route,
      env: g.env,
      target: g.target,
      servedModel: g.servedModel,
      arm: g.arm,
      clientKeyId: g.clientKeyId,
      latencyMs: g.latency,
    }),
  );

describe('RollupAccumulator', () => {
  it('puts every record in the bucket of its own group at each grain, whatever the order', () => {
    fc.assert(
      fc.property(fc.array(record, { minLength: 1, maxLength: 80 }), (records) => {
        const acc = new RollupAccumulator();
        for (const r of records) acc.add(r);
        const { rollups, records: n } = acc.drain();
        expect(n).toBe(records.length);
        // The reference: group by every field of the group, plainly.
        const expected = new Map<string, { requests: number; inputTokens: number }>();
        for (const r of records)
          for (const grain of ROLLUP_GRAINS) {
            const k = JSON.stringify([
              grain,
              bucketStartOf(r.ts, grain),
              r.route,
              r.env,
              r.target,
              r.servedModel,
              r.arm,
              r.clientKeyId,
            ]);
            const e = expected.get(k) ?? { requests: 0, inputTokens: 0 };
            e.requests++;
            e.inputTokens += r.inputTokens;
            expected.set(k, e);
          }
        const got = new Map(
          rollups.map((u) => [
            JSON.stringify([u.grain, u.bucketStart, u.route, u.env, u.target, u.servedModel, u.arm, u.clientKeyId]),
            { requests: u.requests, inputTokens: u.inputTokens },
          ]),
        );
        expect(got).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });
});
