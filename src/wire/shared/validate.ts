import type { z } from 'zod';
import { ProviderError, RequestError } from '../../core/errors.js';
import { joinPath } from '../../core/object-path.js';
import { deepestPath, MAX_JSON_DEPTH } from './json-depth.js';

/** `['messages', 0, 'role']` -> `messages[0].role`. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  return joinPath('', path) || 'body';
}

/** One issue -> `path: reason`, worded for the caller rather than for zod. */
export function formatIssue(issue: z.core.$ZodIssue): string {
  const path = formatPath(issue.path);
  switch (issue.code) {
    case 'invalid_value':
      return `${path}: expected one of ${issue.values.map(String).join('|')}`;
    case 'invalid_type': {
      const received = /received (\w+)/.exec(issue.message)?.[1];
      return received === undefined || received === 'undefined'
        ? `${path}: required`
        : `${path}: expected ${issue.expected}, received ${received}`;
    }
    case 'invalid_union': {
      const u = issue as { options?: unknown[]; discriminator?: string };
      if (u.discriminator !== undefined) {
        return u.options
          ? `${path}: expected one of ${u.options.map(String).join('|')}`
          : `${path}: unknown discriminator`;
      }
      // Report the branch that got furthest: the deepest nested issue is the most specific.
      let best: z.core.$ZodIssue | undefined;
      for (const branch of issue.errors)
        for (const i of branch) if (!best || i.path.length > best.path.length) best = i;
      if (best && best.path.length > 0)
        return formatIssue({ ...best, path: [...issue.path, ...best.path] } as z.core.$ZodIssue);
      return `${path}: invalid value`;
    }
    case 'unrecognized_keys':
      return `${path}: unknown field(s) ${issue.keys.join(', ')}`;
    default:
      return `${path}: ${issue.message}`;
  }
}

/** Validate a client request; a failure is a 400 naming the first bad field. */
export function parseClient<T extends z.ZodType>(schema: T, body: unknown): z.output<T> {
  // Before anything walks the body recursively (zod included): a 400, never a stack overflow later.
  assertDepth(body);
  const r = schema.safeParse(body);
  if (r.success) return r.data;
  const first = r.error.issues[0];
  const message = first ? formatIssue(first) : 'body: invalid request';
  return failRequest(message, first ? formatPath(first.path) : 'body');
}

/** Path segments shown when naming a too-deep field: enough to locate it, not the whole chain. */
const SHOWN_SEGMENTS = 6;

/** Refuse (400, naming the field) a client body nested deeper than MAX_JSON_DEPTH. */
export function assertDepth(body: unknown, limit = MAX_JSON_DEPTH): void {
  const path = deepestPath(body, limit);
  if (path === null) return;
  const field = formatPath(path.slice(0, SHOWN_SEGMENTS));
  failRequest(
    `${field}${path.length > SHOWN_SEGMENTS ? '…' : ''}: nested deeper than ${limit} levels, the gateway's limit for a request body`,
    field,
  );
}

export function failRequest(message: string, param?: string): never {
  throw new RequestError('bad_request', message, { details: param === undefined ? undefined : { param } });
}

/** Validate an upstream payload; a failure is a retryable `upstream_bad_response`. */
export function parseUpstream<T extends z.ZodType>(schema: T, body: unknown, what: string): z.output<T> {
  const r = schema.safeParse(body);
  if (r.success) return r.data;
  const first = r.error.issues[0];
  throw new ProviderError(
    'upstream_bad_response',
    `upstream ${what} did not match the expected shape: ${first ? formatIssue(first) : 'invalid'}`,
  );
}

/** JSON.parse for upstream text (SSE data, tool arguments): failures become `upstream_bad_response`. */
export function parseUpstreamJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ProviderError('upstream_bad_response', `upstream ${what} is not valid JSON`);
  }
}
