import type { ModelpinError } from '../../core/errors.js';
import { systemClock } from '../../core/clock.js';
import { bodyExcerpt, classifyUpstreamError, retryAfterHeaders, wireStatus } from '../shared/classify.js';
import { retryAfterFromHeaders } from '../shared/retry-after.js';
import { OpenAiErrorBody } from './schemas.js';

const STATUS_TYPE: Record<number, string> = {
  401: 'authentication_error',
  403: 'permission_error',
  404: 'invalid_request_error',
  429: 'rate_limit_error',
};

function errorType(status: number): string {
  return STATUS_TYPE[status] ?? (status >= 500 ? 'server_error' : 'invalid_request_error');
}

const CODE_NAMES: Partial<Record<ModelpinError['code'], string>> = {
  rate_limited: 'rate_limit_exceeded',
  model_not_found: 'model_not_found',
  model_retired: 'model_not_found',
  unauthorized: 'invalid_api_key',
};

/** `{error:{message,type,param,code}}` as the OpenAI SDKs parse it. Overloaded (529) becomes OpenAI's 503. */
export function encodeOpenAiError(err: ModelpinError): {
  status: number;
  headers: Record<string, string>;
  body: Record<string, unknown>;
} {
  const raw = wireStatus(err);
  const status = raw === 529 ? 503 : raw;
  const param = err.details?.param;
  return {
    status,
    headers: retryAfterHeaders(err),
    body: {
      error: {
        message: err.message,
        type: errorType(status),
        param: typeof param === 'string' ? param : null,
        code: CODE_NAMES[err.code] ?? err.code,
      },
    },
  };
}

/** Errors inside a 200 stream carry no status: infer one from the error type/code. */
function statusFromType(code: string | undefined): number {
  if (code === undefined) return 500;
  if (/rate_limit|insufficient_quota|tokens|requests/.test(code)) return 429;
  if (/model_not_found/.test(code)) return 404;
  if (/invalid_request/.test(code)) return 400;
  if (/overloaded/.test(code)) return 503;
  return 500;
}

export function decodeOpenAiError(
  status: number,
  body: unknown,
  headers: Record<string, string>,
  now: number = systemClock.now(),
): ModelpinError {
  const parsed = OpenAiErrorBody.safeParse(body);
  const e = parsed.success ? parsed.data.error : undefined;
  const code = e?.code != null ? String(e.code) : undefined;
  const providerCode = code ?? e?.type ?? undefined;
  const effective = status >= 400 ? status : statusFromType(providerCode ?? e?.type ?? undefined);
  const retryAfterMs = retryAfterFromHeaders(effective, headers, now);
  return classifyUpstreamError({
    status: effective,
    message: e?.message ?? (bodyExcerpt(body) || `upstream answered HTTP ${status}`),
    ...(providerCode !== undefined ? { providerCode } : {}),
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    permanent: code === 'insufficient_quota',
    modelNotFound: code === 'model_not_found' || code === 'DeploymentNotFound',
  });
}
