/**
 * CHANGED means something moved beyond noise. On the stochastic simulator (sampled answers: 10% fenced
 * JSON, 2% refusals, 10% length noise) the pinned snapshot against itself moves a little every run;
 * those moves are summarised as noise under the quiet verdict. A snapshot with a drift of known size
 * still has its change named.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createSimulatorProvider } from '../../src/sim/provider.js';
import type { ClientFactory, EvalFlags } from '../../src/evals/eval-command.js';
import { EXIT } from '../../src/cli/exit-codes.js';
import type { EvalReport } from '../../src/evals/reports/types.js';
import { FIXTURES, evalInProcess } from './sim.js';

const fast: ClientFactory = (s, d) => createSimulatorProvider({ ...s, fast: true }, d);
const PINNED = 'sim/sim-support-2026-01-15';

describe('compare on a sampled model: CHANGED only beyond noise', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mp-noise-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const config = readFileSync(join(FIXTURES, 'stochastic', 'models.yml'), 'utf8');

  /** One compare with the simulator seeded: the same seed draws the same answers. */
  async function compare(candidate: string, seed: number, flags: EvalFlags = {}) {
    const cwd = join(dir, `seed-${seed}`);
    mkdirSync(cwd, { recursive: true });
    writeFileSync(join(cwd, 'models.yml'), config.replace(/seed: \d+/, `seed: ${seed}`));
    const r = await evalInProcess(
      [join(FIXTURES, 'stochastic', 'support.yml')],
      { cache: false, compareModels: [PINNED, candidate], json: '-', quiet: true, ...flags },
      { cwd, clientFactory: fast },
    );
    const text = r.out;
    const report = JSON.parse(text.slice(0, text.lastIndexOf('}') + 1)) as EvalReport;
    const cmp = report.compare;
    if (!cmp) throw new Error('no compare in the report');
    return { code: r.code, cmp, out: text };
  }

  it('the pinned snapshot against itself is NO DRIFT (exit 0), its moves summarised as noise', async () => {
    // Seed 1 flips a case, moves the fenced share by a point, the refusals by six and tokens by 6%:
    // each was a CHANGED line before; now they are summarised once, as noise.
    const r = await compare(PINNED, 1);
    expect(r.out).not.toMatch(/^CHANGED/m);
    expect(r.cmp.verdict).toBe('no-drift');
    expect(r.code).toBe(EXIT.ok);
    expect(r.cmp.verdictLine).toMatch(
      /^NO DRIFT: .*; within noise: 1 case flipped, JSON fenced \d+% -> \d+%, refusals \d+% -> \d+%, tokens [+-]\d+%$/,
    );
    expect(r.cmp.withinNoise).toHaveLength(4);
  });

  it('fenced JSON 10% -> 80% is DRIFT (exit 1), led by the fenced share and its p', async () => {
    const r = await compare('sim/sim-support-drift-fenced-80', 1);
    expect(r.code).toBe(EXIT.failed);
    expect(r.cmp.verdictLine).toMatch(
      /^DRIFT: \S+ \(sim-support-drift-fenced-80\) (regresses \d+ cases? \(p=[\d.e-]+\), )?JSON fenced \d+% -> [6-9]\d% \(p=[\d.e-]+\)/,
    );
  });

  it('fenced JSON 10% -> 40% below significance is still CHANGED (exit 0), naming the fenced share', async () => {
    const r = await compare('sim/sim-support-drift-fenced-40', 10);
    expect(r.cmp.verdict).toBe('changed');
    expect(r.code).toBe(EXIT.ok);
    expect(r.cmp.verdictLine).toMatch(/^CHANGED \(no significant regression\): .*JSON fenced \d+% -> \d+%/);
  });
});
