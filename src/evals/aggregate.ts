import type { ArmSummary, CaseResult, CaseStatus, SampleResult } from './run-types.js';
import { percentile } from './stats.js';

/**
 * A case passes when at least ceil(threshold x non-errored samples) samples pass. Samples
 * that errored after retries are neither passes nor failures; a case with only errored
 * samples is "errored".
 */
export function caseStatus(
  samples: readonly SampleResult[],
  threshold: number,
): { status: CaseStatus; passes: number; failures: number; errors: number; required: number } {
  const passes = samples.filter((s) => s.status === 'passed').length;
  const failures = samples.filter((s) => s.status === 'failed').length;
  const errors = samples.length - passes - failures;
  const graded = passes + failures;
  const required = Math.max(1, Math.ceil(threshold * graded - 1e-9));
  const status: CaseStatus = graded === 0 ? 'errored' : passes >= required ? 'passed' : 'failed';
  return { status, passes, failures, errors, required };
}

export function summarize(cases: readonly CaseResult[]): ArmSummary {
  const samples = cases.flatMap((c) => c.samples);
  const answered = samples.filter((s) => s.status !== 'errored');
  const costs = answered.map((s) => s.costUsd);
  const latencies = answered.filter((s) => !s.cached).map((s) => s.latencyMs);
  return {
    cases: cases.length,
    passed: cases.filter((c) => c.status === 'passed').length,
    failed: cases.filter((c) => c.status === 'failed').length,
    errored: cases.filter((c) => c.status === 'errored').length,
    samples: samples.length,
    retriedSamples: samples.filter((s) => s.retried.length > 0).length,
    cachedSamples: samples.filter((s) => s.cached).length,
    inputTokens: answered.reduce((n, s) => n + s.inputTokens, 0),
    outputTokens: answered.reduce((n, s) => n + s.outputTokens, 0),
    // Unknown prices stay unknown rather than silently counting as $0.
    costUsd:
      costs.length === 0 || costs.some((c) => c === null) ? null : costs.reduce<number>((n, c) => n + (c ?? 0), 0),
    p50LatencyMs: percentile(latencies, 50),
    p95LatencyMs: percentile(latencies, 95),
    servedModels: [...new Set(answered.map((s) => s.servedModel).filter((m): m is string => m !== null))].sort(),
    fingerprints: [...new Set(answered.map((s) => s.fingerprint).filter((m): m is string => m !== null))].sort(),
  };
}
