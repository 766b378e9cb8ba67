/**
 * Eval runs as spans: one per run, one per case (a route and arm of it) carrying its verdict, and one
 * per sample whose traceparent goes with the call, so a gateway under test continues the same trace.
 * Loaded only when telemetry is on.
 */
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, defaultTextMapSetter, trace, type Span } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { ATTR_ERROR_TYPE } from '@opentelemetry/semantic-conventions';
import { GEN_AI } from './genai.js';
import type { TelemetrySdk } from './sdk.js';
import type { EvalCaseSpan, EvalRunSpan, EvalTelemetry } from './types.js';

const propagator = new W3CTraceContextPropagator();

export function createEvalTelemetry(sdk: TelemetrySdk, shutdownTimeoutMs: number): EvalTelemetry {
  const tracer = sdk.tracer;
  return {
    run(r): EvalRunSpan {
      if (tracer === null) return NO_RUN;
      const run = tracer.startSpan('eval run', {
        attributes: { 'modelpin.eval.suites': r.suites, 'modelpin.eval.arms': r.arms },
      });
      const runCtx = trace.setSpan(ROOT_CONTEXT, run);
      return {
        case(c): EvalCaseSpan {
          const span = tracer.startSpan(
            `eval case ${c.suite}/${c.caseId}`,
            {
              attributes: {
                'modelpin.eval.suite': c.suite,
                'modelpin.eval.case': c.caseId,
                'modelpin.route': c.route,
                'modelpin.eval.arm': c.arm,
                'modelpin.env': c.env,
                'modelpin.target': c.target,
              },
            },
            runCtx,
          );
          const caseCtx = trace.setSpan(ROOT_CONTEXT, span);
          return {
            sample(index) {
              const s = tracer.startSpan(
                `eval sample ${c.suite}/${c.caseId} #${index}`,
                {
                  kind: SpanKind.CLIENT,
                  attributes: { 'modelpin.eval.sample': index, [GEN_AI.requestModel]: c.route },
                },
                caseCtx,
              );
              const headers: Record<string, string> = {};
              propagator.inject(trace.setSpan(ROOT_CONTEXT, s), headers, defaultTextMapSetter);
              return {
                headers,
                end(result) {
                  s.setAttributes({
                    'modelpin.eval.status': result.status,
                    'modelpin.eval.cached': result.cached,
                    [GEN_AI.inputTokens]: result.inputTokens,
                    [GEN_AI.outputTokens]: result.outputTokens,
                    ...(result.servedModel !== null ? { [GEN_AI.responseModel]: result.servedModel } : {}),
                  });
                  if (result.error) {
                    s.setAttribute(ATTR_ERROR_TYPE, result.error.code);
                    s.setStatus({ code: SpanStatusCode.ERROR });
                  }
                  s.end();
                },
              };
            },
            end(verdict) {
              endCase(span, verdict);
            },
          };
        },
        end(result) {
          run.setAttributes({
            'modelpin.eval.interrupted': result.interrupted,
            'modelpin.eval.planned_samples': result.planned,
            'modelpin.eval.completed_samples': result.completed,
            'modelpin.eval.passed': result.passed,
            'modelpin.eval.failed': result.failed,
            'modelpin.eval.errored': result.errored,
          });
          if (result.interrupted) run.setStatus({ code: SpanStatusCode.ERROR, message: 'interrupted' });
          run.end();
        },
      };
    },
    shutdown: () => sdk.shutdown(shutdownTimeoutMs),
  };
}

function endCase(span: Span, verdict: Parameters<EvalCaseSpan['end']>[0]): void {
  if (verdict === null) {
    span.setAttribute('modelpin.eval.verdict', 'interrupted');
  } else {
    span.setAttributes({
      'modelpin.eval.verdict': verdict.status,
      'modelpin.eval.passes': verdict.passes,
      'modelpin.eval.failures': verdict.failures,
      'modelpin.eval.errors': verdict.errors,
      'modelpin.eval.score': verdict.score,
    });
    // A failed case is a finding, not an error of the run; an errored one (calls failed) is.
    if (verdict.status === 'errored') span.setStatus({ code: SpanStatusCode.ERROR, message: 'every sample errored' });
  }
  span.end();
}

const NO_CASE: EvalCaseSpan = { sample: () => ({ headers: {}, end() {} }), end() {} };
const NO_RUN: EvalRunSpan = { case: () => NO_CASE, end() {} };
