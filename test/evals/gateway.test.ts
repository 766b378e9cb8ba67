import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { createGateway, type Gateway } from '../../src/gateway/server.js';
import { runEvalCommand } from '../../src/evals/eval-command.js';
import { runEval } from '../support/run-eval.js';
import type { EvalReport } from '../../src/evals/reports/types.js';
import { FIXTURES } from './sim.js';

const silent = { log: () => undefined };

describe('--gateway: routes called by name through a running gateway (OpenAI wire format)', () => {
  let dir: string;
  let gateway: Gateway;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mp-eval-gw-'));
    const target = 'sim/sim-chat-2026-01-15';
    writeFileSync(
      join(dir, 'models.yml'),
      `providers:\n  sim: { type: simulator, scenario: "${join(FIXTURES, 'eval-scenario.yml')}" }\nroutes:\n` +
        ['extract', 'sentiment', 'codegen', 'judge']
          .map((r) => `  ${r}:\n    targets: { production: ${target} }\n`)
          .join('') +
        `store: { type: sqlite, path: gw.db }\n`,
    );
    gateway = await createGateway({
      configPath: join(dir, 'models.yml'),
      env: 'production',
      port: 0,
      logger: silent,
      watch: false,
      pollIntervalMs: 0,
      usageFlushMs: 20,
      clock: new ManualClock(Date.UTC(2026, 0, 20)),
    });
  });

  afterAll(async () => {
    await gateway.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs the suites over HTTP and sees the served snapshot', async () => {
    const { code, out } = await runEval(
      [join(FIXTURES, 'suites')],
      { gateway: gateway.url, cache: false, json: 'gw.json' },
      { cwd: dir, now: Date.UTC(2026, 0, 20) },
    );
    expect(out).toContain('production: 6/6 cases passed');
    expect(code).toBe(0);
    const report = JSON.parse(readFileSync(join(dir, 'gw.json'), 'utf8')) as EvalReport;
    const arm = report.run.arms[0];
    expect(arm?.summary.servedModels).toEqual(['sim-chat-2026-01-15']);
    expect(arm?.cases.map((c) => c.target)).toContain('gateway:extract');
    expect(arm?.summary.costUsd).not.toBeNull(); // priced from the catalog by served snapshot
  });

  it('refuses --gateway with --compare (a gateway serves one environment)', async () => {
    await expect(
      runEvalCommand(
        [join(FIXTURES, 'suites')],
        { gateway: gateway.url, compare: ['production', 'staging'] },
        { out: () => undefined, err: () => undefined, cwd: dir, env: {}, clock: new ManualClock(), tty: false },
      ),
    ).rejects.toThrow(/--gateway serves one environment/);
  });
});
