/**
 * Eval runner benchmark: 1,000 cases against the in-process simulator with a fixed 20 ms latency,
 * concurrency 32. Prints wall time against the ideal (cases x latency / concurrency) and the CPU
 * time per case, for the whole run and for the runner alone (minus a bare simulator loop).
 *
 *   npx tsx bench/eval.ts [cases] [concurrency] [rounds]
 */
import { fileURLToPath } from 'node:url';
import { createSimulatorProvider } from '../src/sim/provider.js';
import { buildSuite } from '../src/evals/load-suite.js';
import { runEvals } from '../src/evals/runner.js';
import { targetCaller } from '../src/evals/arms.js';
import type { Arm } from '../src/evals/run-types.js';
import type { CanonicalRequest } from '../src/wire/canonical.js';

const CASES = Number(process.argv[2] ?? 1000);
const CONCURRENCY = Number(process.argv[3] ?? 32);
const LATENCY_MS = 20;
const ROUNDS = Number(process.argv[4] ?? 5);
const scenario = fileURLToPath(new URL('../test/evals/fixtures/latency-20ms.yml', import.meta.url));

const sim = createSimulatorProvider({ id: 'sim', type: 'simulator', scenario, seed: 1 });
const catalog = { price: () => ({ input: 1, output: 2 }) };
const caller = targetCaller({ provider: 'sim', model: 'sim-chat-2026-01-15' }, { client: () => sim, catalog });
const arm: Arm = { name: 'bench', env: 'production', resolve: () => caller };

const prompt = (i: number): string =>
  `Extract the name and email as JSON. Text: Contact Jane Doe${i % 7 === 0 ? '' : ''} at jane${i}@example.com`;

async function bareLoop(): Promise<{ wallMs: number; cpuMs: number }> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < CASES; i = next++) {
      const req: CanonicalRequest = {
        model: 'sim-chat-2026-01-15',
        messages: [{ role: 'user', content: [{ type: 'text', text: prompt(i) }] }],
        stream: false,
      };
      await sim.complete(req, 'sim-chat-2026-01-15');
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const cpu = process.cpuUsage(cpu0);
  return { wallMs: performance.now() - t0, cpuMs: (cpu.user + cpu.system) / 1000 };
}

async function main(): Promise<void> {
  const suite = await buildSuite(
    {
      name: 'bench',
      defaults: {
        route: 'extract',
        assert: [
          { type: 'is-json' },
          { type: 'json-schema', schema: { type: 'object', required: ['name', 'email'] } },
          { type: 'max-tokens', value: 100 },
        ],
      },
      cases: Array.from({ length: CASES }, (_, i) => ({
        id: `c${i}`,
        prompt: prompt(i),
        assert: [{ type: 'json-path', path: '$.email', equals: `jane${i}@example.com` }],
      })),
    },
    { file: 'bench.yml', dir: process.cwd(), defaultName: 'bench', hash: 'bench' },
  );
  await bareLoop(); // warm-up: JIT, scenario caches
  await runEvals({ suites: [{ ...suite, cases: suite.cases.slice(0, 300) }], arms: [arm], concurrency: CONCURRENCY });
  const runs: Array<{ wallMs: number; cpuMs: number; bareWallMs: number; bareCpuMs: number; passed: number }> = [];
  for (let r = 0; r < ROUNDS; r++) {
    const bare = await bareLoop();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const run = await runEvals({ suites: [suite], arms: [arm], concurrency: CONCURRENCY });
    const wallMs = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    runs.push({
      wallMs,
      cpuMs: (cpu.user + cpu.system) / 1000,
      bareWallMs: bare.wallMs,
      bareCpuMs: bare.cpuMs,
      passed: run.arms[0]?.summary.passed ?? 0,
    });
  }
  const ideal = (CASES * LATENCY_MS) / CONCURRENCY;
  const med = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
  const us = (ms: number): string => `${((ms / CASES) * 1000).toFixed(0)} µs`;
  const wall = runs.map((r) => r.wallMs);
  const bareWall = runs.map((r) => r.bareWallMs);
  console.log(
    `cases ${CASES}, concurrency ${CONCURRENCY}, simulated latency ${LATENCY_MS} ms (in-process simulator), ${ROUNDS} rounds`,
  );
  console.log(`passed: ${runs.map((r) => r.passed).join(', ')} of ${CASES}`);
  console.log(`ideal (cases x latency / concurrency): ${ideal.toFixed(0)} ms`);
  console.log(
    `eval run wall: median ${med(wall).toFixed(0)} ms (${(med(wall) / ideal).toFixed(3)}x), best ${Math.min(...wall).toFixed(0)} ms (${(Math.min(...wall) / ideal).toFixed(3)}x); target <= 1.2x`,
  );
  console.log(
    `bare simulator loop wall (same concurrency, no runner): median ${med(bareWall).toFixed(0)} ms (${(med(bareWall) / ideal).toFixed(3)}x)`,
  );
  console.log(
    `cpu per case: eval run ${us(med(runs.map((r) => r.cpuMs)))} (runner + simulator), bare simulator ${us(med(runs.map((r) => r.bareCpuMs)))}, runner alone ~${us(med(runs.map((r) => r.cpuMs)) - med(runs.map((r) => r.bareCpuMs)))}`,
  );
  if (runs.some((r) => r.passed !== CASES)) process.exitCode = 1;
}

void main();
