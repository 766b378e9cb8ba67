/**
 * An eval run through a gateway, both exporting to one OTLP receiver: the run, each case (with its
 * verdict) and each sample are spans, and the gateway's call span continues the sample's trace.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { createGateway, type Gateway } from '../../src/gateway/server.js';
import { runEvalCommand } from '../../src/evals/eval-command.js';
import { startOtlpReceiver, type OtlpReceiver } from './otlp-receiver.js';

const silent = { log: () => undefined };

describe('eval run spans', () => {
  let dir: string;
  let gateway: Gateway;
  let otlp: OtlpReceiver;
  let code: number;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mp-otel-eval-'));
    otlp = await startOtlpReceiver();
    const env = { OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' };
    writeFileSync(
      join(dir, 'models.yml'),
      `providers:\n  sim: { type: simulator, fast: true }\nroutes:\n  summarize: { targets: { production: sim/sim-chat-2026-01-15 } }\nstore: { type: sqlite, path: gw.db }\n`,
    );
    mkdirpWrite(
      join(dir, 'evals', 'smoke.yml'),
      `name: smoke
cases:
  - id: answers
    route: summarize
    repeat: 2
    prompt: "Say hello."
    assert:
      - { type: not-contains, value: "a string no simulated answer contains 8d1f" }
  - id: impossible
    route: summarize
    prompt: "Say hello."
    assert:
      - { type: contains, value: "a string no simulated answer contains 8d1f" }
`,
    );
    gateway = await createGateway({
      configPath: join(dir, 'models.yml'),
      env: 'production',
      port: 0,
      logger: silent,
      watch: false,
      pollIntervalMs: 0,
      usageFlushMs: 20,
      envVars: env,
    });
    code = await runEvalCommand(
      [join(dir, 'evals')],
      { gateway: gateway.url, cache: false, quiet: true },
      {
        out: () => undefined,
        err: () => undefined,
        cwd: dir,
        env,
        clock: new ManualClock(Date.UTC(2026, 0, 20)),
        tty: false,
      },
    );
    // The gateway flushes its spans on close; the eval command flushed its own before returning.
    await gateway.close();
  }, 60_000);

  afterAll(async () => {
    await otlp.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('has a run span, a case span per case with its verdict, and a sample span per sample', () => {
    expect(code).toBe(1); // one case fails
    const run = otlp.spans.find((s) => s.name === 'eval run');
    expect(run?.attributes['modelpin.eval.suites']).toEqual(['smoke']);
    expect(run?.attributes['modelpin.eval.passed']).toBe(1);
    expect(run?.attributes['modelpin.eval.failed']).toBe(1);
    expect(run?.attributes['modelpin.eval.completed_samples']).toBe(3);
    const cases = otlp.spans.filter((s) => s.parentSpanId === run?.spanId);
    const answers = cases.find((s) => s.name === 'eval case smoke/answers');
    const impossible = cases.find((s) => s.name === 'eval case smoke/impossible');
    expect(answers?.attributes['modelpin.eval.verdict']).toBe('passed');
    expect(answers?.attributes['modelpin.eval.passes']).toBe(2);
    expect(answers?.attributes['modelpin.route']).toBe('summarize');
    expect(impossible?.attributes['modelpin.eval.verdict']).toBe('failed');
    expect(impossible?.attributes['modelpin.eval.failures']).toBe(1);
    const samples = otlp.spans.filter((s) => s.parentSpanId === answers?.spanId);
    expect(samples.map((s) => s.attributes['modelpin.eval.sample']).sort()).toEqual([0, 1]);
    expect(
      samples.every(
        (s) =>
          s.attributes['modelpin.eval.status'] === 'passed' &&
          s.attributes['gen_ai.response.model'] === 'sim-chat-2026-01-15',
      ),
    ).toBe(true);
  });

  it('the gateway continues each sample trace: its call span is the sample span child', () => {
    const samples = otlp.spans.filter((s) => s.name.startsWith('eval sample '));
    expect(samples).toHaveLength(3);
    for (const sample of samples) {
      const call = otlp.spans.find((s) => s.parentSpanId === sample.spanId);
      expect(call?.name).toBe('chat summarize');
      expect(call?.traceId).toBe(sample.traceId);
    }
  });
});

function mkdirpWrite(path: string, text: string): void {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
}
