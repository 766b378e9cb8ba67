/**
 * One version's drill-down: its most recent requests and its cases in the latest eval runs.
 * Both reads are bounded (a LIMIT on usage, a day window and a run count on eval history), so the
 * cost does not grow with traffic.
 */
import { z } from 'zod';
import type { EvalCaseResultRecord, Store, UsageQuery } from '../store/types.js';
import { NO_VALUE } from '../usage/summarize.js';
import { badParam } from './params.js';

export const DRILL_GROUPINGS = ['served-model', 'target'] as const;
const MAX_REQUESTS = 200;
/** Eval history looked at: the latest runs within this many days. */
const EVAL_DAYS = 14;
const MAX_RUNS = 3;
const MAX_CASES = 100;

const schema = z
  .object({
    by: z.enum(DRILL_GROUPINGS, `expected one of ${DRILL_GROUPINGS.join(', ')}`).default('served-model'),
    key: z.string().min(1, 'must not be empty').max(200, 'is longer than 200 characters'),
    route: z.string().trim().min(1).max(200).optional(),
    env: z.string().trim().min(1).max(200).optional(),
    limit: z.coerce
      .number({ error: `expected an integer from 1 to ${MAX_REQUESTS}` })
      .int(`expected an integer from 1 to ${MAX_REQUESTS}`)
      .min(1, `expected an integer from 1 to ${MAX_REQUESTS}`)
      .max(MAX_REQUESTS, `expected an integer from 1 to ${MAX_REQUESTS}`)
      .default(50),
  })
  .strict();

export type DrillParams = z.output<typeof schema>;

export function parseDrillParams(search: URLSearchParams): DrillParams {
  const raw: Record<string, string> = {};
  for (const [k, v] of search) {
    if (k === 'token') continue;
    if (k in raw) throw badParam(k, `"${k}" is given more than once`);
    raw[k] = v;
  }
  const r = schema.safeParse(raw);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  if (issue?.code === 'unrecognized_keys')
    throw badParam(
      issue.keys[0] ?? 'query',
      `is not a known parameter (known: ${Object.keys(schema.shape).join(', ')})`,
    );
  const path = issue?.path[0];
  throw badParam(typeof path === 'string' ? path : 'query', issue?.message ?? 'invalid value');
}

export interface DrillRequest {
  ts: number;
  route: string;
  env: string;
  target: string;
  servedModel: string | null;
  status: number;
  errorCode: string | null;
  latencyMs: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number | null;
}

export interface DrillCase extends EvalCaseResultRecord {
  runId: string;
  startedAt: number;
  env: string;
  suite: string;
}

export interface DrillResponse {
  by: DrillParams['by'];
  key: string;
  /** Newest first, at most `limit`. */
  requests: DrillRequest[];
  limit: number;
  /** Cases of the latest runs (newest run first) that this version answered. */
  cases: DrillCase[];
  runs: number;
  evalDays: number;
}

export async function drillDownView(store: Store, now: number, p: DrillParams): Promise<DrillResponse> {
  const match: UsageQuery =
    p.by === 'served-model' ? { servedModel: p.key === NO_VALUE ? null : p.key } : { target: p.key };
  const usage = await store.queryUsage({
    ...match,
    untilMs: now + 1,
    latest: p.limit,
    ...(p.route !== undefined ? { route: p.route } : {}),
    ...(p.env !== undefined ? { env: p.env } : {}),
  });
  const evalRuns = await store.listEvalRuns({
    sinceMs: now - EVAL_DAYS * 86_400_000,
    ...(p.route !== undefined ? { route: p.route } : {}),
    ...(p.env !== undefined ? { env: p.env } : {}),
  });
  const mine = evalRuns
    .filter(
      (r) => r.startedAt <= now && (p.by === 'served-model' ? r.servedModels.includes(p.key) : r.target === p.key),
    )
    .sort((a, b) => b.startedAt - a.startedAt)
    .slice(0, MAX_RUNS);
  const cases = mine
    .flatMap((r) =>
      r.cases
        .filter((c) => (p.by === 'served-model' ? c.servedModel === p.key : c.target === p.key))
        .map((c) => ({ ...c, runId: r.id, startedAt: r.startedAt, env: r.env, suite: r.suite })),
    )
    .slice(0, MAX_CASES);
  return {
    by: p.by,
    key: p.key,
    requests: usage.map((u) => ({
      ts: u.ts,
      route: u.route,
      env: u.env,
      target: u.target,
      servedModel: u.servedModel,
      status: u.status,
      errorCode: u.errorCode,
      latencyMs: u.latencyMs,
      inputTokens: u.inputTokens,
      outputTokens: u.outputTokens,
      costUsd: u.costUsd,
    })),
    limit: p.limit,
    cases,
    runs: mine.length,
    evalDays: EVAL_DAYS,
  };
}
