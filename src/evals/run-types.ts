import type { CallOptions } from '../providers/types.js';
import type { CanonicalRequest, CanonicalResponse, StopReason } from '../wire/canonical.js';

/** One way to call a route's model: a configured target, a forced model, or a gateway route. */
export interface EvalCaller {
  /** Provider id: the rate-limit bucket and part of the cache key. */
  provider: string;
  /** Model id sent upstream (a route name when calling through a gateway). */
  model: string;
  /** What reports show as configured: `provider/model` or `gateway:<route>`. */
  target: string;
  call(req: CanonicalRequest, opts: CallOptions): Promise<CanonicalResponse>;
  /** USD for a response from catalog prices; null when unknown. */
  cost(res: CanonicalResponse): number | null;
}

/** One side of a run: an environment or a forced model. */
export interface Arm {
  /** Label in reports: the env name, or the model ref for --compare-models. */
  name: string;
  env: string;
  /** Caller for a route. Throws ConfigError (exit 2) for an unknown route. */
  resolve(route: string): EvalCaller;
}

export type CaseStatus = 'passed' | 'failed' | 'errored';

export interface AssertionOutcome {
  type: string;
  label: string;
  path: string;
  pass: boolean;
  score: number;
  reason: string;
}

/** One tool call the model made in a tool loop, and how the suite answered it. */
export interface ToolCallRecord {
  /** 1-based model call that made it. */
  step: number;
  name: string;
  args: Record<string, unknown>;
  /** args: an exact-args canned result; default: the tool's default; none/unknown-tool: an error result; unanswered: the step limit ended the loop first. */
  answered: 'args' | 'default' | 'none' | 'unknown-tool' | 'unanswered';
}

export interface SampleResult {
  index: number;
  status: CaseStatus;
  score: number;
  output: string;
  servedModel: string | null;
  fingerprint: string | null;
  inputTokens: number;
  outputTokens: number;
  costUsd: number | null;
  latencyMs: number;
  attempts: number;
  /** Codes of transient errors that were retried (reported, not counted as failures). */
  retried: string[];
  cached: boolean;
  /** Why the model stopped (a content filter is a refusal); absent for errored samples. */
  stopReason?: StopReason;
  error?: { code: string; message: string };
  assertions: AssertionOutcome[];
  /** Tool-calling cases only. */
  toolCalls?: ToolCallRecord[];
  steps?: number;
}

export interface CaseResult {
  suite: string;
  caseId: string;
  description?: string;
  route: string;
  arm: string;
  env: string;
  target: string;
  status: CaseStatus;
  passes: number;
  failures: number;
  errors: number;
  /** Passing samples needed (threshold x non-errored samples, rounded up). */
  required: number;
  score: number;
  samples: SampleResult[];
}

export interface ArmSummary {
  cases: number;
  passed: number;
  failed: number;
  errored: number;
  samples: number;
  retriedSamples: number;
  cachedSamples: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number | null;
  p50LatencyMs: number | null;
  p95LatencyMs: number | null;
  servedModels: string[];
  fingerprints: string[];
}

export interface ArmRun {
  arm: string;
  env: string;
  cases: CaseResult[];
  summary: ArmSummary;
}

export interface RunResult {
  startedAt: number;
  finishedAt: number;
  /** Stopped early (SIGINT/abort): results hold only the samples that completed. */
  interrupted: boolean;
  plannedSamples: number;
  completedSamples: number;
  suites: Array<{ name: string; file: string; hash: string }>;
  arms: ArmRun[];
}

export type ProgressEvent =
  | { kind: 'start'; total: number }
  | { kind: 'sample'; done: number; total: number; label: string; status: CaseStatus; cached: boolean };
