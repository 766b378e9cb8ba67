import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulatorServer, type SimulatorServer } from '../../src/sim/server.js';
import { runEval } from '../support/run-eval.js';
import { buildSuite } from '../../src/evals/load-suite.js';
import type { EvalReport } from '../../src/evals/reports/types.js';
import type { CaseResult } from '../../src/evals/run-types.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SUITE = join(ROOT, 'examples/evals/agent/refund-agent.yml');
const FORMATS = ['openai', 'anthropic', 'gemini'] as const;

const LOOP_SUITE = `
name: loop
defaults: { route: support-agent }
cases:
  - id: never-stops
    prompt: "Where is order A-1001?"
    max_steps: 3
    tools:
      - { name: lookup_order, parameters: { type: object, properties: { order_id: { type: string } } } }
    tool_results:
      lookup_order: [{ result: "delivered" }]
    assert:
      - { type: steps, max: 10 }
`;

describe('tool-calling cases: the model <-> tool loop over each wire format, against the simulator over HTTP', () => {
  let sim: SimulatorServer;
  let dir: string;

  beforeAll(async () => {
    sim = await startSimulatorServer({ port: 0, host: '127.0.0.1', scenario: 'agents', fast: true });
    dir = mkdtempSync(join(tmpdir(), 'mp-tool-loop-'));
    writeFileSync(
      join(dir, 'models.yml'),
      `providers:
  openai: { type: openai, base_url: "${sim.url}/v1", api_key: sim-key }
  anthropic: { type: anthropic, base_url: "${sim.url}", api_key: sim-key }
  gemini: { type: gemini, base_url: "${sim.url}/v1beta", api_key: sim-key }
routes:
  support-agent: { targets: { production: openai/sim-agent-2026-01-15 } }
store: { type: sqlite, path: t.db }
`,
    );
    writeFileSync(join(dir, 'loop.yml'), LOOP_SUITE);
  });
  afterAll(async () => {
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function run(suite: string, model: string): Promise<{ code: number; out: string; cases: CaseResult[] }> {
    const json = `r-${model.replace(/\W/g, '_')}.json`;
    const { code, out } = await runEval([suite], { model, repeat: '1', cache: false, json }, { cwd: dir });
    const report = JSON.parse(readFileSync(join(dir, json), 'utf8')) as EvalReport;
    return { code, out, cases: report.run.arms[0]?.cases ?? [] };
  }

  it.each(FORMATS)('%s: the pinned agent looks the order up, refunds 49.99 and passes', async (format) => {
    const r = await run(SUITE, `${format}/sim-agent-2026-01-15`);
    expect(r.out).toContain('2/2 cases passed');
    expect(r.code).toBe(0);
    const refund = r.cases.find((c) => c.caseId === 'refund-damaged')?.samples[0];
    expect(refund?.steps).toBe(3);
    expect(refund?.toolCalls?.map((c) => [c.step, c.name, c.args, c.answered])).toEqual([
      [1, 'lookup_order', { order_id: 'A-1001' }, 'args'],
      [2, 'issue_refund', { order_id: 'A-1001', amount: 49.99 }, 'default'],
    ]);
    expect(refund?.output).toBe('I have refunded order A-1001. The money is on its way back to your card.');
    // The canned lookup result travelled back through the codec: the answer quotes it.
    const status = r.cases.find((c) => c.caseId === 'order-status')?.samples[0];
    expect(status?.output).toContain('"status":"delivered"');
    // Usage adds up over the loop's three model calls.
    expect(refund?.inputTokens).toBeGreaterThan(status?.inputTokens ?? Infinity);
  });

  it.each(FORMATS)('%s: the drifted agent gives the same final text, and fails on its tool calls', async (format) => {
    const r = await run(SUITE, `${format}/sim-agent-2026-11-25`);
    expect(r.code).toBe(1);
    const refund = r.cases.find((c) => c.caseId === 'refund-damaged');
    const s = refund?.samples[0];
    expect(s?.output).toBe('I have refunded order A-1001. The money is on its way back to your card.');
    expect(s?.toolCalls?.map((c) => c.name)).toEqual(['lookup_order', 'lookup_order', 'issue_refund']);
    expect(s?.toolCalls?.[2]?.args).toEqual({ order_id: 'A-1001', amount: 4999 });
    const failed = s?.assertions.filter((a) => !a.pass).map((a) => a.type);
    expect(failed).toEqual(['trajectory', 'tool-args', 'steps']);
    expect(s?.assertions.find((a) => a.type === 'contains')?.pass).toBe(true);
  });

  it.each(FORMATS)('%s: the step limit ends a loop that never stops, and the sample fails', async (format) => {
    const r = await run('loop.yml', `${format}/sim-agent-loop-2026-01-15`);
    expect(r.code).toBe(1);
    const s = r.cases[0]?.samples[0];
    expect(s?.status).toBe('failed');
    expect(s?.steps).toBe(3);
    expect(s?.toolCalls?.map((c) => c.answered)).toEqual(['default', 'default', 'unanswered']);
    expect(s?.assertions.find((a) => a.type === 'max-steps')?.reason).toBe(
      'step limit: still calling tools after 3 model calls (max_steps 3)',
    );
    expect(r.out).toContain('step limit');
  });
});

describe('tool-calling suites: load errors name the path', () => {
  const build = (raw: unknown) => buildSuite(raw, { file: 'evals/a.yml', dir: ROOT, defaultName: 'a', hash: 'h' });
  const tools = [{ name: 'lookup_order' }];

  it('canned results must name a declared tool', async () => {
    await expect(
      build({ cases: [{ prompt: 'x', tools, tool_results: { lookup_ordr: [{ result: 1 }] } }] }),
    ).rejects.toThrow(
      'evals/a.yml: cases[0].tool_results.lookup_ordr: no tool named "lookup_ordr" (did you mean "lookup_order"?)',
    );
  });
  it('tool assertions need tools, and the tools they name', async () => {
    await expect(build({ cases: [{ prompt: 'x', assert: [{ type: 'steps', max: 2 }] }] })).rejects.toThrow(
      'cases[0].assert[0]: "steps" checks tool calls, but the case declares no "tools"',
    );
    await expect(
      build({ cases: [{ prompt: 'x', tools, assert: [{ type: 'trajectory', calls: ['issue_refund'] }] }] }),
    ).rejects.toThrow('names tool "issue_refund", which the case does not declare');
  });
  it('max_steps needs tools; tool-args needs exactly one way to match', async () => {
    await expect(build({ cases: [{ prompt: 'x', max_steps: 2 }] })).rejects.toThrow(
      'cases[0].max_steps: max_steps needs "tools"',
    );
    await expect(
      build({
        cases: [{ prompt: 'x', tools, assert: [{ type: 'tool-args', tool: 'lookup_order', arg: 'order_id' }] }],
      }),
    ).rejects.toThrow('"arg" needs the expected number in "value"');
  });
  it('defaults tools apply to every case; case results are tried before the defaults', async () => {
    const s = await build({
      defaults: { tools, tool_results: { lookup_order: [{ result: 'default answer' }] } },
      cases: [
        {
          prompt: 'x',
          tool_results: { lookup_order: [{ args: { order_id: '{{id}}' }, result: { id: '{{id}}' } }] },
          vars: { id: 'A-1' },
        },
      ],
    });
    const agent = s.cases[0]?.agent;
    expect(agent?.maxSteps).toBe(8);
    expect(agent?.results.get('lookup_order')).toEqual([
      { args: { order_id: 'A-1' }, text: '{"id":"A-1"}', isError: false },
      { text: 'default answer', isError: false },
    ]);
  });
});
