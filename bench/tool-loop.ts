/**
 * Tool-calling cases: the cost of the model <-> tool loop and of naming tool-call drift.
 * N refund-agent cases (3 model calls each on the pinned snapshot, 4 on the drifted one) run
 * against the in-process simulator with no latency (`fast`), concurrency 32, then compareArms over
 * both sides. Prints wall time and CPU per loop and per model call, and the compare's time.
 *
 *   npx tsx bench/tool-loop.ts [cases...]      (default: 100 1000 10000)
 */
import { createSimulatorProvider } from '../src/sim/provider.js';
import { buildSuite } from '../src/evals/load-suite.js';
import { runEvals } from '../src/evals/runner.js';
import { targetCaller } from '../src/evals/arms.js';
import { compareArms } from '../src/evals/compare.js';
import { trajectoryDrift } from '../src/evals/trajectory.js';
import type { Arm } from '../src/evals/run-types.js';

const SIZES = process.argv
  .slice(2)
  .map(Number)
  .filter((n) => n > 0);
const sim = createSimulatorProvider({ id: 'sim', type: 'simulator', scenario: 'agents', seed: 1, fast: true });
const catalog = { price: () => ({ input: 1, output: 4 }) };
const arm = (model: string): Arm => {
  const caller = targetCaller({ provider: 'sim', model }, { client: () => sim, catalog });
  return { name: model, env: 'production', resolve: () => caller };
};

async function once(cases: number): Promise<void> {
  const suite = await buildSuite(
    {
      name: 'bench-agent',
      defaults: {
        route: 'agent',
        max_steps: 6,
        tools: [
          { name: 'lookup_order', parameters: { type: 'object', properties: { order_id: { type: 'string' } } } },
          {
            name: 'issue_refund',
            parameters: { type: 'object', properties: { order_id: { type: 'string' }, amount: { type: 'number' } } },
          },
        ],
        tool_results: {
          lookup_order: [{ result: { total: 49.99, status: 'delivered' } }],
          issue_refund: [{ result: { ok: true } }],
        },
        assert: [
          { type: 'trajectory', calls: ['lookup_order', 'issue_refund'] },
          { type: 'tool-args', tool: 'issue_refund', arg: 'amount', value: 49.99, abs: 0.01 },
          { type: 'steps', max: 3 },
        ],
      },
      cases: Array.from({ length: cases }, (_, i) => ({
        id: `c${i}`,
        prompt: `Please refund order A-${1000 + i}, it arrived damaged.`,
      })),
    },
    { file: 'bench.yml', dir: process.cwd(), defaultName: 'bench', hash: 'bench' },
  );
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const run = await runEvals({
    suites: [suite],
    arms: [arm('sim-agent-2026-01-15'), arm('sim-agent-2026-11-25')],
    concurrency: 32,
  });
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const calls = run.arms
    .flatMap((a) => a.cases.flatMap((c) => c.samples.map((s) => s.steps ?? 0)))
    .reduce((n, x) => n + x, 0);
  const [base, cand] = run.arms;
  if (!base || !cand) throw new Error('two arms expected');
  const c0 = performance.now();
  const report = compareArms(base, cand);
  const compareMs = performance.now() - c0;
  const t1 = performance.now();
  base.cases.forEach((c, i) => trajectoryDrift(c.samples, cand.cases[i]?.samples ?? [], 0.05));
  const driftMs = performance.now() - t1;
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const loops = cases * 2;
  console.log(
    `${String(cases).padStart(6)} cases x 2 sides: ${loops} loops, ${calls} model calls in ${(wallMs / 1000).toFixed(2)} s · ${(cpuMs / loops).toFixed(2)} ms CPU per loop · ${((cpuMs * 1000) / calls).toFixed(0)} µs CPU per model call · compare ${compareMs.toFixed(0)} ms (tool drift ${driftMs.toFixed(0)} ms) · ${report.verdict}, ${report.cases.filter((x) => x.tools?.changes.length).length} cases with named tool drift`,
  );
}

async function main(): Promise<void> {
  await once(50); // warm-up: JIT, scenario caches
  for (const n of SIZES.length > 0 ? SIZES : [100, 1000, 10000]) await once(n);
}

void main();
