import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { registerPin } from '../../src/cli/commands/pin.js';
import { ManualClock } from '../../src/core/clock.js';
import { openStore } from '../../src/store/open.js';
import { usage } from '../store/fixtures.js';
import { runCli, type CliResult } from '../support/run-cli.js';

const MON = Date.UTC(2026, 10, 23, 10);
const PLAIN = `# Our models, in the plain shape many teams keep
providers:
  sim: { type: simulator, scenario: default }
models:
  summarize:
    production: sim/sim-chat-latest     # prod followed the alias until today
    staging: sim/sim-chat-latest
    last_validated: 2026-11-20
  classify:
    production: { model: sim-mini-latest, provider: sim, params: { temperature: 0 } }
    fallback: [sim/sim-chat-latest]
    last_validated: 2026-11-20
store: { type: sqlite, path: .modelpin/state.db }
`;

function workspace(text = PLAIN): string {
  const dir = mkdtempSync(join(tmpdir(), 'mp-pin-'));
  writeFileSync(join(dir, 'models.yml'), text);
  return dir;
}

function pin(args: string[], cwd: string, now = MON): Promise<CliResult> {
  return runCli([registerPin], ['pin', ...args], { clock: new ManualClock(now), cwd, env: { NO_COLOR: '1' } });
}

describe('modelpin pin', () => {
  it('pins a plain-shape file in place: only the floating values change, comments and layout stay', async () => {
    const dir = workspace();
    const r = await pin([], dir);
    expect(r.code).toBe(0);
    expect(r.out).toContain('no store yet: evidence from the catalog only');
    expect(r.out).toContain('pinned summarize production target: sim/sim-chat-latest -> sim/sim-chat-2026-01-15');
    expect(readFileSync(join(dir, 'models.yml'), 'utf8')).toBe(
      PLAIN.replace('production: sim/sim-chat-latest     #', 'production: sim/sim-chat-2026-01-15     #')
        .replace('model: sim-mini-latest,', 'model: sim-mini-2026-03-01,')
        .replace('fallback: [sim/sim-chat-latest]', 'fallback: [sim/sim-chat-2026-01-15]'),
    );
    // Staging keeps following the alias: that is what nightly evals watch.
    expect(readFileSync(join(dir, 'models.yml'), 'utf8')).toContain('staging: sim/sim-chat-latest');
    const again = await pin([], dir);
    expect(again.out).toContain('no floating production targets to pin');
  });

  it('--dry-run writes nothing; --json gives the plan', async () => {
    const dir = workspace();
    const r = await pin(['summarize', '--dry-run', '--json'], dir);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as {
      dryRun: boolean;
      proposals: Array<{ route: string; to: string }>;
      lintErrorsAfter: string[];
    };
    expect(j.dryRun).toBe(true);
    expect(j.proposals.map((p) => [p.route, p.to])).toEqual([['summarize', 'sim/sim-chat-2026-01-15']]);
    // Only summarize was pinned, so classify's floating targets remain lint errors.
    expect(j.lintErrorsAfter.length).toBe(2);
    expect(readFileSync(join(dir, 'models.yml'), 'utf8')).toBe(PLAIN);
  });

  it('uses the model the alias actually served, from the store, over the catalog', async () => {
    const dir = workspace();
    const store = await openStore({ type: 'sqlite', path: '.modelpin/state.db' }, { baseDir: dir });
    await store.insertUsage([
      usage({
        ts: MON - 3_600_000,
        route: 'summarize',
        target: 'sim/sim-chat-latest',
        servedModel: 'sim-chat-2026-01-15',
      }),
      usage({
        ts: MON - 60_000,
        route: 'summarize',
        target: 'sim/sim-chat-latest',
        servedModel: 'sim-chat-2026-11-25',
      }),
      // A failed call says nothing about what serves.
      usage({
        ts: MON - 1000,
        route: 'summarize',
        target: 'sim/sim-chat-latest',
        servedModel: 'sim-chat-2026-12-10',
        status: 502,
        errorCode: 'upstream_error',
      }),
    ]);
    await store.close();
    const r = await pin(['summarize'], dir);
    expect(r.code).toBe(0);
    expect(r.out).toContain(
      "pinned summarize production target: sim/sim-chat-latest -> sim/sim-chat-2026-11-25 (served by the provider, last seen 2026-11-23T09:59:00.000Z; the catalog says sim-chat-2026-01-15, the provider's own answer wins)",
    );
    const noStore = await pin(['classify', '--no-store', '--dry-run'], dir);
    expect(noStore.out).toContain('store not read (--no-store)');
  });

  it('exit 1 when an alias cannot be pinned safely; exit 2 for bad input', async () => {
    const dir = workspace(
      PLAIN.replace('production: sim/sim-chat-latest     #', 'production: sim/sim-odd-latest     #') +
        'catalog:\n  models:\n    - { provider: sim, id: sim-odd-latest, kind: alias, source: "ours" }\n',
    );
    const r = await pin(['summarize'], dir);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(
      /not pinned summarize production target sim\/sim-odd-latest: neither the store nor the catalog knows/,
    );
    expect((await pin(['nope'], dir)).err).toMatch(/unknown route "nope"/);
    expect((await pin(['nope'], dir)).code).toBe(2);
    expect((await pin(['--today', 'monday'], dir)).code).toBe(2);
    expect((await pin(['--config', 'missing.yml'], dir)).code).toBe(2);
  });

  it('has --help', async () => {
    const r = await pin(['--help'], workspace());
    expect(r.code).toBe(0);
    expect(r.out).toContain('--dry-run');
    expect(r.out).toContain('Exit codes');
  });
});
