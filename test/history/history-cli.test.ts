import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open.js';
import { at, run } from '../store/fixtures.js';
import { runUsageCli } from '../usage/cli-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'modelpin-history-cli-'));
const db = join(dir, 'mp.db');
const OLD = 'sim-chat-2026-01-15';
const BAD = 'sim-chat-2026-11-25';

beforeAll(async () => {
  const store = await openStore({ type: 'sqlite', path: db });
  const days = ['2026-11-21', '2026-11-22', '2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26'];
  for (const d of days) {
    const drifted = d >= '2026-11-25';
    await store.insertEvalRun(
      run({
        id: `stg-${d}`,
        startedAt: at(d),
        servedModels: drifted ? [BAD] : [OLD],
        passed: !drifted,
        passedCases: drifted ? 6 : 10,
      }),
    );
    await store.insertEvalRun(
      run({
        id: `prd-${d}`,
        startedAt: at(d),
        env: 'production',
        target: `sim/${OLD}`,
        servedModels: [OLD],
        costUsd: null,
      }),
    );
  }
  await store.insertEvalRun(run({ id: 'other', startedAt: at('2026-11-26'), route: 'classify', servedModels: [OLD] }));
  await store.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const NOW = Date.parse('2026-11-26T18:00:00Z');

describe('modelpin history', () => {
  it('--json gives day rows in the window and streaks', async () => {
    const r = await runUsageCli(['history', '--store', db, '--route', 'summarize', '--days', '3', '--json'], {
      now: NOW,
      cwd: dir,
    });
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as {
      today: string;
      from: string;
      runs: Array<{ day: string; env: string; passed: boolean; servedModels: string[]; costUsd: number | null }>;
      streaks: {
        routes: Array<{ env: string; days: number }>;
        snapshots: Array<{ servedModel: string; days: number }>;
      };
    };
    expect(j.today).toBe('2026-11-26');
    expect(j.from).toBe('2026-11-24');
    expect(j.runs.map((x) => `${x.day} ${x.env} ${x.passed}`)).toEqual([
      '2026-11-26 production true',
      '2026-11-26 staging false',
      '2026-11-25 production true',
      '2026-11-25 staging false',
      '2026-11-24 production true',
      '2026-11-24 staging true',
    ]);
    expect(j.runs[0]?.costUsd).toBeNull();
    expect(j.streaks.routes.map((s) => [s.env, s.days])).toEqual([
      ['production', 6],
      ['staging', 0],
    ]);
    expect(j.streaks.snapshots.map((s) => [s.servedModel, s.days])).toEqual([
      [OLD, 6],
      [BAD, 0],
    ]);
  });

  it('--today replays an earlier day', async () => {
    const r = await runUsageCli(['history', '--store', db, '--env', 'staging', '--today', '2026-11-24', '--json'], {
      now: NOW,
      cwd: dir,
    });
    const j = JSON.parse(r.out) as { streaks: { routes: Array<{ route: string; days: number }> } };
    expect(j.streaks.routes.map((s) => [s.route, s.days])).toEqual([['summarize', 4]]);
  });

  it('prints a table with pass/fail, cases and streaks', async () => {
    const r = await runUsageCli(['history', '--store', db, '--days', '2'], { now: NOW, cwd: dir });
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/2026-11-26\s+summarize\s+staging\s+sim-chat-2026-11-25\s+FAIL\s+6\/10/);
    expect(r.out).toMatch(/2026-11-26\s+classify\s+staging/);
    expect(r.out).not.toContain('2026-11-24');
    expect(r.out).toMatch(/summarize\s+production\s+6 days/);
    expect(r.out).toMatch(/summarize\s+sim-chat-2026-01-15\s+6 days/);
    expect(r.out).toMatch(/summarize\s+staging\s+0 days\s+2026-11-26 03:00Z\s+2026-11-25, 2026-11-26/);
  });

  it('exits 2 on bad flags or an unreadable store', async () => {
    for (const [args, re] of [
      [['history', '--store', db, '--days', '0'], /--days must be an integer/],
      [['history', '--store', db, '--today', '2026-02-30'], /--today "2026-02-30" is not a calendar date/],
      [['history', '--store', join(dir, 'missing.db')], /does not exist/],
    ] as const) {
      const r = await runUsageCli([...args], { now: NOW, cwd: dir });
      expect(r.code).toBe(2);
      expect(r.err).toMatch(re);
    }
  });
});
