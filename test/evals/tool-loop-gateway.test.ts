import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { createGateway, type Gateway } from '../../src/gateway/server.js';
import { runEvalCommand } from '../../src/evals/eval-command.js';
import type { EvalReport } from '../../src/evals/reports/types.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

describe('--gateway: a tool-calling case through a running gateway', () => {
  let dir: string;
  let gateway: Gateway;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mp-tool-gw-'));
    writeFileSync(
      join(dir, 'models.yml'),
      `providers:\n  sim: { type: simulator, scenario: agents, fast: true }\nroutes:\n  support-agent: { targets: { production: sim/sim-agent-2026-11-25 } }\nstore: { type: sqlite, path: gw.db }\n`,
    );
    gateway = await createGateway({
      configPath: join(dir, 'models.yml'),
      env: 'production',
      port: 0,
      logger: { log: () => undefined },
      watch: false,
      pollIntervalMs: 0,
      usageFlushMs: 20,
      clock: new ManualClock(Date.UTC(2026, 10, 26)),
    });
  });
  afterAll(async () => {
    await gateway.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs the loop over HTTP (OpenAI format) and records the drifted tool calls', async () => {
    const code = await runEvalCommand(
      [join(ROOT, 'examples/evals/agent')],
      { gateway: gateway.url, cache: false, repeat: '1', json: 'gw.json', quiet: true },
      {
        out: () => undefined,
        err: () => undefined,
        cwd: dir,
        env: {},
        clock: new ManualClock(Date.UTC(2026, 10, 26)),
        tty: false,
      },
    );
    expect(code).toBe(1);
    const report = JSON.parse(readFileSync(join(dir, 'gw.json'), 'utf8')) as EvalReport;
    const s = report.run.arms[0]?.cases.find((c) => c.caseId === 'refund-damaged')?.samples[0];
    expect(s?.servedModel).toBe('sim-agent-2026-11-25');
    expect(s?.toolCalls?.map((c) => `${c.name}:${JSON.stringify(c.args)}`)).toEqual([
      'lookup_order:{"order_id":"A-1001"}',
      'lookup_order:{"order_id":"A-1001"}',
      'issue_refund:{"order_id":"A-1001","amount":4999}',
    ]);
    expect(s?.steps).toBe(4);
  });
});
