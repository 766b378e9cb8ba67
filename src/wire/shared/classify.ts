import { ProviderError, type ErrorCode, type ModelpinError } from '../../core/errors.js';
import { sanitizeUpstreamText } from '../../core/secret-text.js';

export interface UpstreamErrorInfo {
  status: number;
  /** The provider's own type/code/status string. */
  providerCode?: string;
  message: string;
  retryAfterMs?: number;
  /** Provider codes that look retryable by status but are not (e.g. OpenAI `insufficient_quota`). */
  permanent?: boolean;
  /** The provider said outright that the model is unknown (`model_not_found`). */
  modelNotFound?: boolean;
}

const RETIRED = /(deprecat|retired|no longer (available|supported)|discontinued|shut ?down|decommission|end of life)/i;
const MODEL = /\bmodels?\b/i;

function upstreamCode(info: UpstreamErrorInfo): { code: ErrorCode; retryable?: boolean } {
  const { status } = info;
  if (status === 404 || info.modelNotFound) {
    if (info.modelNotFound || MODEL.test(info.message)) {
      return { code: RETIRED.test(info.message) ? 'model_retired' : 'model_not_found', retryable: true };
    }
    return { code: 'upstream_bad_request', retryable: false };
  }
  if (status === 410) return { code: 'model_retired', retryable: true };
  if (status === 401 || status === 403) return { code: 'upstream_auth', retryable: false };
  if (status === 408) return { code: 'timeout' };
  if (status === 429) return { code: 'rate_limited', retryable: !info.permanent };
  if (status === 529 || status === 503) return { code: 'overloaded' };
  if (status === 504) return { code: 'timeout' };
  if (status === 409) return { code: 'upstream_error', retryable: true };
  if (status >= 500) return { code: 'upstream_error' };
  if (status >= 400) return { code: 'upstream_bad_request', retryable: false };
  return { code: 'upstream_bad_response' };
}

/** Map an upstream failure to the hierarchy: code, retryability and delay come from status and provider code. */
export function classifyUpstreamError(info: UpstreamErrorInfo): ModelpinError {
  const { code, retryable } = upstreamCode(info);
  return new ProviderError(code, info.message, {
    status: info.status,
    ...(retryable === undefined ? {} : { retryable }),
    ...(info.retryAfterMs === undefined ? {} : { retryAfterMs: info.retryAfterMs }),
    ...(info.providerCode === undefined ? {} : { providerCode: info.providerCode }),
  });
}

/** A non-JSON or unexpected error body (an HTML error page, say): a short, plain-text excerpt. */
export function bodyExcerpt(body: unknown): string {
  return sanitizeUpstreamText(typeof body === 'string' ? body : (JSON.stringify(body) ?? ''));
}

/** Status to answer a client with: CLI-only codes (exit statuses) and 2xx become 500. */
export function wireStatus(err: ModelpinError): number {
  return err.status >= 400 && err.status <= 599 ? err.status : 500;
}

export function retryAfterHeaders(err: ModelpinError): Record<string, string> {
  if (err.retryAfterMs === undefined) return {};
  return {
    'retry-after': String(Math.max(0, Math.ceil(err.retryAfterMs / 1000))),
    'retry-after-ms': String(Math.max(0, Math.round(err.retryAfterMs))),
  };
}
