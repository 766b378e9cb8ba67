/**
 * The model <-> tool loop of a tool-calling case: call the model with the case's tools, answer each
 * tool call with the suite's canned result, and call again, until the model answers without a tool
 * call or the step limit is reached. Every call goes through the same policy (cache, rate limit,
 * timeout, retries) and the caller's codec, so the loop runs the same in every wire format.
 */
import type {
  CanonicalRequest,
  CanonicalResponse,
  Message,
  ToolResultPart,
  ToolUsePart,
  Usage,
} from '../wire/canonical.js';
import { callWithPolicy, CallFailed, type CallDeps } from './call-policy.js';
import type { EvalCaller, ToolCallRecord } from './run-types.js';
import { cannedAnswer, type AgentSpec } from './tool-case.js';

export interface LoopOutcome {
  /** The last answer, with usage summed over every step. */
  response: CanonicalResponse;
  toolCalls: ToolCallRecord[];
  steps: number;
  /** The model still asked for tools when the step limit ended the loop. */
  stepLimitHit: boolean;
  latencyMs: number;
  attempts: number;
  retried: string[];
  /** Every step came from the cache. */
  cached: boolean;
}

function addUsage(a: Usage, b: Usage): Usage {
  const out: Usage = { inputTokens: a.inputTokens + b.inputTokens, outputTokens: a.outputTokens + b.outputTokens };
  for (const k of ['cachedInputTokens', 'cacheCreationInputTokens', 'reasoningTokens'] as const) {
    const v = (a[k] ?? 0) + (b[k] ?? 0);
    if (v > 0) out[k] = v;
  }
  return out;
}

export async function runToolLoop(
  spec: AgentSpec,
  caller: EvalCaller,
  first: CanonicalRequest,
  sample: number,
  timeoutMs: number | undefined,
  deps: CallDeps,
  signal?: AbortSignal,
  /** Sent with each step's call (the sample span's traceparent). */
  headers?: Record<string, string>,
): Promise<LoopOutcome> {
  const history: Message[] = [];
  const toolCalls: ToolCallRecord[] = [];
  let usage: Usage = { inputTokens: 0, outputTokens: 0 };
  let latencyMs = 0;
  let attempts = 0;
  let cached = true;
  const retried: string[] = [];
  for (let step = 1; ; step++) {
    const req: CanonicalRequest = { ...first, messages: [...first.messages, ...history], tools: spec.tools };
    let out;
    try {
      out = await callWithPolicy(caller, req, sample, timeoutMs, deps, signal, headers);
    } catch (e) {
      // The attempts of earlier steps count too: a report shows what the whole loop cost.
      if (e instanceof CallFailed) throw new CallFailed(e.error, attempts + e.attempts, [...retried, ...e.retried]);
      throw e;
    }
    usage = addUsage(usage, out.response.usage);
    latencyMs += out.latencyMs;
    attempts += out.attempts;
    retried.push(...out.retried);
    cached &&= out.cached;
    const uses = out.response.content.filter((p): p is ToolUsePart => p.type === 'tool_use');
    const done = uses.length === 0;
    const limit = !done && step >= spec.maxSteps;
    if (done || limit) {
      for (const u of uses) toolCalls.push({ step, name: u.name, args: u.input, answered: 'unanswered' });
      return {
        response: { ...out.response, usage },
        toolCalls,
        steps: step,
        stepLimitHit: limit,
        latencyMs,
        attempts,
        retried,
        cached,
      };
    }
    const results: ToolResultPart[] = uses.map((u) => {
      const a = cannedAnswer(spec, u.name, u.input);
      toolCalls.push({ step, name: u.name, args: u.input, answered: a.match });
      return {
        type: 'tool_result',
        toolUseId: u.id,
        name: u.name,
        content: [{ type: 'text', text: a.text }],
        ...(a.isError ? { isError: true } : {}),
      };
    });
    history.push({ role: 'assistant', content: out.response.content }, { role: 'user', content: results });
  }
}
