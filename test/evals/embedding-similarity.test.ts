import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { ConfigError } from '../../src/core/errors.js';
import { reportError } from '../../src/cli/action.js';
import { runEvalCommand, type EvalFlags } from '../../src/evals/eval-command.js';
import type { EvalReport } from '../../src/evals/reports/types.js';
import { evalInProcess } from './sim.js';
import { startSimulatorServer, type SimulatorServer } from '../../src/sim/server.js';

const REFERENCE = 'The function add(a, b) simply returns the sum of a and b: return a + b.';

let sim: SimulatorServer;

beforeAll(async () => {
  sim = await startSimulatorServer({
    port: 0,
    scenario: 'default',
    fast: true,
    clock: new ManualClock(Date.UTC(2026, 10, 26)),
  });
});
afterAll(async () => {
  await sim.close();
});

/** A workspace whose suite checks answers against REFERENCE through the embeddings route `embeddingRoute`. */
function workspace(embeddingRoute: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'mp-embed-eval-'));
  writeFileSync(
    join(dir, 'models.yml'),
    `version: 1
providers:
  sim: { type: simulator, scenario: default, fast: true }
  simhttp: { type: openai-compatible, base_url: "${sim.url}/v1" }
  claude: { type: anthropic, api_key: "\${EMBED_TEST_ANTHROPIC_KEY:-unused-no-call-is-made}" }
routes:
  codegen:
    targets: { production: sim/sim-chat-2026-01-15 }
  embed:
    targets: { production: sim/sim-embed-2026-03-01 }
  embed-http:
    targets: { production: simhttp/sim-embed-2026-03-01 }
  embed-anthropic:
    targets: { production: claude/claude-sonnet-4-20250514 }
store: { type: sqlite, path: .modelpin/evals.db }
`,
  );
  const check = `{ type: similar-to, metric: embedding, embedding_route: ${embeddingRoute}, threshold: 0.6, value: "${REFERENCE}" }`;
  writeFileSync(
    join(dir, 'similar.yml'),
    `name: similar
cases:
  - id: paraphrase
    route: codegen
    prompt: "Write a JavaScript function add(a, b) that returns the sum."
    assert:
      - ${check}
  - id: unrelated
    route: codegen
    prompt: "Tell me about the history of Paris."
    assert:
      - ${check}
`,
  );
  return dir;
}

async function run(embeddingRoute: string, flags: EvalFlags = {}) {
  const cwd = workspace(embeddingRoute);
  const { code, out } = await evalInProcess(
    [join(cwd, 'similar.yml')],
    { cache: false, json: 'report.json', ...flags },
    { cwd },
  );
  const report = JSON.parse(readFileSync(join(cwd, 'report.json'), 'utf8')) as EvalReport;
  return { code, out, report };
}

function outcomes(report: EvalReport) {
  return (report.run.arms[0]?.cases ?? []).map((c) => {
    const a = c.samples[0]?.assertions[0];
    return { id: c.caseId, status: c.status, pass: a?.pass, score: a?.score ?? 0, reason: a?.reason ?? '' };
  });
}

describe('similar-to with metric: embedding', () => {
  it.each(['embed', 'embed-http'])(
    'route %s: the paraphrase passes, the unrelated answer fails (exit 1)',
    async (route) => {
      const r = await run(route);
      expect(r.code).toBe(1);
      const [paraphrase, unrelated] = outcomes(r.report);
      expect(paraphrase).toMatchObject({ id: 'paraphrase', status: 'passed', pass: true });
      expect(paraphrase?.score).toBeGreaterThan(0.8);
      expect(paraphrase?.reason).toMatch(/^embedding similarity 0\.\d{3} \(threshold 0\.6\)$/);
      expect(unrelated).toMatchObject({ id: 'unrelated', status: 'failed', pass: false });
      expect(unrelated?.score).toBeLessThan(0.3);
      expect(r.out).toContain('1/2 cases passed, 1 failed');
    },
  );

  it('in-process and over HTTP, the simulator gives the same scores', async () => {
    const [a, b] = await Promise.all([run('embed'), run('embed-http')]);
    expect(outcomes(a.report).map((o) => o.score)).toEqual(outcomes(b.report).map((o) => o.score));
  });

  it('an Anthropic embeddings route is a clear config error before any call (exit 2)', async () => {
    const p = run('embed-anthropic');
    await expect(p).rejects.toBeInstanceOf(ConfigError);
    await expect(run('embed-anthropic')).rejects.toThrow(
      'similar-to metric "embedding": route "embed-anthropic" uses provider "claude" (anthropic), which does not implement embed; use metric "cosine" or "levenshtein"',
    );
    expect(await p.then(() => 0, reportError)).toBe(2);
  });

  it('a staging run still grades with the production embeddings target, like a judge', async () => {
    const cwd = workspace('embed');
    // Staging of the embeddings route points at a provider with no embed: it must not be used.
    const yml = readFileSync(join(cwd, 'models.yml'), 'utf8')
      .replace(
        'targets: { production: sim/sim-chat-2026-01-15 }',
        'targets: { production: sim/sim-chat-2026-01-15, staging: sim/sim-chat-2026-01-15 }',
      )
      .replace(
        'targets: { production: sim/sim-embed-2026-03-01 }',
        'targets: { production: sim/sim-embed-2026-03-01, staging: claude/claude-sonnet-4-20250514 }',
      );
    writeFileSync(join(cwd, 'models.yml'), yml);
    const out: string[] = [];
    const code = await runEvalCommand(
      [join(cwd, 'similar.yml')],
      { cache: false, json: 'report.json', env: 'staging' },
      {
        out: (t) => out.push(t),
        err: () => undefined,
        cwd,
        env: {},
        clock: new ManualClock(Date.UTC(2026, 10, 26)),
        tty: false,
      },
    );
    const report = JSON.parse(readFileSync(join(cwd, 'report.json'), 'utf8')) as EvalReport;
    expect(code).toBe(1);
    expect(outcomes(report).map((o) => [o.id, o.status])).toEqual([
      ['paraphrase', 'passed'],
      ['unrelated', 'failed'],
    ]);
  });

  it('an embeddings route to a retired simulated model errors the samples instead of failing them', async () => {
    const cwd = workspace('embed');
    const yml = readFileSync(join(cwd, 'models.yml'), 'utf8').replace(
      'production: sim/sim-embed-2026-03-01',
      'production: sim/sim-chat-2025-06-01',
    );
    writeFileSync(join(cwd, 'models.yml'), yml);
    const out: string[] = [];
    const code = await runEvalCommand(
      [join(cwd, 'similar.yml')],
      { cache: false, json: 'report.json', retries: '0' },
      {
        out: (t) => out.push(t),
        err: () => undefined,
        cwd,
        env: {},
        clock: new ManualClock(Date.UTC(2026, 10, 26)),
        tty: false,
      },
    );
    const report = JSON.parse(readFileSync(join(cwd, 'report.json'), 'utf8')) as EvalReport;
    expect(code).not.toBe(0);
    const cases = report.run.arms[0]?.cases ?? [];
    expect(cases.map((c) => c.status)).toEqual(['errored', 'errored']);
    expect(cases[0]?.samples[0]?.error?.code).toBe('model_retired');
  });
});
