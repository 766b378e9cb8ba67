import { copyFileSync, mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { ConfigError, UsageError } from '../../src/core/errors.js';
import { reportError } from '../../src/cli/action.js';
import { runEvalCommand, type ClientFactory, type EvalFlags } from '../../src/evals/eval-command.js';
import type { EvalReport } from '../../src/evals/reports/types.js';
import { openStore } from '../../src/store/open.js';
import { FIXTURES, simFactory } from './sim.js';
import { checkWellFormedXml } from './xml.js';

const SUITES = join(FIXTURES, 'suites');

function workspace(config = 'models.yml'): string {
  const dir = mkdtempSync(join(tmpdir(), 'mp-eval-'));
  copyFileSync(join(FIXTURES, config), join(dir, 'models.yml'));
  return dir;
}

async function run(
  flags: EvalFlags,
  opts: { cwd?: string; suites?: string[]; signal?: AbortSignal; factory?: ClientFactory } = {},
) {
  const cwd = opts.cwd ?? workspace();
  const out: string[] = [];
  const err: string[] = [];
  const code = await runEvalCommand(
    opts.suites ?? [SUITES],
    { cache: false, today: '2026-11-26', ...flags },
    {
      out: (t) => out.push(t),
      err: (t) => err.push(t),
      cwd,
      env: {},
      clock: new ManualClock(Date.UTC(2026, 10, 26)),
      tty: false,
      clientFactory: opts.factory ?? simFactory,
      ...(opts.signal ? { signal: opts.signal } : {}),
    },
  );
  return { code, out: out.join('\n'), err: err.join('\n'), cwd };
}

async function exitCodeOf(p: Promise<unknown>): Promise<number> {
  try {
    await p;
    return 0;
  } catch (e) {
    return reportError(e);
  }
}

describe('modelpin eval (in-process)', () => {
  it('exit 0 on production: the classic and drift cases all pass', async () => {
    const r = await run({ env: 'production' });
    expect(r.code).toBe(0);
    expect(r.out).toContain('production: 6/6 cases passed');
    expect(r.out).toContain('served sim-chat-2026-01-15');
  });

  it('exit 1 on staging after the alias moved, naming each failure', async () => {
    const r = await run({ env: 'staging' });
    expect(r.code).toBe(1);
    expect(r.out).toContain('staging: 3/6 cases passed, 3 failed');
    expect(r.out).toContain('is-json: output is wrapped in markdown fences');
    expect(r.out).toContain('max-tokens: 43 output tokens (ceiling 40)');
    expect(r.out).toContain('enum: unknown value at $.sentiment: "mixed"');
  });

  it('--today before the move: staging still serves the pinned snapshot and passes', async () => {
    const r = await run({ env: 'staging', today: '2026-11-23' });
    expect(r.code).toBe(0);
    expect(r.out).toContain('served sim-chat-2026-01-15');
  });

  it('exit 2 for config and usage errors', async () => {
    const dir = workspace();
    const bad = join(FIXTURES, 'bad-suites');
    expect(await exitCodeOf(run({}, { cwd: dir, suites: [join(bad, 'typo.yml')] }))).toBe(2);
    await expect(run({}, { cwd: dir, suites: [join(bad, 'typo.yml')] })).rejects.toThrow(
      /typo\.yml: cases\[0\]\.assert\[0\]\.type: unknown assertion type "is-jsn" \(did you mean "is-json"\?\)/,
    );
    await expect(run({}, { cwd: dir, suites: [join(bad, 'regex.yml')] })).rejects.toThrow(
      /regex\.yml: cases\[0\]\.assert\[0\]\.pattern: invalid regex/,
    );
    await expect(run({}, { cwd: dir, suites: [join(bad, 'route.yml')] })).rejects.toBeInstanceOf(ConfigError);
    expect(await exitCodeOf(run({}, { cwd: dir, suites: [join(bad, 'route.yml')] }))).toBe(2);
    await expect(run({ compare: ['production'] })).rejects.toBeInstanceOf(UsageError);
    await expect(run({ repeat: 'lots' })).rejects.toThrow(/--repeat must be an integer/);
    await expect(run({ model: 'nope' })).rejects.toThrow(/must be "provider\/model"/);
    await expect(run({ config: 'missing.yml' })).rejects.toThrow(/missing\.yml: not found/);
    expect(await exitCodeOf(run({ rateLimit: ['sim=fast'] }))).toBe(2);
  });

  it('--compare production staging: the drift is a significant regression (exit 1) and reports are written', async () => {
    const r = await run({
      compare: ['production', 'staging'],
      repeat: '3',
      json: 'out/report.json',
      junit: 'out/junit.xml',
      markdown: 'out/report.md',
      html: 'out/report.html',
    });
    expect(r.code).toBe(1);
    const report = JSON.parse(readFileSync(join(r.cwd, 'out/report.json'), 'utf8')) as EvalReport;
    const cmp = report.compare;
    expect(cmp?.verdict).toBe('drift');
    expect(cmp?.regressions).toBe(3);
    expect(cmp?.passRateP).toBeLessThan(0.01);
    expect(
      cmp?.cases
        .filter((c) => c.change === 'regression')
        .map((c) => c.caseId)
        .sort(),
    ).toEqual(['json-fence', 'sentiment-enum', 'token-ceiling']);
    // 3 repeats per case: each case alone is p=0.1; the pooled samples make it significant.
    expect(cmp?.cases.filter((c) => c.change === 'regression').map((c) => c.p.toFixed(3))).toEqual([
      '0.100',
      '0.100',
      '0.100',
    ]);
    expect(cmp?.enumChanges).toEqual([{ path: '$.sentiment', onlyBase: [], onlyCandidate: ['mixed'] }]);
    expect(cmp?.candidate.servedModels).toEqual(['sim-chat-2026-11-25']);
    expect(cmp?.candidate.fingerprints).toEqual(['fp_sim_chat_20261125']);
    expect(cmp?.outputTokenDeltaPct).toBeGreaterThan(15);
    expect(cmp?.costDeltaPct).toBeGreaterThan(10);
    // What gated leads, each with its p; what did not follows "also".
    expect(cmp?.verdictLine).toMatch(
      /^DRIFT: staging \(sim-chat-2026-11-25\) regresses 3 cases \(p=[\d.e-]+\), JSON fenced 0% -> 100% \(p=[\d.e-]+\), tokens \+\d+% \(p=[\d.e-]+\); also new \$\.sentiment value mixed, cost \+\d+%$/,
    );
    expect(r.out).toContain(cmp?.verdictLine);

    const junit = readFileSync(join(r.cwd, 'out/junit.xml'), 'utf8');
    const xml = checkWellFormedXml(junit);
    expect(xml.root).toBe('testsuites');
    expect(xml.count('testsuite')).toBe(5); // 2 suites x 2 arms, and the compare verdict
    expect(xml.count('testcase')).toBe(13);
    expect(xml.count('failure')).toBe(4); // 3 cases, and the drift verdict
    expect(junit).toMatch(/<testsuites name="modelpin eval" tests="13" failures="4" errors="0"/);
    expect(junit).toContain(`<failure message="${cmp?.verdictLine.replace(/>/g, '&gt;')}" type="drift">`);
    expect(junit).toContain('<failure message="is-json: output is wrapped in markdown fences" type="assertion">');
    expect(junit).toContain('name="json-fence [extract]"');

    const md = readFileSync(join(r.cwd, 'out/report.md'), 'utf8');
    expect(md).toContain('# modelpin eval report');
    expect(md).toContain(`**${cmp?.verdictLine}**`);
    expect(md).toMatch(/\| drift \| json-fence \| extract \| passed 3\/3 \| failed 0\/3 \| regression \|/);
    expect(md).toContain('$.sentiment: only in staging: mixed');
    const html = readFileSync(join(r.cwd, 'out/report.html'), 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('class="bad"');
    expect(html).not.toMatch(/<script/);
  });

  it('pure noise: the same snapshot on both sides with random transient faults is no drift', async () => {
    const cwd = workspace('models-noise.yml');
    const r = await run(
      {
        compareModels: ['sim/sim-chat-2026-01-15', 'sim/sim-chat-2026-01-15'],
        repeat: '4',
        json: 'noise.json',
        concurrency: '4',
      },
      { cwd },
    );
    const report = JSON.parse(readFileSync(join(cwd, 'noise.json'), 'utf8')) as EvalReport;
    expect(report.run.arms.every((a) => a.summary.retriedSamples > 0)).toBe(true); // faults happened and were retried
    expect(report.run.arms.every((a) => a.summary.failed === 0)).toBe(true); // and never counted as failures
    expect(report.compare?.regressions).toBe(0);
    expect(report.compare?.verdict).toBe('no-drift');
    expect(r.code).toBe(0);
  });

  it('--record stores one EvalRunRecord per (suite, route, env) in the models.yml store', async () => {
    const r = await run({ env: 'staging', record: true });
    expect(r.code).toBe(1);
    const dbPath = join(r.cwd, '.modelpin/evals-test.db');
    expect(existsSync(dbPath)).toBe(true);
    const store = await openStore({ type: 'sqlite', path: dbPath });
    try {
      const runs = await store.listEvalRuns({ env: 'staging' });
      expect(runs).toHaveLength(6); // classic x 3 routes + drift x 3 routes
      const drift = runs.find((x) => x.suite === 'drift' && x.route === 'extract');
      expect(drift).toMatchObject({
        env: 'staging',
        target: 'sim/sim-chat-latest',
        servedModels: ['sim-chat-2026-11-25'],
        passed: false,
        failedCases: 1,
      });
      expect(drift?.suiteHash).toMatch(/^[0-9a-f]{64}$/);
      expect(drift?.cases[0]).toMatchObject({ caseId: 'json-fence', passed: false, errored: false });
      expect(runs.find((x) => x.suite === 'classic' && x.route === 'extract')?.passed).toBe(true);
    } finally {
      await store.close();
    }
  });

  it('Ctrl-C: stops, writes partial reports, exits 130, records nothing', async () => {
    const ac = new AbortController();
    let calls = 0;
    const factory: ClientFactory = (settings, deps) => {
      const inner = simFactory(settings, deps);
      return {
        ...inner,
        id: inner.id,
        type: inner.type,
        complete: async (req, model, opts) => {
          if (++calls === 4) ac.abort();
          return inner.complete(req, model, opts);
        },
      };
    };
    const r = await run(
      { env: 'production', repeat: '5', concurrency: '1', json: 'partial.json', junit: 'partial.xml', record: true },
      { signal: ac.signal, factory },
    );
    expect(r.code).toBe(130);
    const report = JSON.parse(readFileSync(join(r.cwd, 'partial.json'), 'utf8')) as EvalReport;
    expect(report.run.interrupted).toBe(true);
    expect(report.run.completedSamples).toBeGreaterThan(0);
    expect(report.run.completedSamples).toBeLessThan(report.run.plannedSamples);
    expect(checkWellFormedXml(readFileSync(join(r.cwd, 'partial.xml'), 'utf8')).root).toBe('testsuites');
    expect(r.err).toContain('not recording');
    expect(existsSync(join(r.cwd, '.modelpin/evals-test.db'))).toBe(false);
  });

  it('the response cache lives under .modelpin/cache next to models.yml', async () => {
    const cwd = workspace();
    let calls = 0;
    const factory: ClientFactory = (s, d) => {
      const inner = simFactory(s, d);
      return {
        ...inner,
        id: inner.id,
        type: inner.type,
        complete: (req, m, o) => (calls++, inner.complete(req, m, o)),
      };
    };
    await run({ env: 'production', cache: true }, { cwd, factory });
    const first = calls;
    expect(existsSync(join(cwd, '.modelpin/cache'))).toBe(true);
    const again = await run({ env: 'production', cache: true }, { cwd, factory });
    expect(calls).toBe(first);
    expect(again.out).toMatch(/12 cached/); // 3 single cases + 3 cases x 3 repeats
    await run({ env: 'production', cache: false }, { cwd, factory });
    expect(calls).toBe(first * 2);
  });
});
