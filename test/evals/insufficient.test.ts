/** A compare whose sample counts cannot show significance says so, with its own exit code, never "NO DRIFT". */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { createSimulatorProvider } from '../../src/sim/provider.js';
import { runEvalCommand, type ClientFactory, type EvalFlags } from '../../src/evals/eval-command.js';
import { EXIT } from '../../src/cli/exit-codes.js';
import { reachability, reachabilityLine } from '../../src/evals/signals.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const fast: ClientFactory = (s, d) => createSimulatorProvider({ ...s, fast: true }, d);

async function run(suites: string[], flags: EvalFlags) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runEvalCommand(
    suites,
    { config: 'examples/models.yml', cache: false, today: '2026-11-26', ...flags },
    {
      out: (t) => out.push(t),
      err: (t) => err.push(t),
      cwd: ROOT,
      env: {},
      clock: new ManualClock(Date.UTC(2026, 10, 26)),
      tty: false,
      clientFactory: fast,
    },
  );
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('INSUFFICIENT EVIDENCE', () => {
  it('the exit code is its own and documented', () => {
    expect(EXIT.insufficient).toBe(4);
    expect(new Set(Object.values(EXIT)).size).toBe(Object.values(EXIT).length);
  });

  it('--repeat 1 on three drifting cases: said before the calls, then INSUFFICIENT EVIDENCE (exit 4), not NO DRIFT', async () => {
    const r = await run(['examples/evals/drift.yml'], { compare: ['production', 'staging'], repeat: '1' });
    expect(r.err).toContain(
      'statistics: 3 cases, 3 samples a side (1 per case); smallest reachable p: pass rate 0.100, tokens 0.250, one case 1.000 (alpha 0.05). No signal can reach significance at this N',
    );
    expect(r.code).toBe(EXIT.insufficient);
    expect(r.out).toMatch(
      /^INSUFFICIENT EVIDENCE: staging \(sim-chat-2026-11-25\) vs production \(sim-chat-2026-01-15\): 3 cases lower, not significant \(p=0\.100\)/m,
    );
    expect(r.out).toMatch(/smallest reachable p=0\.100/);
    expect(r.out).not.toMatch(/NO DRIFT/);
  });

  it('the same cases at --repeat 3 reach a verdict: DRIFT (exit 1)', async () => {
    const r = await run(['examples/evals/drift.yml'], { compare: ['production', 'staging'], repeat: '3' });
    expect(r.code).toBe(EXIT.failed);
    expect(r.out).toMatch(/^DRIFT: staging/m);
  });

  it('nothing moved, but nothing could have been seen: still not NO DRIFT', async () => {
    const r = await run(['examples/evals/drift.yml'], {
      compareModels: ['sim/sim-chat-2026-01-15', 'sim/sim-chat-2026-01-15'],
      repeat: '1',
    });
    expect(r.code).toBe(EXIT.insufficient);
    expect(r.out).toMatch(/INSUFFICIENT EVIDENCE: .*no change seen; no signal can reach p < 0\.05 at this N/);
  });

  it('the built CLI exits 4 and prints the verdict', () => {
    const r = spawnSync(
      process.execPath,
      [
        join(ROOT, 'dist', 'cli', 'main.js'),
        'eval',
        'examples/evals/drift.yml',
        '--config',
        'examples/models.yml',
        '--compare',
        'production',
        'staging',
        '--repeat',
        '1',
        '--no-cache',
        '--today',
        '2026-11-26',
        '--json',
        '-',
      ],
      { cwd: ROOT, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', NO_COLOR: '1' }, timeout: 60_000 },
    );
    expect(r.status).toBe(4);
    const report = JSON.parse(r.stdout) as {
      exitCode: number;
      compare: {
        verdict: string;
        signals: Array<{ signal: string; minP: number; p: number; effect: number; floor: number }>;
      };
      reachability: { blind: boolean };
    };
    expect(report).toMatchObject({ exitCode: 4, compare: { verdict: 'insufficient' }, reachability: { blind: true } });
    const fenced = report.compare.signals.find((s) => s.signal === 'fenced');
    expect(fenced).toMatchObject({ effect: 1, floor: 0.05 });
    expect(fenced?.minP).toBeGreaterThanOrEqual(0.05);
  });

  it('Markdown, JUnit and the terminal show each signal with its p-value, effect and floor', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'modelpin-signals-'));
    const r = await run(['examples/evals/drift.yml'], {
      compare: ['production', 'staging'],
      repeat: '1',
      markdown: join(dir, 'r.md'),
      junit: join(dir, 'j.xml'),
    });
    expect(r.out).toMatch(
      /^ {2}JSON fenced: 0% -> 100%, effect \+100 pp \(floor 5 pp\), p=[\d.]+, smallest reachable p=0\.333: cannot reach significance at this N$/m,
    );
    const md = readFileSync(join(dir, 'r.md'), 'utf8');
    expect(md).toContain(
      '| Signal | Base | Candidate | Effect (worse by) | Floor | p (Holm) | p (raw) | Smallest reachable p | Samples | Test | State |',
    );
    expect(md).toMatch(
      /\| JSON fenced \| 0% \| 100% \| \+100 pp \| 5 pp \| [\d.]+ \| [\d.]+ \| 0\.333 \| 2 \/ 2 \| exact \| cannot reach significance at this N \|/,
    );
    expect(md).toContain('statistics: 3 cases, 3 samples a side');
    const xml = readFileSync(join(dir, 'j.xml'), 'utf8');
    expect(xml).toMatch(/<error message="INSUFFICIENT EVIDENCE: [^"]*" type="insufficient-evidence">/);
    expect(xml).toContain('output tokens: 75 -&gt; 92, effect +23% (floor 5%)');
  });

  it('--alpha and --floor are validated', async () => {
    await expect(run(['examples/evals/drift.yml'], { compare: ['production', 'staging'], alpha: '2' })).rejects.toThrow(
      /--alpha must be/,
    );
    await expect(
      run(['examples/evals/drift.yml'], { compare: ['production', 'staging'], floor: ['speed=3'] }),
    ).rejects.toThrow(/--floor "speed=3"/);
  });

  it('a floor above the observed effect keeps a significant change from gating', async () => {
    // Floors above any possible share change leave only tokens, whose +23% is under its raised floor.
    const r = await run(['examples/evals/drift.yml'], {
      compare: ['production', 'staging'],
      repeat: '5',
      floor: ['pass-rate=101%', 'case=101%', 'fenced=101%', 'bare-json=101%', 'tokens=50%'],
    });
    expect(r.code).toBe(EXIT.ok);
    expect(r.out).toMatch(/^CHANGED \(no significant regression\)/m);
    expect(r.out).toMatch(/output tokens: .*effect \+\d+% \(floor 50%\), p=[\d.e-]+.*: significant, below the floor/);
  });
});

describe('reachability before the calls', () => {
  it('counts samples per case and names the repeat one case needs', () => {
    const r = reachability([1, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
    expect(r).toMatchObject({ cases: 10, samples: 10, blind: false, caseMinP: 1, caseRepeatNeeded: 4 });
    expect(r.pooledMinP).toBeCloseTo(2 / 184756, 12);
    expect(r.tokensMinP).toBeCloseTo(2 / 1024, 12);
    expect(reachabilityLine(r)).toMatch(/A single case cannot be significant on its own below --repeat 4\.$/);
    expect(reachability([1]).blind).toBe(true);
    expect(reachability([5, 5]).caseMinP).toBeCloseTo(2 / 252, 12);
  });
});
