/**
 * What the gateway and the eval runner see of telemetry: interfaces only. The implementation
 * (src/telemetry/gateway-spans.ts, src/telemetry/eval-spans.ts) is loaded by a dynamic import when
 * telemetry is on, so a gateway without it never loads the SDK.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { ModelpinError } from '../core/errors.js';
import type { AttemptHook } from '../routing/dispatch.js';
import type { RoutePlan } from '../routing/types.js';
import type { UsageRecord } from '../store/types.js';
import type { CanonicalRequest, CanonicalResponse } from '../wire/canonical.js';

/** What a finished call tells its span: the usage record carries route, target, tokens and status. */
export interface FinishedCall {
  usage: UsageRecord;
  error: ModelpinError | null;
  plan: RoutePlan | null;
  request: CanonicalRequest | null;
  response: CanonicalResponse | null;
}

/** The span of one gateway call; each upstream attempt becomes a child span through the hook. */
export interface CallSpan extends AttemptHook {
  end(call: FinishedCall): void;
  /** A call that leaves no usage record (failed authentication) still ends its span. */
  abandon(status: number, error: ModelpinError): void;
}

export interface GatewayTelemetry {
  /** Opens a call's span, continuing the caller's W3C traceparent when it sent one. */
  open(headers: IncomingHttpHeaders, operation: 'chat' | 'embeddings'): CallSpan;
  /** Flushes what is buffered and stops exporting; bounded by a timeout, never throws. */
  shutdown(): Promise<void>;
}

/** One eval case (a route and arm of it), as a span opened with its first sample. */
export interface EvalCaseSpan {
  /** A sample's span; its traceparent goes to the model (or gateway) under test. */
  sample(index: number): {
    headers: Record<string, string>;
    end(s: {
      status: string;
      servedModel: string | null;
      inputTokens: number;
      outputTokens: number;
      cached: boolean;
      error?: { code: string };
    }): void;
  };
  /** The case's verdict over its samples; null when the run stopped before it finished. */
  end(verdict: { status: string; passes: number; failures: number; errors: number; score: number } | null): void;
}

export interface EvalRunSpan {
  case(c: { suite: string; caseId: string; route: string; arm: string; env: string; target: string }): EvalCaseSpan;
  end(r: {
    interrupted: boolean;
    planned: number;
    completed: number;
    passed: number;
    failed: number;
    errored: number;
  }): void;
}

export interface EvalTelemetry {
  run(r: { suites: string[]; arms: string[] }): EvalRunSpan;
  shutdown(): Promise<void>;
}
