/** What a recorded run keeps per case: the dashboard's drill-down shows the answer beside the verdict. */
import { describe, expect, it } from 'vitest';
import { toEvalRunRecords } from '../../src/evals/record.js';
import type { CaseResult, RunResult, SampleResult } from '../../src/evals/run-types.js';

function sample(over: Partial<SampleResult>): SampleResult {
  return {
    index: 0,
    status: 'passed',
    score: 1,
    output: 'ok',
    servedModel: 'sim-chat-2026-12-10',
    fingerprint: null,
    inputTokens: 5,
    outputTokens: 3,
    costUsd: 0.001,
    latencyMs: 100,
    attempts: 1,
    retried: [],
    cached: false,
    assertions: [],
    ...over,
  };
}

function kase(caseId: string, samples: SampleResult[], status: CaseResult['status']): CaseResult {
  return {
    suite: 's',
    caseId,
    route: 'summarize',
    arm: 'staging',
    env: 'staging',
    target: 'sim/sim-chat-latest',
    status,
    passes: 0,
    failures: 0,
    errors: 0,
    required: 1,
    score: status === 'passed' ? 1 : 0,
    samples,
  };
}

const summary = {
  cases: 0,
  passed: 0,
  failed: 0,
  errored: 0,
  samples: 0,
  retriedSamples: 0,
  cachedSamples: 0,
  inputTokens: 0,
  outputTokens: 0,
  costUsd: null,
  p50LatencyMs: null,
  p95LatencyMs: null,
  servedModels: [],
  fingerprints: [],
};

describe('eval run records', () => {
  it("keep each case's first graded answer, truncated to 2,000 characters", () => {
    const run: RunResult = {
      startedAt: 1,
      finishedAt: 2,
      interrupted: false,
      plannedSamples: 4,
      completedSamples: 4,
      suites: [{ name: 's', file: 's.yml', hash: 'h' }],
      arms: [
        {
          arm: 'staging',
          env: 'staging',
          summary,
          cases: [
            kase(
              'fence',
              [
                sample({ status: 'errored', output: '', error: { code: 'timeout', message: 't' } }),
                sample({ status: 'failed', score: 0, output: '```json\n{}\n```' }),
              ],
              'failed',
            ),
            kase('long', [sample({ output: 'x'.repeat(5000) })], 'passed'),
            kase(
              'down',
              [sample({ status: 'errored', output: '', error: { code: 'timeout', message: 't' } })],
              'errored',
            ),
          ],
        },
      ],
    };
    const [rec] = toEvalRunRecords(run, () => 'id');
    expect(rec?.cases.map((c) => [c.caseId, c.answer?.length])).toEqual([
      ['fence', 14],
      ['long', 2000],
      ['down', 0],
    ]);
    expect(rec?.cases[0]?.answer).toBe('```json\n{}\n```');
  });
});
