import { randomUUID } from 'node:crypto';
import type { EvalCaseResultRecord, EvalRunRecord, Store } from '../store/types.js';
import type { CaseResult, RunResult } from './run-types.js';
import { summarize } from './aggregate.js';

/** Enough of an answer to see a drifted opener or a fence, without letting history grow with answer length. */
const ANSWER_CHARS = 2000;

function caseRecord(c: CaseResult): EvalCaseResultRecord {
  const graded = c.samples.filter((s) => s.status !== 'errored');
  const first = graded[0] ?? c.samples[0];
  const costs = graded.map((s) => s.costUsd);
  return {
    caseId: c.caseId,
    route: c.route,
    target: c.target,
    servedModel: first?.servedModel ?? null,
    passed: c.status === 'passed',
    errored: c.status === 'errored',
    score: c.score,
    inputTokens: graded.reduce((n, s) => n + s.inputTokens, 0),
    outputTokens: graded.reduce((n, s) => n + s.outputTokens, 0),
    costUsd:
      costs.length === 0 || costs.some((x) => x === null) ? null : costs.reduce<number>((n, x) => n + (x ?? 0), 0),
    latencyMs: graded.length === 0 ? 0 : graded.reduce((n, s) => n + s.latencyMs, 0) / graded.length,
    answer: first ? first.output.slice(0, ANSWER_CHARS) : null,
    reasons: c.samples
      .flatMap((s) =>
        s.error
          ? [`${s.error.code}: ${s.error.message}`]
          : s.assertions.filter((a) => !a.pass).map((a) => `${a.label}: ${a.reason}`),
      )
      .slice(0, 10),
  };
}

/** One history record per (suite, route, arm): what `history` and promotion streaks read. */
export function toEvalRunRecords(run: RunResult, newId: () => string = randomUUID): EvalRunRecord[] {
  const out: EvalRunRecord[] = [];
  for (const arm of run.arms) {
    const groups = new Map<string, CaseResult[]>();
    for (const c of arm.cases) {
      const k = `${c.suite}\u0000${c.route}`;
      const list = groups.get(k) ?? [];
      list.push(c);
      groups.set(k, list);
    }
    for (const cases of groups.values()) {
      const first = cases[0];
      if (!first) continue;
      const suite = run.suites.find((s) => s.name === first.suite);
      const s = summarize(cases);
      out.push({
        id: newId(),
        startedAt: run.startedAt,
        finishedAt: run.finishedAt,
        suite: first.suite,
        suiteHash: suite?.hash ?? '',
        env: arm.env,
        route: first.route,
        target: first.target,
        servedModels: s.servedModels,
        fingerprints: s.fingerprints,
        // An interrupted run is never evidence of green.
        passed: !run.interrupted && s.failed === 0 && s.errored === 0,
        totalCases: s.cases,
        passedCases: s.passed,
        failedCases: s.failed,
        erroredCases: s.errored,
        inputTokens: s.inputTokens,
        outputTokens: s.outputTokens,
        costUsd: s.costUsd,
        p50LatencyMs: s.p50LatencyMs,
        p95LatencyMs: s.p95LatencyMs,
        cases: cases.map(caseRecord),
      });
    }
  }
  return out;
}

export async function recordRun(store: Store, run: RunResult): Promise<EvalRunRecord[]> {
  const records = toEvalRunRecords(run);
  for (const r of records) await store.insertEvalRun(r);
  return records;
}
