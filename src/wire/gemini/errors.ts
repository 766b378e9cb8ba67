import type { ModelpinError } from '../../core/errors.js';
import { systemClock } from '../../core/clock.js';
import { bodyExcerpt, classifyUpstreamError, wireStatus } from '../shared/classify.js';
import { parseDuration, retryAfterFromHeaders } from '../shared/retry-after.js';
import { GeminiErrorBody } from './schemas.js';

const STATUS_NAME: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'ABORTED',
  429: 'RESOURCE_EXHAUSTED',
  499: 'CANCELLED',
  500: 'INTERNAL',
  501: 'UNIMPLEMENTED',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};
const NAME_STATUS: Record<string, number> = Object.fromEntries(
  Object.entries(STATUS_NAME).map(([k, v]) => [v, Number(k)]),
);

function statusName(status: number): string {
  return STATUS_NAME[status] ?? (status >= 500 ? 'INTERNAL' : 'INVALID_ARGUMENT');
}

export function geminiErrorBody(err: ModelpinError): { status: number; body: Record<string, unknown> } {
  const raw = wireStatus(err);
  // Google APIs have no 529: capacity errors are UNAVAILABLE.
  const status = raw === 529 || raw === 502 ? 503 : raw;
  const details =
    err.retryAfterMs === undefined
      ? undefined
      : [
          {
            '@type': 'type.googleapis.com/google.rpc.RetryInfo',
            retryDelay: `${Math.max(0, Math.ceil(err.retryAfterMs / 1000))}s`,
          },
        ];
  return {
    status,
    body: {
      error: { code: status, message: err.message, status: statusName(status), ...(details ? { details } : {}) },
    },
  };
}

/** `{error:{code,message,status}}` as the Google SDKs parse it, with RetryInfo and `retry-after` when known. */
export function encodeGeminiError(err: ModelpinError): {
  status: number;
  headers: Record<string, string>;
  body: Record<string, unknown>;
} {
  const { status, body } = geminiErrorBody(err);
  const headers: Record<string, string> =
    err.retryAfterMs === undefined ? {} : { 'retry-after': String(Math.max(0, Math.ceil(err.retryAfterMs / 1000))) };
  return { status, headers, body };
}

export function decodeGeminiError(
  status: number,
  body: unknown,
  headers: Record<string, string>,
  now: number = systemClock.now(),
): ModelpinError {
  // Streaming endpoints have answered errors wrapped in a one-element array.
  const unwrapped = Array.isArray(body) && body.length === 1 ? (body[0] as unknown) : body;
  const parsed = GeminiErrorBody.safeParse(unwrapped);
  const e = parsed.success ? parsed.data.error : undefined;
  let effective = status >= 400 ? status : ((e?.status ? NAME_STATUS[e.status] : undefined) ?? e?.code ?? 500);
  let delay: number | undefined;
  for (const d of e?.details ?? []) {
    const rec = d as Record<string, unknown>;
    if (typeof rec.retryDelay === 'string') delay = parseDuration(rec.retryDelay);
    // An invalid key is answered as 400 INVALID_ARGUMENT with reason API_KEY_INVALID.
    if (rec.reason === 'API_KEY_INVALID') effective = 401;
  }
  const retryAfterMs = retryAfterFromHeaders(effective, headers, now, delay);
  return classifyUpstreamError({
    status: effective,
    message: e?.message ?? (bodyExcerpt(body) || `upstream answered HTTP ${status}`),
    ...(e?.status !== undefined ? { providerCode: e.status } : {}),
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
  });
}
