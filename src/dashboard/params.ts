/**
 * Query parameters of the dashboard API, validated with zod. A bad value becomes a
 * RequestError whose details name the parameter, so the page (and curl users) see which one.
 */
import { z } from 'zod';
import { isModelpinError, RequestError } from '../core/errors.js';
import { parseInterval } from '../usage/series.js';
import { parseSince } from '../usage/since.js';
import { USAGE_GROUPINGS, type UsageGrouping } from '../usage/summarize.js';

const name = z.string().trim().min(1, 'must not be empty').max(200, 'is longer than 200 characters');
const window = z.string().trim().min(1, 'must not be empty').max(40, 'is longer than 40 characters');
const intIn = (min: number, max: number) => {
  const msg = `expected an integer from ${min} to ${max}`;
  return z.coerce.number({ error: msg }).int(msg).min(min, msg).max(max, msg);
};

export const usageParamsSchema = z
  .object({
    since: window.optional(),
    by: z.enum(USAGE_GROUPINGS, `expected one of ${USAGE_GROUPINGS.join(', ')}`).default('served-model'),
    route: name.optional(),
    env: name.optional(),
    interval: window.optional(),
  })
  .strict();

export const stateParamsSchema = z
  .object({
    since: window.optional(),
    audit: intIn(0, 500).default(20),
  })
  .strict();

export const historyParamsSchema = z
  .object({
    days: intIn(1, 366).default(14),
    route: name.optional(),
    env: name.optional(),
  })
  .strict();

export interface UsageParams {
  sinceMs: number;
  /** The window as asked for (or the server default), echoed so the page can show it. */
  window: string;
  by: UsageGrouping;
  route?: string;
  env?: string;
  /** Trend bucket size when asked for; otherwise chosen from the window. */
  bucketMs?: number;
}

export interface StateParams {
  sinceMs: number;
  window: string;
  audit: number;
}

export type HistoryParams = z.output<typeof historyParamsSchema>;

/** `token` authenticates, it is not a data parameter. */
const RESERVED = new Set(['token']);

function toObject(search: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of search) {
    if (RESERVED.has(k)) continue;
    if (k in out) throw badParam(k, `"${k}" is given more than once`);
    out[k] = v;
  }
  return out;
}

export function badParam(param: string, message: string): RequestError {
  return new RequestError('bad_request', `query parameter "${param}": ${message}`, { details: { param } });
}

function parseWith<S extends z.ZodObject>(schema: S, search: URLSearchParams): z.output<S> {
  const r = schema.safeParse(toObject(search));
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const path = issue?.path[0];
  if (issue?.code === 'unrecognized_keys') {
    const key = issue.keys[0] ?? 'unknown';
    throw badParam(key, `is not a known parameter (known: ${Object.keys(schema.shape).join(', ')})`);
  }
  throw badParam(typeof path === 'string' ? path : 'query', issue?.message ?? 'invalid value');
}

function sinceMs(raw: string, now: number): number {
  try {
    return parseSince(raw, now);
  } catch (e) {
    throw badParam('since', isModelpinError(e) ? e.message.replace(/^--since /, '') : 'not a duration or ISO date');
  }
}

export function parseUsageParams(search: URLSearchParams, now: number, defaultSince: string): UsageParams {
  const p = parseWith(usageParamsSchema, search);
  const asked = p.since ?? defaultSince;
  return {
    sinceMs: sinceMs(asked, now),
    window: asked,
    by: p.by,
    ...(p.route !== undefined ? { route: p.route } : {}),
    ...(p.env !== undefined ? { env: p.env } : {}),
    ...(p.interval !== undefined ? { bucketMs: intervalMs(p.interval) } : {}),
  };
}

function intervalMs(raw: string): number {
  try {
    return parseInterval(raw);
  } catch (e) {
    throw badParam('interval', isModelpinError(e) ? e.message : 'not a bucket size');
  }
}

export function parseStateParams(search: URLSearchParams, now: number, defaultSince: string): StateParams {
  const p = parseWith(stateParamsSchema, search);
  const asked = p.since ?? defaultSince;
  return { sinceMs: sinceMs(asked, now), window: asked, audit: p.audit };
}

export function parseHistoryParams(search: URLSearchParams): HistoryParams {
  return parseWith(historyParamsSchema, search);
}
