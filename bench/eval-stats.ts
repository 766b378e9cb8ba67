/**
 * How honest is the compare verdict? Runs many compares in-process against the stochastic
 * simulator (scenarios/stochastic.yml: 10% fenced JSON, 2% refusals, 10% length noise) with a
 * 10-case support suite at its own repeat (5):
 *
 * - false positives: pinned vs pinned (the same snapshot on both sides) — the share of DRIFT
 *   verdicts, with its 95% Clopper–Pearson upper bound, against alpha;
 * - power: pinned vs a snapshot with one injected drift of known size — the share of DRIFT verdicts.
 *
 *   npx tsx bench/eval-stats.ts [selfTrials=200] [powerTrials=100] [repeat=5]
 */
import { createSimulatorProvider } from '../src/sim/provider.js';
import { buildSuite } from '../src/evals/load-suite.js';
import { runEvals } from '../src/evals/runner.js';
import { targetCaller } from '../src/evals/arms.js';
import { compareArms, type Verdict } from '../src/evals/compare.js';
import { clopperPearson } from '../src/evals/binomial.js';
import { reachability } from '../src/evals/signals.js';
import type { Arm } from '../src/evals/run-types.js';
import type { LoadedSuite } from '../src/evals/suite-types.js';

const SELF_TRIALS = Number(process.argv[2] ?? 200);
const POWER_TRIALS = Number(process.argv[3] ?? 100);
const REPEAT = Number(process.argv[4] ?? 5);
const ALPHA = 0.05;
const PINNED = 'sim-support-2026-01-15';

const DRIFTS: Array<{ label: string; model: string }> = [
  { label: 'fenced JSON 10% -> 20%', model: 'sim-support-drift-fenced-20' },
  { label: 'fenced JSON 10% -> 40%', model: 'sim-support-drift-fenced-40' },
  { label: 'fenced JSON 10% -> 80%', model: 'sim-support-drift-fenced-80' },
  { label: 'output tokens +5%', model: 'sim-support-drift-tokens-5' },
  { label: 'output tokens +20%', model: 'sim-support-drift-tokens-20' },
  { label: 'refusals 2% -> 10%', model: 'sim-support-drift-refusals-10' },
];

async function supportSuite(): Promise<LoadedSuite> {
  const classify = ['billing', 'shipping', 'account', 'bug'].map((topic) => ({
    id: `classify-${topic}`,
    prompt: `Classify this ticket about ${topic}: the customer writes that something about their ${topic} went wrong and wants it fixed.`,
    assert: [{ type: 'is-json' }, { type: 'enum', path: '$.sentiment', values: ['positive', 'negative', 'neutral'] }],
  }));
  const orders = ['A1B2-77', 'C3D4-18', 'E5F6-42'].map((order) => ({
    id: `order-${order}`,
    prompt: `Where is order ${order}? Answer as JSON.`,
    assert: [{ type: 'is-json' }, { type: 'json-path', path: '$.status', equals: 'shipped' }],
  }));
  const replies = ['Maria', 'Tom', 'Aiko'].map((name) => ({
    id: `reply-${name.toLowerCase()}`,
    prompt: `Draft a reply to ${name} about the replacement of a damaged blender.`,
    assert: [{ type: 'contains', value: name }],
  }));
  return buildSuite(
    {
      name: 'support',
      defaults: { route: 'support', repeat: REPEAT, threshold: 0.6, assert: [{ type: 'not-refusal' }] },
      cases: [...classify, ...orders, ...replies],
    },
    { file: 'support.yml', dir: process.cwd(), defaultName: 'support', hash: 'support' },
  );
}

/** One compare on a fresh simulator seed: independent draws per trial, reproducible per trial number. */
async function compareOnce(suite: LoadedSuite, candidate: string, seed: number): Promise<Verdict> {
  const sim = createSimulatorProvider({ id: 'sim', type: 'simulator', scenario: 'stochastic', fast: true, seed });
  const catalog = { price: () => ({ input: 1, output: 2 }) };
  const arm = (name: string, model: string): Arm => {
    const caller = targetCaller({ provider: 'sim', model }, { client: () => sim, catalog });
    return { name, env: 'production', resolve: () => caller };
  };
  const run = await runEvals({
    suites: [suite],
    arms: [arm('base', PINNED), arm('candidate', candidate)],
    concurrency: 16,
  });
  const [a, b] = run.arms;
  if (!a || !b) throw new Error('missing arm');
  return compareArms(a, b, { alpha: ALPHA }).verdict;
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

async function main(): Promise<void> {
  const suite = await supportSuite();
  const power = reachability(
    suite.cases.map(() => REPEAT),
    ALPHA,
  );
  console.log(
    `stochastic simulator, support suite: ${suite.cases.length} cases x repeat ${REPEAT}, threshold 0.6, alpha ${ALPHA}`,
  );
  console.log(
    `smallest reachable p: pass rate ${power.pooledMinP.toExponential(1)}, tokens ${power.tokensMinP.toExponential(1)}, one case ${power.caseMinP.toFixed(4)}`,
  );

  const t0 = performance.now();
  const counts: Record<Verdict, number> = { drift: 0, insufficient: 0, changed: 0, 'no-drift': 0 };
  for (let t = 0; t < SELF_TRIALS; t++) counts[await compareOnce(suite, PINNED, 1000 + t)]++;
  const ms = (performance.now() - t0) / SELF_TRIALS;
  const ci = clopperPearson(counts.drift, SELF_TRIALS);
  console.log(`\npinned vs pinned, ${SELF_TRIALS} self-compares (${ms.toFixed(0)} ms each):`);
  console.log(
    `  verdicts: DRIFT ${counts.drift}, INSUFFICIENT EVIDENCE ${counts.insufficient}, CHANGED ${counts.changed}, NO DRIFT ${counts['no-drift']}`,
  );
  console.log(
    `  false-positive rate ${pct(counts.drift / SELF_TRIALS)}, 95% upper bound ${pct(ci.upper)} (Clopper–Pearson) vs alpha ${pct(ALPHA)}: ${ci.upper <= ALPHA ? 'within alpha' : 'bound above alpha'}`,
  );
  if (ci.upper > ALPHA) process.exitCode = 1;

  if (POWER_TRIALS <= 0) return;
  console.log(
    `\npower: pinned vs one injected drift, ${POWER_TRIALS} compares each (share called DRIFT, 95% Clopper–Pearson interval):`,
  );
  for (const d of DRIFTS) {
    let drift = 0;
    for (let t = 0; t < POWER_TRIALS; t++) if ((await compareOnce(suite, d.model, 5000 + t)) === 'drift') drift++;
    const c = clopperPearson(drift, POWER_TRIALS);
    console.log(`  ${d.label.padEnd(24)} ${pct(drift / POWER_TRIALS).padStart(6)}  [${pct(c.lower)}, ${pct(c.upper)}]`);
  }
}

void main();
