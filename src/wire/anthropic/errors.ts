import type { ModelpinError } from '../../core/errors.js';
import { systemClock } from '../../core/clock.js';
import { bodyExcerpt, classifyUpstreamError, retryAfterHeaders, wireStatus } from '../shared/classify.js';
import { retryAfterFromHeaders } from '../shared/retry-after.js';
import { AnthropicErrorBody } from './schemas.js';

const TYPE_STATUS: Record<string, number> = {
  invalid_request_error: 400,
  authentication_error: 401,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  timeout_error: 504,
  overloaded_error: 529,
};

const STATUS_TYPE: Record<number, string> = {
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  429: 'rate_limit_error',
  529: 'overloaded_error',
};

export function anthropicErrorType(status: number): string {
  return STATUS_TYPE[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
}

export function anthropicErrorBody(err: ModelpinError): Record<string, unknown> {
  return { type: 'error', error: { type: anthropicErrorType(wireStatus(err)), message: err.message } };
}

/** `{type:'error', error:{type,message}}` as the Anthropic SDKs parse it. */
export function encodeAnthropicError(err: ModelpinError): {
  status: number;
  headers: Record<string, string>;
  body: Record<string, unknown>;
} {
  return { status: wireStatus(err), headers: retryAfterHeaders(err), body: anthropicErrorBody(err) };
}

export function decodeAnthropicError(
  status: number,
  body: unknown,
  headers: Record<string, string>,
  now: number = systemClock.now(),
): ModelpinError {
  const parsed = AnthropicErrorBody.safeParse(body);
  const e = parsed.success ? parsed.data.error : undefined;
  // Errors inside a 200 stream carry no status: the error type says which it would have been.
  const effective = status >= 400 ? status : ((e ? TYPE_STATUS[e.type] : undefined) ?? 500);
  const retryAfterMs = retryAfterFromHeaders(effective, headers, now);
  return classifyUpstreamError({
    status: effective,
    message: e?.message ?? (bodyExcerpt(body) || `upstream answered HTTP ${status}`),
    ...(e ? { providerCode: e.type } : {}),
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
  });
}
