/**
 * Store reads at production scale (not a test). Fills a store with the rollups of a month of traffic
 * (default 10 million requests over 30 days: 20 routes × 5 versions × 3 arms) straight through
 * `Store.writeUsage`, as the gateway's writer would have, then times the reads that used to load
 * every row:
 *   - `modelpin usage --since 30d` and `--since 30d --interval 1h`, run as the real CLI in a child
 *     process, with wall time and peak RSS from /usr/bin/time;
 *   - one dashboard API refresh (usage + state views) over 24 h and 30 d;
 *   - the canary controller's evaluation of one canary with 10 thousand and with 10 million requests
 *     in its current step.
 * Load average at the start and end is printed: on a shared machine, compare CPU figures, not wall.
 * Build first, then run:
 *   npm run build && npx tsx bench/store-scale.ts [--requests 10000000] [--minute-days 2] [--runs 5] [--pg]
 * --pg uses PostgreSQL (MODELPIN_BENCH_PG_URL, default the local test server) in a schema of its own
 * (named MODELPIN_BENCH_PG_SCHEMA_PREFIX_<pid>, default mp_scale_<pid>), dropped at the end. Rows in the store depend on groups × buckets, not on --requests: that flag only
 * changes the counts inside each bucket.
 * To iterate on the reads without filling again: --keep keeps the SQLite file or the PostgreSQL schema
 * (its path or name is printed), then --db <file> or --pg --schema <name> measures it again.
 * bench/usage-read-breakdown.ts splits the `--interval 1h` read of a kept PostgreSQL schema into parts.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { seededRandom } from '../src/core/random.js';
import { stateView, usageView } from '../src/dashboard/api.js';
import { canaryStatus } from '../src/lifecycle/canary/ops.js';
import { addValue } from '../src/store/histogram.js';
import { openStore } from '../src/store/open.js';
import {
  DAY_MS,
  HOUR_MS,
  MINUTE_MS,
  emptySums,
  mergeSums,
  type RollupGrain,
  type UsageRollup,
} from '../src/store/rollup.js';
import type { CanaryArm, CanaryRecord, Store } from '../src/store/types.js';
import { CLI, median, numberFlag } from './harness.js';

const args = process.argv.slice(2);
const REQUESTS = numberFlag(args, '--requests', 10_000_000);
const MINUTE_DAYS = numberFlag(args, '--minute-days', 2);
const RUNS = numberFlag(args, '--runs', 5);
const PG = args.includes('--pg');
/** Keep the SQLite file (and print its path) to query it again. */
const KEEP = args.includes('--keep');
/** Measure a SQLite file filled (and kept) by an earlier run instead of filling a new one. */
const REUSE = args.includes('--db') ? args[args.indexOf('--db') + 1] : undefined;
const PG_URL = process.env.MODELPIN_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const DAYS = 30;
const ROUTES = 20;
const VERSIONS = 5;
const ARMS: CanaryArm[] = ['stable', 'canary', 'shadow'];
/** Latencies sampled per bucket to shape its histogram; counts are scaled to the bucket's requests. */
const SAMPLES_PER_BUCKET = 200;

const rng = seededRandom(9);
const NOW = Math.floor(Date.UTC(2026, 11, 1, 12, 0, 0) / MINUTE_MS) * MINUTE_MS + 17 * MINUTE_MS + 23_000;
const START = NOW - DAYS * DAY_MS;

function normal(): number {
  return Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
}

interface Group {
  route: string;
  target: string;
  servedModel: string;
  arm: CanaryArm;
  /** Requests per hour. */
  rate: number;
  medianMs: number;
}

/** A bucket's rollup: `n` requests with latencies drawn around the group's median. */
function bucket(g: Group, grain: RollupGrain, start: number, n: number): UsageRollup {
  const s = emptySums();
  const k = Math.min(n, SAMPLES_PER_BUCKET);
  for (let i = 0; i < k; i++) {
    const lat = g.medianMs * Math.exp(0.5 * normal());
    // Spread n over k samples exactly: the first n % k samples carry one more.
    addValue(s.latency, lat, Math.floor(n / k) + (i < n % k ? 1 : 0));
    s.latencyMinMs = Math.min(s.latencyMinMs ?? Infinity, lat);
    s.latencyMaxMs = Math.max(s.latencyMaxMs ?? -Infinity, lat);
    if (i % 3 === 0) addValue(s.ttft, lat / 4, Math.floor(n / k));
  }
  s.requests = n;
  s.errors = Math.round(n * 0.01);
  s.versionErrors = Math.round(n * 0.015);
  s.inputTokens = n * 420;
  s.outputTokens = n * 130;
  s.cachedTokens = n * 50;
  s.pricedRequests = n;
  s.costUsd = n * 0.0011;
  s.formatChecked = Math.round(n * 0.2);
  s.formatValid = Math.round(n * 0.198);
  s.firstTs = start;
  s.lastTs = start + grain - 1;
  s.lastOkTs = start + grain - 1;
  return {
    grain,
    bucketStart: start,
    route: g.route,
    env: 'production',
    target: g.target,
    servedModel: g.servedModel,
    arm: g.arm,
    clientKeyId: null,
    ...s,
  };
}

/**
 * Hour and day rollups for the whole month, minute rollups for the last MINUTE_DAYS days, written hour
 * by hour across all groups: the order a gateway writes them in, so rows of one time range sit together.
 */
function* rollupsFor(groups: readonly Group[]): Generator<UsageRollup[]> {
  const minuteFrom = NOW - MINUTE_DAYS * DAY_MS;
  const days = new Map<Group, UsageRollup>();
  for (let h = Math.floor(START / HOUR_MS) * HOUR_MS; h <= NOW; h += HOUR_MS) {
    const out: UsageRollup[] = [];
    const d = Math.floor(h / DAY_MS) * DAY_MS;
    for (const g of groups) {
      const n = Math.max(0, Math.round(g.rate * (0.6 + 0.8 * rng.next())));
      if (n === 0) continue;
      if (h + HOUR_MS > minuteFrom) {
        for (let m = 0; m < 60; m++) {
          const nm = Math.floor(n / 60) + (m < n % 60 ? 1 : 0);
          if (nm > 0 && h + m * MINUTE_MS >= minuteFrom) out.push(bucket(g, MINUTE_MS, h + m * MINUTE_MS, nm));
        }
      }
      const hr = bucket(g, HOUR_MS, h, n);
      out.push(hr);
      let day = days.get(g);
      if (day && day.bucketStart !== d) {
        out.push(day);
        day = undefined;
      }
      if (!day) {
        day = { ...hr, ...emptySums(), grain: DAY_MS, bucketStart: d };
        days.set(g, day);
      }
      mergeSums(day, hr);
    }
    yield out;
  }
  yield [...days.values()];
}

async function fill(store: Store, groups: readonly Group[]): Promise<number> {
  let rows = 0;
  for (const batch of rollupsFor(groups)) {
    for (let i = 0; i < batch.length; i += 5000)
      await store.writeUsage({ records: [], rollups: batch.slice(i, i + 5000) });
    rows += batch.length;
  }
  return rows;
}

/** Wall ms of one call; its CPU ms (this process only: PostgreSQL's own work is not in it) go to `cpu`. */
async function timeIt(fn: () => Promise<unknown>, cpu: number[] = []): Promise<number> {
  const t = performance.now();
  const c = process.cpuUsage();
  await fn();
  const u = process.cpuUsage(c);
  cpu.push((u.user + u.system) / 1000);
  return performance.now() - t;
}

/** The real CLI in a child process: wall seconds, CPU seconds (user + system) and peak RSS (MB) from GNU time. */
function cli(storeArg: string, extra: string[]): { wallS: number; cpuS: number; rssMb: number } {
  const r = spawnSync(
    '/usr/bin/time',
    [
      '-f',
      'MPTIME %e %M %U %S',
      process.execPath,
      CLI,
      'usage',
      '--store',
      storeArg,
      '--since',
      '30d',
      '--json',
      ...extra,
    ],
    {
      encoding: 'utf8',
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, MODELPIN_NOW: new Date(NOW).toISOString() },
    },
  );
  if (r.status !== 0) throw new Error(`usage ${extra.join(' ')} failed: ${r.stderr}`);
  const m = /MPTIME ([\d.]+) (\d+) ([\d.]+) ([\d.]+)/.exec(r.stderr);
  return { wallS: Number(m?.[1]), rssMb: Number(m?.[2]) / 1024, cpuS: Number(m?.[3]) + Number(m?.[4]) };
}

/** Node and CLI startup alone, for reference: on a loaded machine it is most of a short command's wall time. */
function cliVersion(): { wallS: number; cpuS: number; rssMb: number } {
  const r = spawnSync('/usr/bin/time', ['-f', 'MPTIME %e %M %U %S', process.execPath, CLI, '--version'], {
    encoding: 'utf8',
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const m = /MPTIME ([\d.]+) (\d+) ([\d.]+) ([\d.]+)/.exec(r.stderr);
  return { wallS: Number(m?.[1]), rssMb: Number(m?.[2]) / 1024, cpuS: Number(m?.[3]) + Number(m?.[4]) };
}

function groupsOf(requests: number): Group[] {
  const out: Group[] = [];
  const perGroupHour = requests / (ROUTES * VERSIONS * ARMS.length) / (DAYS * 24);
  for (let r = 0; r < ROUTES; r++) {
    for (let v = 0; v < VERSIONS; v++) {
      for (const arm of ARMS) {
        out.push({
          route: `route-${r}`,
          target: `sim/model-${v}`,
          servedModel: `model-${v}-2026-0${v + 1}-01`,
          arm,
          rate: perGroupHour,
          medianMs: 200 + 150 * v,
        });
      }
    }
  }
  return out;
}

/** Two canaries: one whose step holds ~10k requests (the last hour), one with ~10M (the whole month). */
function canaryGroups(): { groups: Group[]; records: CanaryRecord[] } {
  const mk = (route: string, stepStartedAt: number): CanaryRecord => ({
    route,
    env: 'production',
    stable: 'sim/model-0',
    candidate: 'sim/model-1',
    percent: 50,
    ramp: [50, 100],
    stepIndex: 0,
    holdMs: 40 * DAY_MS,
    stickyBy: null,
    guards: { min_samples: 100 },
    status: 'running',
    reason: null,
    startedAt: stepStartedAt,
    stepStartedAt,
    updatedAt: stepStartedAt,
  });
  const big = 10_000_000 / 2 / (DAYS * 24);
  return {
    groups: [
      { route: 'canary-big', target: 'sim/model-0', servedModel: 'model-0', arm: 'stable', rate: big, medianMs: 200 },
      { route: 'canary-big', target: 'sim/model-1', servedModel: 'model-1', arm: 'canary', rate: big, medianMs: 220 },
      // ~10k requests in the last hour's step (and little before it).
      {
        route: 'canary-small',
        target: 'sim/model-0',
        servedModel: 'model-0',
        arm: 'stable',
        rate: 5_000 / 1.0,
        medianMs: 200,
      },
      {
        route: 'canary-small',
        target: 'sim/model-1',
        servedModel: 'model-1',
        arm: 'canary',
        rate: 5_000 / 1.0,
        medianMs: 220,
      },
    ],
    records: [mk('canary-big', START), mk('canary-small', NOW - HOUR_MS)],
  };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'modelpin-scale-'));
  // --schema NAME: measure a PostgreSQL schema filled (and kept) by an earlier run.
  const reuseSchema = args.includes('--schema') ? args[args.indexOf('--schema') + 1] : undefined;
  const schema = reuseSchema ?? `${process.env.MODELPIN_BENCH_PG_SCHEMA_PREFIX ?? 'mp_scale'}_${process.pid}`;
  const reuse = REUSE !== undefined || reuseSchema !== undefined;
  const file = REUSE ?? join(dir, 'scale.db');
  const storeArg = PG ? `${PG_URL}?schema=${schema}` : file;
  const store = PG
    ? await openStore({ type: 'postgres', url: PG_URL }, { schema })
    : await openStore({ type: 'sqlite', path: file });
  try {
    const groups = groupsOf(REQUESTS);
    const canaries = canaryGroups();
    const t0 = performance.now();
    const rows = reuse ? NaN : await fill(store, [...groups, ...canaries.groups.slice(0, 2)]);
    // The small canary: traffic only in its step (the last hour).
    let small = 0;
    for (const g of reuse ? [] : canaries.groups.slice(2)) {
      const b = bucket(g, MINUTE_MS, NOW - 30 * MINUTE_MS, 5_000);
      const hourRow = {
        ...b,
        grain: HOUR_MS as RollupGrain,
        bucketStart: Math.floor(b.bucketStart / HOUR_MS) * HOUR_MS,
      };
      const dayRow = { ...b, grain: DAY_MS as RollupGrain, bucketStart: Math.floor(b.bucketStart / DAY_MS) * DAY_MS };
      await store.writeUsage({ records: [], rollups: [b, hourRow, dayRow] });
      small += 3;
    }
    for (const c of canaries.records) await store.putCanary(c);
    const fillS = (performance.now() - t0) / 1000;
    console.log(
      `${PG ? 'PostgreSQL' : 'SQLite'}: ${(REQUESTS / 1e6).toFixed(0)}M requests over ${DAYS} days as ${rows + small} rollup rows (${groups.length} groups; minutes kept ${MINUTE_DAYS} days), filled in ${fillS.toFixed(1)} s`,
    );

    const usage30: Array<{ wallS: number; cpuS: number; rssMb: number }> = [];
    const usage1h: Array<{ wallS: number; cpuS: number; rssMb: number }> = [];
    const startup: Array<{ wallS: number; cpuS: number; rssMb: number }> = [];
    const dash24: number[] = [];
    const dash30: number[] = [];
    const dash24Cpu: number[] = [];
    const dash30Cpu: number[] = [];
    const canBig: number[] = [];
    const canSmall: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      // Interleaved, so a busy minute on the shared machine hits every measurement alike.
      startup.push(cliVersion());
      usage30.push(cli(storeArg, []));
      usage1h.push(cli(storeArg, ['--interval', '1h']));
      dash24.push(
        await timeIt(
          () =>
            Promise.all([
              usageView(store, NOW, { sinceMs: NOW - DAY_MS, window: '24h', by: 'served-model' }),
              stateView(store, NOW, { sinceMs: NOW - DAY_MS, window: '24h', audit: 50 }),
            ]),
          dash24Cpu,
        ),
      );
      dash30.push(
        await timeIt(
          () =>
            Promise.all([
              usageView(store, NOW, { sinceMs: NOW - 30 * DAY_MS, window: '30d', by: 'served-model' }),
              stateView(store, NOW, { sinceMs: NOW - 30 * DAY_MS, window: '30d', audit: 50 }),
            ]),
          dash30Cpu,
        ),
      );
      canBig.push(await timeIt(() => canaryStatus(store, canaries.records[0] as CanaryRecord, NOW)));
      canSmall.push(await timeIt(() => canaryStatus(store, canaries.records[1] as CanaryRecord, NOW)));
    }
    const big = await canaryStatus(store, canaries.records[0] as CanaryRecord, NOW);
    const sm = await canaryStatus(store, canaries.records[1] as CanaryRecord, NOW);
    const f = (x: number): string => x.toFixed(1);
    console.log(
      `medians of ${RUNS} interleaved runs (load average ${loadavg()
        .map((x) => x.toFixed(1))
        .join(' ')}):`,
    );
    const line = (name: string, xs: Array<{ wallS: number; cpuS: number; rssMb: number }>): string =>
      `  ${name.padEnd(32)} ${f(median(xs.map((u) => u.wallS * 1000)))} ms wall, ${f(median(xs.map((u) => u.cpuS * 1000)))} ms CPU, ${f(median(xs.map((u) => u.rssMb)))} MB peak RSS (max ${f(Math.max(...xs.map((u) => u.rssMb)))})`;
    console.log(line('modelpin --version (startup)', startup));
    console.log(line('usage --since 30d', usage30));
    console.log(line('usage --since 30d --interval 1h', usage1h));
    console.log(
      `  dashboard refresh (usage+state), 24h window  ${f(median(dash24))} ms wall, ${f(median(dash24Cpu))} ms CPU in this process`,
    );
    console.log(
      `  dashboard refresh (usage+state), 30d window  ${f(median(dash30))} ms wall, ${f(median(dash30Cpu))} ms CPU in this process`,
    );
    console.log(
      `  canary evaluation, ${big.stable.samples + big.canary.samples} requests in the step  ${f(median(canBig))} ms`,
    );
    console.log(
      `  canary evaluation, ${sm.stable.samples + sm.canary.samples} requests in the step  ${f(median(canSmall))} ms`,
    );
  } finally {
    await store.close();
    if (KEEP || REUSE) console.log(PG ? `kept schema ${schema}` : `kept ${file}`);
    else rmSync(dir, { recursive: true, force: true });
    if (PG && !KEEP && !reuseSchema) {
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await c.end();
    }
  }
}

await main();
