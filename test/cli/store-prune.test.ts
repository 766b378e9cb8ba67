/** `modelpin store prune`: dry run, real run (audited), --json, --older-than/--only, bad input, --help, PostgreSQL. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { registerStore } from '../../src/cli/commands/store.js';
import type { PruneReport } from '../../src/cli/commands/store-prune.js';
import { ManualClock } from '../../src/core/clock.js';
import { openStore } from '../../src/store/open.js';
import type { StoreConfig } from '../../src/config/schema.js';
import type { Store } from '../../src/store/types.js';
import { PG_URL, T0, dropPgSchema, pgSchemaName, run, usage } from '../store/fixtures.js';
import { runCli, type CliResult } from '../support/run-cli.js';

const D = 86_400_000;
const NOW = T0;
const dir = mkdtempSync(join(tmpdir(), 'modelpin-store-prune-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cli(args: string[], cwd = dir): Promise<CliResult> {
  return runCli([registerStore], args, { clock: new ManualClock(NOW), cwd, env: { NO_COLOR: '1', USER: 'ana' } });
}

const pair = (ts: number) => ({
  ts,
  route: 'summarize',
  primaryTarget: 'sim/a',
  candidateTarget: 'sim/b',
  primaryServedModel: null,
  candidateServedModel: null,
  primaryText: 'p',
  candidateText: 'c',
  primaryTokens: 1,
  candidateTokens: 1,
  primaryLatencyMs: 1,
  candidateLatencyMs: 1,
  assertions: {},
  candidateError: null,
});

/** 3 usage rows past 90d (one exactly at the cutoff, kept), 2 recent; shadow pairs 20d and 1d old; sentinel events 400d and 10d old; an eval run 500d old. */
async function seed(store: Store): Promise<void> {
  // Raw rows only: these tests are about pruning rows by age (rollup grains are pruned in test/store/rollups.test.ts).
  await store.writeUsage({
    rollups: [],
    records: [
      usage({ ts: NOW - 200 * D }),
      usage({ ts: NOW - 91 * D }),
      usage({ ts: NOW - 90 * D - 1 }),
      usage({ ts: NOW - 90 * D }),
      usage({ ts: NOW - D }),
    ],
  });
  await store.insertShadowPair(pair(NOW - 20 * D));
  await store.insertShadowPair(pair(NOW - D));
  await store.insertSentinelEvent({
    ts: NOW - 400 * D,
    route: 'summarize',
    target: 'sim/x',
    kind: 'alias_moved',
    previous: null,
    current: 'a',
  });
  await store.insertSentinelEvent({
    ts: NOW - 10 * D,
    route: 'summarize',
    target: 'sim/x',
    kind: 'alias_moved',
    previous: 'a',
    current: 'b',
  });
  await store.insertEvalRun(run({ id: 'ancient', startedAt: NOW - 500 * D }));
}

async function counts(
  cfg: StoreConfig,
  baseDir = dir,
): Promise<{
  usage: number;
  shadow: number;
  sentinel: number;
  evals: number;
  audit: Array<{ action: string; actor: string; detail: Record<string, unknown> }>;
}> {
  const store = await openStore(cfg, { baseDir });
  try {
    return {
      usage: await store.countUsage({}),
      shadow: (await store.listShadowPairs()).length,
      sentinel: (await store.listSentinelEvents()).length,
      evals: (await store.listEvalRuns({})).length,
      audit: await store.listAudit(),
    };
  } finally {
    await store.close();
  }
}

let n = 0;
/** A fresh seeded SQLite store and a models.yml naming it (with `retention` when given). */
async function fresh(retention?: string): Promise<{ cfg: StoreConfig; db: string; yml: string }> {
  const db = join(dir, `s${++n}.db`);
  const cfg: StoreConfig = { type: 'sqlite', path: db };
  const store = await openStore(cfg);
  await seed(store);
  await store.close();
  const yml = join(dir, `m${n}.yml`);
  writeFileSync(yml, `version: 1\nstore:\n  type: sqlite\n  path: ${db}\n${retention ?? ''}`);
  return { cfg, db, yml };
}

describe('modelpin store prune', () => {
  it('--dry-run counts per table with the default retention and deletes nothing', async () => {
    const { cfg, db } = await fresh();
    const r = await cli(['store', 'prune', '--store', db, '--dry-run', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as PruneReport;
    expect(j.dryRun).toBe(true);
    expect(j.store).toBe(`SQLite ${db}`);
    expect(j.now).toBe(new Date(NOW).toISOString());
    expect(j.tables).toEqual({
      usage: { retention: '90d', before: new Date(NOW - 90 * D).toISOString(), rows: 3 },
      usage_minutes: { retention: '14d', before: new Date(NOW - 14 * D).toISOString(), rows: 0 },
      usage_hours: { retention: '90d', before: new Date(NOW - 90 * D).toISOString(), rows: 0 },
      usage_days: { retention: '400d', before: new Date(NOW - 400 * D).toISOString(), rows: 0 },
      shadow_pairs: { retention: '14d', before: new Date(NOW - 14 * D).toISOString(), rows: 1 },
      sentinel_events: { retention: '365d', before: new Date(NOW - 365 * D).toISOString(), rows: 1 },
      eval_runs: { retention: 'never', before: null, rows: 0 },
    });
    expect(j.total).toBe(5);
    const after = await counts(cfg);
    expect([after.usage, after.shadow, after.sentinel, after.evals]).toEqual([5, 2, 2, 1]);
    expect(after.audit).toEqual([]);

    const human = await cli(['store', 'prune', '--store', db, '--dry-run']);
    expect(human.code).toBe(0);
    expect(human.out).toContain(`Dry run: rows to prune in SQLite ${db}`);
    expect(human.out).toMatch(/table\s+keep\s+older than\s+would delete/);
    expect(human.out).toMatch(/usage\s+90d\s+\S+\s+3/);
    expect(human.out).toMatch(/eval_runs\s+never\s+-\s+kept/);
    expect(human.out).toContain('5 rows would be deleted.');
    expect(human.out).toContain('Nothing was deleted');
  });

  it('prunes with the retention from models.yml, prints the counts and audits them', async () => {
    const { cfg, yml } = await fresh(
      '  retention:\n    usage: 30d\n    shadow_pairs: 2w\n    sentinel_events: never\n',
    );
    const r = await cli(['store', 'prune', '--config', yml]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^Pruned SQLite /);
    expect(r.out).toMatch(/usage\s+30d\s+\S+\s+4/);
    expect(r.out).toMatch(/shadow_pairs\s+2w\s+\S+\s+1/);
    expect(r.out).toMatch(/sentinel_events\s+never\s+-\s+kept/);
    expect(r.out).toContain('5 rows deleted. The audit log is never pruned.');
    const after = await counts(cfg);
    expect([after.usage, after.shadow, after.sentinel, after.evals]).toEqual([1, 1, 2, 1]);
    expect(after.audit).toHaveLength(1);
    expect(after.audit[0]).toMatchObject({
      action: 'store.prune',
      actor: 'ana',
      detail: {
        deleted: { usage: 4, shadow_pairs: 1 },
        total: 5,
        before: { usage: new Date(NOW - 30 * D).toISOString(), sentinel_events: null },
      },
    });

    // Nothing left to prune: still a clean run, and audited again.
    const again = JSON.parse(
      (await cli(['store', 'prune', '--config', yml, '--json', '--actor', 'cron'])).out,
    ) as PruneReport;
    expect(again.total).toBe(0);
    expect((await counts(cfg)).audit[0]).toMatchObject({ action: 'store.prune', actor: 'cron', detail: { total: 0 } });
  });

  it('--older-than replaces the ages, --only narrows the tables (and can reach eval runs)', async () => {
    const { cfg, db } = await fresh();
    const j = JSON.parse(
      (await cli(['store', 'prune', '--store', db, '--older-than', '15d', '--only', 'usage,shadow_pairs', '--json']))
        .out,
    ) as PruneReport;
    expect(j.dryRun).toBe(false);
    expect(j.tables).toEqual({
      usage: { retention: '15d', before: new Date(NOW - 15 * D).toISOString(), rows: 4 },
      shadow_pairs: { retention: '15d', before: new Date(NOW - 15 * D).toISOString(), rows: 1 },
    });
    let after = await counts(cfg);
    expect([after.usage, after.shadow, after.sentinel, after.evals]).toEqual([1, 1, 2, 1]);

    const evals = JSON.parse(
      (await cli(['store', 'prune', '--store', db, '--only', 'eval_runs', '--older-than', '400d', '--json'])).out,
    ) as PruneReport;
    expect(evals.tables).toEqual({
      eval_runs: { retention: '400d', before: new Date(NOW - 400 * D).toISOString(), rows: 1 },
    });
    after = await counts(cfg);
    expect(after.evals).toBe(0);
    expect(after.sentinel).toBe(2);
  });

  it('exits 2 with one clear line on bad input, before touching the store', async () => {
    const { cfg, db } = await fresh();
    const bad: Array<[string[], RegExp]> = [
      [
        ['store', 'prune', '--store', db, '--older-than', '90m'],
        /--older-than "90m": expected a duration in hours, days or weeks, e\.g\. 36h, 30d, 2w/,
      ],
      [['store', 'prune', '--store', db, '--older-than', 'never'], /--older-than "never"/],
      [['store', 'prune', '--store', db, '--only', 'audit'], /--only audit: the audit log is never pruned/],
      [['store', 'prune', '--store', db, '--only', 'usage,logs'], /--only "logs" is not a prunable table/],
      [['store', 'prune', '--store', join(dir, 'missing.db')], /cannot read store: store .*missing\.db does not exist/],
      [['store', 'prune', '--store', ' '], /--store needs a SQLite file path or a postgres:\/\/ URL/],
      [['store', 'prune', '--config', join(dir, 'nope.yml')], /not found/],
      [['store', 'prune', '--store', db, '--bogus'], /unknown option '--bogus'/],
    ];
    for (const [args, msg] of bad) {
      const r = await cli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err, args.join(' ')).toMatch(msg);
      expect(r.out).toBe('');
    }
    const emptyDir = mkdtempSync(join(tmpdir(), 'modelpin-store-prune-empty-'));
    try {
      const r = await cli(['store', 'prune'], emptyDir);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/no models\.yml in .*; pass --config <file> or --store/);
    } finally {
      rmSync(emptyDir, { recursive: true, force: true });
    }
    const badYml = join(dir, 'bad-retention.yml');
    writeFileSync(badYml, `store:\n  type: sqlite\n  path: ${db}\n  retention:\n    usage: 3 months\n`);
    const r = await cli(['store', 'prune', '--config', badYml]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(
      /bad-retention\.yml:5:\d+: store\.retention\.usage: expected a duration in hours, days or weeks/,
    );
    const after = await counts(cfg);
    expect([after.usage, after.shadow, after.sentinel, after.evals, after.audit.length]).toEqual([5, 2, 2, 1, 0]);
  });

  it('--help shows the options, the defaults and examples', async () => {
    const r = await cli(['store', 'prune', '--help']);
    expect(r.code).toBe(0);
    for (const s of [
      '--dry-run',
      '--older-than <age>',
      '--only <tables>',
      '--store <path|url>',
      '--json',
      'usage 90d, usage_minutes 14d, usage_hours 90d, usage_days 400d, shadow_pairs 14d, sentinel_events 365d, eval_runs never',
      'The audit log is never pruned',
      'unless --only names it',
      'Examples:',
      'modelpin store prune --dry-run',
    ]) {
      expect(r.out).toContain(s);
    }
    const group = await cli(['store', '--help']);
    expect(group.code).toBe(0);
    expect(group.out).toMatch(/prune \[options\]\s+delete rows older than their retention/);
  });

  it('prunes a PostgreSQL store given by URL', async () => {
    const schema = pgSchemaName('mp_prune_cli');
    const url = `${PG_URL}?schema=${schema}`;
    const cfg: StoreConfig = { type: 'postgres', url };
    try {
      const store = await openStore(cfg);
      await seed(store);
      await store.close();
      const dry = JSON.parse((await cli(['store', 'prune', '--store', url, '--dry-run', '--json'])).out) as PruneReport;
      expect(dry.total).toBe(5);
      const r = await cli(['store', 'prune', '--store', url, '--json']);
      expect(r.code, r.err).toBe(0);
      const j = JSON.parse(r.out) as PruneReport;
      expect(j.store).not.toContain('schema=');
      expect(Object.fromEntries(Object.entries(j.tables).map(([k, t]) => [k, t.rows]))).toEqual({
        usage: 3,
        usage_minutes: 0,
        usage_hours: 0,
        usage_days: 0,
        shadow_pairs: 1,
        sentinel_events: 1,
        eval_runs: 0,
      });
      const after = await counts(cfg);
      expect([after.usage, after.shadow, after.sentinel, after.evals]).toEqual([2, 1, 1, 1]);
      expect(after.audit[0]).toMatchObject({ action: 'store.prune', detail: { total: 5 } });
    } finally {
      await dropPgSchema(schema);
    }
  });
});
