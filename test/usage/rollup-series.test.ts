/**
 * The series `usage --interval` and the dashboard show, read from rollups (the series read asks the
 * database only for the sums a point shows), against the same series computed from the records.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HISTOGRAM_RELATIVE_ERROR } from '../../src/store/histogram.js';
import { openStore } from '../../src/store/open.js';
import { rollupsOf } from '../../src/store/rollup.js';
import type { Store } from '../../src/store/types.js';
import { usageFromRollups } from '../../src/usage/rollup-usage.js';
import { usageSeries } from '../../src/usage/series.js';
import { PG_URL, T0, dropPgSchema, pgSchemaName, usage } from '../store/fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'modelpin-rollup-series-'));
const schemas: string[] = [];
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  for (const s of schemas) await dropPgSchema(s);
});

const HOUR = 3_600_000;
const records = Array.from({ length: 3000 }, (_, i) =>
  usage({
    ts: T0 - 36 * HOUR + Math.floor((i * 36 * HOUR) / 3000),
    route: i % 3 === 0 ? 'classify' : 'summarize',
    servedModel: i % 5 === 0 ? 'sim-chat-2026-12-10' : 'sim-chat-2026-01-15',
    arm: i % 4 === 0 ? 'canary' : 'stable',
    status: i % 13 === 0 ? 500 : 200,
    errorCode: i % 13 === 0 ? 'upstream_error' : null,
    latencyMs: 60 + ((i * 7919) % 1500),
    ttftMs: i % 2 === 0 ? 20 : null,
    outputTokens: 10 + (i % 37),
    costUsd: i % 9 === 0 ? null : 0.002,
  }),
);

const backends: Array<{ name: string; open: () => Promise<Store> }> = [
  {
    name: 'sqlite',
    open: () => openStore({ type: 'sqlite', path: join(dir, `s-${Math.random().toString(36).slice(2)}.db`) }),
  },
  {
    name: 'postgres',
    open: () => {
      const schema = pgSchemaName('rollup_series');
      schemas.push(schema);
      return openStore({ type: 'postgres', url: PG_URL }, { schema });
    },
  },
];

describe.each(backends)('the rollup series on $name', ({ open }) => {
  it.each([HOUR, 15 * 60_000])('equals the series of the records, bucket %i ms', async (bucketMs) => {
    const store = await open();
    try {
      await store.writeUsage({ records: [], rollups: rollupsOf(records) });
      const w = { sinceMs: T0 - 40 * HOUR, untilMs: T0 + 1, bucketMs };
      const got = (await usageFromRollups(store, 'served-model', w)).series;
      const want = usageSeries(records, 'served-model', w);
      expect(got?.starts).toEqual(want.starts);
      expect(got?.series.map((s) => s.key)).toEqual(want.series.map((s) => s.key));
      let points = 0;
      want.series.forEach((line, i) =>
        line.points.forEach((p, j) => {
          const q = got?.series[i]?.points[j];
          if (p === null) return expect(q).toBeNull();
          points++;
          expect(q?.requests).toBe(p.requests);
          expect(q?.errorRate).toBeCloseTo(p.errorRate, 12);
          expect(q?.outputTokensPerRequest).toBeCloseTo(p.outputTokensPerRequest, 9);
          expect(q?.costPerRequestUsd).toBeCloseTo(p.costPerRequestUsd ?? NaN, 12);
          const rel = Math.abs((q?.p95LatencyMs ?? 0) - (p.p95LatencyMs ?? 0)) / (p.p95LatencyMs ?? 1);
          expect(rel).toBeLessThanOrEqual(HISTOGRAM_RELATIVE_ERROR + 1e-9);
        }),
      );
      expect(points).toBeGreaterThan(70);
    } finally {
      await store.close();
    }
  });
});
