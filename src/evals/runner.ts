import { defaultMaxListeners, setMaxListeners } from 'node:events';
import { ConfigError, UsageError } from '../core/errors.js';
import { systemClock, type Clock } from '../core/clock.js';
import { responseText, type CanonicalRequest } from '../wire/canonical.js';
import type { LoadedCase, LoadedSuite } from './suite-types.js';
import type {
  Arm,
  ArmRun,
  AssertionOutcome,
  CaseResult,
  EvalCaller,
  ProgressEvent,
  RunResult,
  SampleResult,
} from './run-types.js';
import { ProviderRateLimiter, realSleep, type RateLimit, type Sleep } from './rate-limit.js';
import { CallFailed, DEFAULT_RETRY, callWithPolicy, type CallDeps, type RetryPolicy } from './call-policy.js';
import type { ResponseCache } from './cache.js';
import { evaluate } from './evaluate.js';
import { caseStatus, summarize } from './aggregate.js';
import { runToolLoop } from './agent-loop.js';
import type { EvalCaseSpan, EvalRunSpan } from '../telemetry/types.js';

export type Embedder = (texts: string[]) => Promise<number[][]>;

export interface RunOptions {
  suites: LoadedSuite[];
  arms: Arm[];
  /** --route: run only this route; also the route of cases that name none. */
  route?: string;
  /** Route label for cases without routes when the arms do not need one (forced models). */
  fallbackRoute?: string;
  /** --repeat: overrides every case's repeat. */
  repeat?: number;
  concurrency?: number;
  /** --timeout: per-attempt timeout (ms) overriding the suite's. */
  timeoutMs?: number;
  retry?: RetryPolicy;
  rateLimits?: Record<string, RateLimit>;
  cache?: ResponseCache;
  /** Caller for a judge route (llm-rubric). */
  judge?: (route: string) => EvalCaller;
  /** Embedder for an embeddings route; should throw ConfigError when the route's provider has no `embed`. */
  embedder?: (route: string) => Embedder;
  clock?: Clock;
  sleep?: Sleep;
  /** Abort (SIGINT): stop scheduling, abort in-flight calls, return what completed. */
  signal?: AbortSignal;
  onProgress?: (e: ProgressEvent) => void;
  /** The run's trace span (telemetry on): cases and samples become its children, and the runner ends it. */
  trace?: EvalRunSpan;
}

interface WorkItem {
  group: number;
  suite: LoadedSuite;
  c: LoadedCase;
  route: string;
  arm: Arm;
  caller: EvalCaller;
  sample: number;
}

function routesOf(suite: LoadedSuite, c: LoadedCase, o: RunOptions): string[] {
  if (c.routes.length === 0) {
    const r = o.route ?? o.fallbackRoute;
    if (r === undefined)
      throw new UsageError(
        `${suite.file}: ${c.path}: case "${c.id}" names no route; set "route" in the case or in defaults, or pass --route`,
      );
    return [r];
  }
  return o.route === undefined ? c.routes : c.routes.filter((r) => r === o.route);
}

function buildRequest(c: LoadedCase, model: string): CanonicalRequest {
  return {
    model,
    ...(c.system !== undefined ? { system: c.system } : {}),
    messages: c.messages,
    ...c.params,
    ...(c.responseFormat ? { responseFormat: c.responseFormat } : {}),
    stream: false,
  };
}

/** A caller for one case; a config error names the suite file and the case, so a typo is found at once. */
function resolveFor(arm: Arm, route: string, suite: LoadedSuite, c: LoadedCase): EvalCaller {
  try {
    return arm.resolve(route);
  } catch (e) {
    if (e instanceof ConfigError)
      throw new ConfigError(`${suite.file} case "${c.id}" (${c.path}): ${e.message}`, { file: suite.file, cause: e });
    throw e;
  }
}

/** Plan every (case, route, arm, sample), resolving callers first so config errors come before any call. */
function plan(o: RunOptions): { items: WorkItem[]; groups: Array<Omit<WorkItem, 'sample' | 'group'>> } {
  const groups: Array<Omit<WorkItem, 'sample' | 'group'>> = [];
  const items: WorkItem[] = [];
  for (const suite of o.suites) {
    for (const c of suite.cases) {
      for (const route of routesOf(suite, c, o)) {
        const armGroups = o.arms.map((arm) => {
          groups.push({ suite, c, route, arm, caller: resolveFor(arm, route, suite, c) });
          return groups.length - 1;
        });
        const repeat = o.repeat ?? c.repeat;
        for (let s = 0; s < repeat; s++) {
          for (const g of armGroups) {
            const base = groups[g];
            if (base) items.push({ ...base, group: g, sample: s });
          }
        }
      }
    }
  }
  if (groups.length === 0) throw new UsageError(o.route ? `no case runs route "${o.route}"` : 'no cases to run');
  return { items, groups };
}

function preflight(o: RunOptions): { judges: Map<string, EvalCaller>; embedders: Map<string, Embedder> } {
  const judges = new Map<string, EvalCaller>();
  const embedders = new Map<string, Embedder>();
  for (const suite of o.suites) {
    for (const c of suite.cases) {
      for (const a of c.assertions) {
        const { judgeRoute, embedRoute } = a.needs;
        if (judgeRoute !== undefined && !judges.has(judgeRoute)) {
          if (!o.judge)
            throw new ConfigError(
              `${suite.file}: ${a.path}: ${a.type} needs a judge route but none can be resolved here`,
            );
          judges.set(judgeRoute, o.judge(judgeRoute));
        }
        if (embedRoute !== undefined && !embedders.has(embedRoute)) {
          if (!o.embedder)
            throw new ConfigError(
              `${suite.file}: ${a.path}: similar-to with metric "embedding" needs a route whose provider implements embed`,
            );
          embedders.set(embedRoute, o.embedder(embedRoute));
        }
      }
    }
  }
  return { judges, embedders };
}

/** A loop the step limit ended fails its sample: an agent that never finishes is a broken agent. */
function stepLimitOutcome(c: LoadedCase, steps: number): AssertionOutcome {
  const at = `${c.path}.max_steps`;
  return {
    type: 'max-steps',
    label: 'max-steps',
    path: at,
    pass: false,
    score: 0,
    reason: `step limit: still calling tools after ${steps} model call${steps === 1 ? '' : 's'} (max_steps ${c.agent?.maxSteps ?? steps})`,
  };
}

export async function runEvals(o: RunOptions): Promise<RunResult> {
  const clock = o.clock ?? systemClock;
  const sleep = o.sleep ?? realSleep;
  const { items, groups } = plan(o);
  const { judges, embedders } = preflight(o);
  const deps: CallDeps = {
    clock,
    sleep,
    limiter: new ProviderRateLimiter(o.rateLimits ?? {}, clock, sleep),
    retry: o.retry ?? DEFAULT_RETRY,
    ...(o.cache ? { cache: o.cache } : {}),
  };
  const samples: Array<SampleResult[]> = groups.map(() => []);
  const startedAt = clock.now();
  let done = 0;
  o.onProgress?.({ kind: 'start', total: items.length });

  const judge = async (route: string, prompt: string): Promise<string> => {
    const caller = judges.get(route);
    if (!caller) throw new ConfigError(`judge route "${route}" was not prepared`);
    const req: CanonicalRequest = {
      model: caller.model,
      messages: [{ role: 'user', content: [{ type: 'text', text: prompt }] }],
      temperature: 0,
      stream: false,
    };
    const out = await callWithPolicy(caller, req, 0, o.timeoutMs, deps, o.signal).catch((e: unknown) => {
      throw e instanceof CallFailed ? e.error : e;
    });
    return responseText(out.response);
  };
  const embed = async (route: string, texts: string[]): Promise<number[][]> => {
    const e = embedders.get(route);
    if (!e) throw new ConfigError(`embeddings route "${route}" was not prepared`);
    return e(texts);
  };

  // Tracing: a case's span opens with its first sample and ends, with its verdict, after its last.
  const caseSpans: Array<EvalCaseSpan | undefined> = [];
  const samplesLeft = groups.map(() => 0);
  for (const it of items) samplesLeft[it.group] = (samplesLeft[it.group] ?? 0) + 1;
  const caseSpan = (it: WorkItem, run: EvalRunSpan): EvalCaseSpan =>
    (caseSpans[it.group] ??= run.case({
      suite: it.suite.name,
      caseId: it.c.id,
      route: it.route,
      arm: it.arm.name,
      env: it.arm.env,
      target: it.caller.target,
    }));
  const sampleDone = (it: WorkItem): void => {
    samplesLeft[it.group] = (samplesLeft[it.group] ?? 1) - 1;
    if (samplesLeft[it.group] !== 0) return;
    const ss = samples[it.group] ?? [];
    const graded = ss.filter((x) => x.status !== 'errored');
    caseSpans[it.group]?.end({
      ...caseStatus(ss, it.c.threshold),
      score: graded.length === 0 ? 0 : graded.reduce((n, x) => n + x.score, 0) / graded.length,
    });
  };

  const runItem = async (it: WorkItem): Promise<SampleResult | undefined> => {
    const span = o.trace ? caseSpan(it, o.trace).sample(it.sample) : undefined;
    const r = await runSample(it, span?.headers);
    if (span && r) span.end(r);
    return r;
  };

  const runSample = async (
    it: WorkItem,
    headers: Record<string, string> | undefined,
  ): Promise<SampleResult | undefined> => {
    const timeoutMs = o.timeoutMs ?? it.c.timeoutMs;
    const base = {
      index: it.sample,
      output: '',
      servedModel: null,
      fingerprint: null,
      inputTokens: 0,
      outputTokens: 0,
      costUsd: null,
      latencyMs: 0,
      assertions: [],
    };
    try {
      const req = buildRequest(it.c, it.caller.model);
      const loop = it.c.agent
        ? await runToolLoop(it.c.agent, it.caller, req, it.sample, timeoutMs, deps, o.signal, headers)
        : undefined;
      const out = loop ?? (await callWithPolicy(it.caller, req, it.sample, timeoutMs, deps, o.signal, headers));
      const res = out.response;
      const costUsd = it.caller.cost(res);
      const tools = loop ? { toolCalls: loop.toolCalls, steps: loop.steps } : {};
      const verdict = await evaluate(it.c, it.route, res, {
        latencyMs: out.latencyMs,
        costUsd,
        judge,
        embed,
        ...tools,
        ...(o.signal ? { signal: o.signal } : {}),
      });
      if (loop?.stepLimitHit) verdict.outcomes.push(stepLimitOutcome(it.c, loop.steps));
      const pass = verdict.pass && !loop?.stepLimitHit;
      return {
        ...tools,
        ...base,
        status: pass ? 'passed' : 'failed',
        score: loop?.stepLimitHit ? 0 : verdict.score,
        output: responseText(res),
        servedModel: res.model,
        fingerprint: res.systemFingerprint ?? null,
        inputTokens: res.usage.inputTokens,
        outputTokens: res.usage.outputTokens,
        costUsd,
        latencyMs: out.latencyMs,
        attempts: out.attempts,
        retried: out.retried,
        cached: out.cached,
        stopReason: res.stopReason,
        assertions: verdict.outcomes,
      };
    } catch (e) {
      if (o.signal?.aborted) return undefined;
      if (e instanceof ConfigError) throw e;
      const failed = e instanceof CallFailed ? e : undefined;
      const err = failed?.error ?? (e instanceof Error ? e : new Error(String(e)));
      return {
        ...base,
        status: 'errored',
        score: 0,
        attempts: failed?.attempts ?? 1,
        retried: failed?.retried ?? [],
        cached: false,
        error: { code: (err as { code?: string }).code ?? 'internal', message: err.message },
      };
    }
  };

  const workers = Math.max(1, Math.min(o.concurrency ?? 8, items.length));
  // Each in-flight call (plus its judge or embeddings call) listens on the run's signal; that is
  // expected fan-out, not a leak, so Node's default of 10 would warn at --concurrency 11.
  if (o.signal) setMaxListeners(Math.max(defaultMaxListeners, workers * 3 + 10), o.signal);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (!o.signal?.aborted) {
      const it = items[next++];
      if (!it) return;
      const r = await runItem(it);
      if (!r) return;
      samples[it.group]?.push(r);
      if (o.trace) sampleDone(it);
      done++;
      o.onProgress?.({
        kind: 'sample',
        done,
        total: items.length,
        label: `${it.suite.name}/${it.c.id} [${it.route}] ${it.arm.name}`,
        status: r.status,
        cached: r.cached,
      });
    }
  };
  await Promise.all(Array.from({ length: workers }, worker));

  const arms: ArmRun[] = o.arms.map((arm) => {
    const cases: CaseResult[] = [];
    groups.forEach((g, i) => {
      const ss = (samples[i] ?? []).sort((a, b) => a.index - b.index);
      if (g.arm !== arm || ss.length === 0) return;
      const st = caseStatus(ss, g.c.threshold);
      const graded = ss.filter((s) => s.status !== 'errored');
      cases.push({
        suite: g.suite.name,
        caseId: g.c.id,
        ...(g.c.description !== undefined ? { description: g.c.description } : {}),
        route: g.route,
        arm: arm.name,
        env: arm.env,
        target: g.caller.target,
        ...st,
        score: graded.length === 0 ? 0 : graded.reduce((n, s) => n + s.score, 0) / graded.length,
        samples: ss,
      });
    });
    return { arm: arm.name, env: arm.env, cases, summary: summarize(cases) };
  });
  if (o.trace) {
    // Cases an interrupted run never finished end without a verdict.
    groups.forEach((_, i) => {
      if ((samplesLeft[i] ?? 0) > 0) caseSpans[i]?.end(null);
    });
    const total = (k: 'passed' | 'failed' | 'errored'): number => arms.reduce((n, a) => n + a.summary[k], 0);
    o.trace.end({
      interrupted: o.signal?.aborted === true,
      planned: items.length,
      completed: done,
      passed: total('passed'),
      failed: total('failed'),
      errored: total('errored'),
    });
  }
  return {
    startedAt,
    finishedAt: clock.now(),
    interrupted: o.signal?.aborted === true,
    plannedSamples: items.length,
    completedSamples: done,
    suites: o.suites.map((s) => ({ name: s.name, file: s.file, hash: s.hash })),
    arms,
  };
}
