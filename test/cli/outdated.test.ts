import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { registerCatalog } from '../../src/cli/commands/catalog.js';
import { registerLint } from '../../src/cli/commands/lint.js';
import { registerOutdated } from '../../src/cli/commands/outdated.js';
import { ManualClock } from '../../src/core/clock.js';
import type { OutdatedRow } from '../../src/lifecycle/promote/outdated-plan.js';
import { lineOf } from '../../src/lifecycle/promote/outdated-plan.js';
import { openStore } from '../../src/store/open.js';
import { runCli } from '../support/run-cli.js';

const root = join(import.meta.dirname, '..', '..');
const tmp = () => mkdtempSync(join(tmpdir(), 'mp-outdated-'));
const at = (iso: string) => new ManualClock(Date.parse(iso));

function run(args: string[], cwd: string, now = '2026-12-03T09:00:00Z', env: Record<string, string> = {}) {
  return runCli([registerOutdated, registerCatalog], args, { clock: at(now), cwd, env });
}
const rowsOf = (out: string): OutdatedRow[] => (JSON.parse(out) as { rows: OutdatedRow[] }).rows;
const row = (rows: OutdatedRow[], route: string, env: string) => rows.find((r) => r.route === route && r.env === env);

/** Real-provider pins, judged against the shipped catalog on 2026-12-03. */
const REAL = `providers:
  anthropic: { type: anthropic, api_key: "\${ANTHROPIC_API_KEY}" }
  openai: { type: openai, api_key: "\${OPENAI_API_KEY}" }
routes:
  write:
    targets:
      production: anthropic/claude-sonnet-4-5-20250929
      staging: anthropic/claude-sonnet-4-5
  extract:
    targets:
      production: openai/gpt-5-2025-08-07
  tag:
    targets:
      production: openai/gpt-4o-2024-12-01
`;

describe('lineOf', () => {
  it.each([
    ['gpt-4o-2024-11-20', 'gpt-4o'],
    ['claude-sonnet-4-20250514', 'claude-sonnet-4'],
    ['claude-sonnet-4@20250514', 'claude-sonnet-4'],
    ['gemini-2.0-flash-001', 'gemini-2.0-flash'],
    ['mistral-large-2411', 'mistral-large'],
    ['sim-chat-2026-01-15', 'sim-chat'],
  ])('%s is of line %s', (id, line) => expect(lineOf(id)).toBe(line));
  it('an undated id has no line', () => expect(lineOf('claude-sonnet-4-6')).toBeNull());
});

describe('modelpin outdated', () => {
  it('the example config: one row per route and env, days left and the newest snapshot, exit 0', async () => {
    const r = await run(['outdated', '--config', join(root, 'examples', 'models.yml'), '--no-store', '--json'], root);
    expect(r.code).toBe(0);
    const rows = rowsOf(r.out);
    expect(rows.map((x) => `${x.route}/${x.env}`)).toEqual([
      'classify/production',
      'classify/staging',
      'embed/production',
      'summarize/production',
      'summarize/experiment',
      'summarize/staging',
    ]);
    expect(row(rows, 'summarize', 'production')).toMatchObject({
      target: 'sim/sim-chat-2026-01-15',
      status: 'active',
      retiresNotBefore: '2027-01-15',
      state: 'update-available',
      newest: { id: 'sim-chat-2026-12-03', from: 'catalog' },
      due: false,
    });
    expect(row(rows, 'summarize', 'staging')).toMatchObject({
      kind: 'floating',
      pointsTo: 'sim-chat-2026-11-25',
      snapshot: 'sim-chat-2026-11-25',
    });
    const text = await run(['outdated', '--config', join(root, 'examples', 'models.yml'), '--no-store'], root);
    expect(text.out).toMatch(
      /summarize +production +sim\/sim-chat-2026-01-15 +- +update available +>= 2027-01-15 +>= 43 +- +sim-chat-2026-12-03/,
    );
    expect(text.out).toMatch(/6 target\(s\); no production target retires within 90 days/);
  });

  it('real pins: a retired snapshot, one retiring in 8 days, an alias on a retired snapshot, a name not in the catalog; exit 1', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'models.yml'), REAL);
    const r = await run(['outdated', '--json', '--no-store'], dir);
    expect(r.code).toBe(1);
    const rows = rowsOf(r.out);
    expect(row(rows, 'write', 'production')).toMatchObject({
      state: 'retired',
      status: 'retired',
      retires: '2026-11-30',
      daysLeft: -3,
      replacement: 'claude-sonnet-5-5',
      due: true,
    });
    expect(row(rows, 'write', 'staging')).toMatchObject({
      kind: 'floating',
      pointsTo: 'claude-sonnet-4-5-20250929',
      snapshot: 'claude-sonnet-4-5-20250929',
      state: 'retired',
      replacement: 'claude-sonnet-5-5',
    });
    expect(row(rows, 'extract', 'production')).toMatchObject({
      state: 'retiring',
      daysLeft: 8,
      retires: '2026-12-11',
      replacement: 'gpt-6.1-sol',
      due: true,
    });
    expect(row(rows, 'tag', 'production')).toMatchObject({
      state: 'unknown',
      inCatalog: false,
      status: 'unknown',
      due: false,
    });
    expect(JSON.parse(r.out).summary).toEqual({ targets: 4, dueInProduction: 2, due: 3 });
    const text = await run(['outdated', '--no-store'], dir);
    expect(text.out).toMatch(
      /write +production +anthropic\/claude-sonnet-4-5-20250929 +- +retired +2026-11-30 +3 ago +claude-sonnet-5-5/,
    );
    expect(text.out).toMatch(/tag +production +openai\/gpt-4o-2024-12-01 +- +unknown \(not in catalog\)/);
  });

  it('--within and --env decide what is due; only production decides the exit code', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'models.yml'), REAL);
    const narrow = await run(['outdated', '--within', '5d', '--json', '--no-store'], dir);
    expect(row(rowsOf(narrow.out), 'extract', 'production')).toMatchObject({ state: 'deprecated', due: false });
    expect(narrow.code).toBe(1);
    const staging = await run(['outdated', '--env', 'staging', '--json', '--no-store'], dir);
    expect(rowsOf(staging.out).map((x) => x.env)).toEqual(['staging']);
    expect(staging.code).toBe(0);
    const before = await run(['outdated', '--json', '--no-store', '--today', '2026-06-01'], dir);
    expect(before.code).toBe(0);
    expect(row(rowsOf(before.out), 'write', 'production')).toMatchObject({ state: 'deprecated', daysLeft: 182 });
  });

  it('markdown and github formats for a nightly workflow', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'models.yml'), REAL);
    const md = await run(['outdated', '--format', 'markdown', '--no-store'], dir);
    const lines = md.out.split('\n');
    expect(lines[0]).toBe('| Route | Env | Target | Serves | Status | Retires | Days left | Replacement | Newest |');
    expect(lines[1]).toBe('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
    expect(md.out).toContain(
      '| write | production | `anthropic/claude-sonnet-4-5-20250929` | - | retired | 2026-11-30 | 3 ago | `claude-sonnet-5-5` | - |',
    );
    expect(md.code).toBe(1);
    const gh = await run(['outdated', '--format', 'github', '--no-store'], dir);
    const ann = gh.out.split('\n');
    expect(ann).toContain(
      '::error file=models.yml,line=7,col=7,title=modelpin outdated::routes.write.targets.production: anthropic/claude-sonnet-4-5-20250929 is retired since 2026-11-30; replacement: claude-sonnet-5-5',
    );
    expect(ann).toContain(
      '::warning file=models.yml,line=8,col=7,title=modelpin outdated::routes.write.targets.staging: anthropic/claude-sonnet-4-5 (serves claude-sonnet-4-5-20250929) is retired since 2026-11-30; replacement: claude-sonnet-5-5',
    );
    expect(
      ann.some(
        (l) =>
          l.startsWith('::error file=models.yml,line=11,') &&
          l.includes('retires on 2026-12-11 (8 days); replacement: gpt-6.1-sol'),
      ),
    ).toBe(true);
    expect(ann.some((l) => l.includes('gpt-4o-2024-12-01'))).toBe(false);
  });

  it('bad flags and files are usage errors (exit 2)', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'models.yml'), REAL);
    expect((await run(['outdated', '--within', 'soon'], dir)).code).toBe(2);
    expect((await run(['outdated', '--format', 'xml'], dir)).code).toBe(2);
    expect((await run(['outdated', '--today', '2026-13-01'], dir)).code).toBe(2);
    const noEnv = await run(['outdated', '--env', 'qa', '--no-store'], dir);
    expect(noEnv.code).toBe(2);
    expect(noEnv.err).toMatch(/no route has a target for --env qa/);
    expect((await run(['outdated', '--config', 'missing.yml'], dir)).code).toBe(2);
  });

  it("adds what an alias actually serves now from the store, and judges the served snapshot's lifecycle", async () => {
    const dir = tmp();
    writeFileSync(
      join(dir, 'models.yml'),
      'providers:\n  sim: { type: simulator }\nstore: { type: sqlite, path: ./mp.db }\nroutes:\n  summarize:\n    targets: { production: sim/sim-chat-2026-01-15, staging: sim/sim-chat-latest }\n',
    );
    const none = await run(['outdated', '--json'], dir, '2026-12-12T09:00:00Z');
    expect(JSON.parse(none.out).served).toBe('no store yet: served models unknown');
    const store = await openStore({ type: 'sqlite', path: join(dir, 'mp.db') });
    await store.observeServed({
      target: 'sim/sim-chat-latest',
      servedModel: 'sim-chat-2025-06-01',
      fingerprint: null,
      lastSeen: Date.parse('2026-12-12T08:00:00Z'),
    });
    await store.close();
    const r = await run(['outdated', '--json'], dir, '2026-12-12T09:00:00Z');
    const staging = row(rowsOf(r.out), 'summarize', 'staging');
    expect(staging).toMatchObject({
      pointsTo: 'sim-chat-2026-12-10',
      served: { model: 'sim-chat-2025-06-01', lastSeen: '2026-12-12T08:00:00.000Z' },
      snapshot: 'sim-chat-2025-06-01',
      state: 'retired',
    });
    expect(staging?.statusBasis).toMatch(/the served model/);
    const text = await run(['outdated'], dir, '2026-12-12T09:00:00Z');
    expect(text.out).toMatch(/summarize +staging +sim\/sim-chat-latest +sim-chat-2025-06-01 \(served\) +retired/);
    expect(text.out).toMatch(/served models from the store \(1 target\(s\) seen\)/);
    expect((await run(['outdated', '--json', '--no-store'], dir, '2026-12-12T09:00:00Z')).out).not.toContain(
      '"served": {',
    );
  });

  it('catalog refresh against the simulator records a new and a vanished snapshot, and outdated then shows them', async () => {
    const dir = tmp();
    writeFileSync(
      join(dir, 'models.yml'),
      'providers:\n  sim: { type: simulator, scenario: releases, fast: true }\nroutes:\n  classify:\n    targets: { production: sim/sim-mini-2026-03-01 }\n  summarize:\n    targets: { production: sim/sim-chat-2026-01-15, staging: sim/sim-chat-2026-11-25 }\n',
    );
    expect((await run(['catalog', 'refresh'], dir, '2026-12-03T09:00:00Z')).code).toBe(0);
    const before = rowsOf((await run(['outdated', '--json', '--no-store'], dir, '2026-12-11T09:00:00Z')).out);
    expect(row(before, 'classify', 'production')?.newest).toBeUndefined();
    const refreshed = await run(['catalog', 'refresh'], dir, '2026-12-11T09:00:00Z');
    expect(refreshed.out).toMatch(
      /sim \(simulator\): \d+ model\(s\) listed; new: sim-chat-2026-12-10, sim-mini-2026-12-10; vanished: sim-chat-2026-11-25/,
    );
    const after = await run(['outdated', '--no-store', '--json'], dir, '2026-12-11T09:00:00Z');
    const rows = rowsOf(after.out);
    expect(row(rows, 'classify', 'production')).toMatchObject({
      state: 'update-available',
      newest: { id: 'sim-mini-2026-12-10', from: 'listing' },
    });
    expect(row(rows, 'summarize', 'staging')).toMatchObject({
      state: 'retired',
      statusBasis: 'no longer listed by sim since 2026-12-11',
      unlistedSince: '2026-12-11',
    });
    expect(row(rows, 'summarize', 'staging')?.retiresNotBefore).toBeUndefined();
    expect(row(rows, 'summarize', 'production')).toMatchObject({
      newest: { id: 'sim-chat-2026-12-10', from: 'catalog' },
    });
    const lint = await runCli([registerLint], ['lint', '--today', '2026-12-11', '--format', 'json'], {
      clock: at('2026-12-11T09:00:00Z'),
      cwd: dir,
      env: {},
    });
    const retired = (JSON.parse(lint.out) as { findings: Array<{ rule: string; message: string }> }).findings.filter(
      (f) => f.rule === 'retired-model',
    );
    expect(retired.map((f) => f.message)).toEqual([
      'routes.summarize: staging target sim/sim-chat-2026-11-25 is retired (no longer listed by sim since 2026-12-11); calls will fail; no replacement named in the catalog',
    ]);
    expect(lint.code).toBe(1);
    const text = await run(['outdated', '--no-store'], dir, '2026-12-11T09:00:00Z');
    expect(text.out).toMatch(/classify +production +sim\/sim-mini-2026-03-01 .* sim-mini-2026-12-10 \(listed\)/);
    expect(text.out).toMatch(/summarize +staging +sim\/sim-chat-2026-11-25 +- +retired +unlisted 2026-12-11 +today/);
  });
});
