import { ProviderError } from '../../core/errors.js';

const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT']);
const CONNECTION_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
]);

/** The first `code` on an error or its causes (undici nests the socket error). */
export function errorCode(e: unknown): string | undefined {
  let cur: unknown = e;
  for (let i = 0; i < 4 && cur !== null && typeof cur === 'object'; i++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string' && (TIMEOUT_CODES.has(code) || CONNECTION_CODES.has(code))) return code;
    cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}

export interface AbortState {
  timedOut: boolean;
  callerAborted: boolean;
}

/**
 * A transport failure as a typed error. The message names the provider and the failure
 * kind only: never a URL query, header or body that could carry a key.
 */
export function networkError(e: unknown, provider: string, state: AbortState, timeoutMs: number | undefined): ProviderError {
  if (e instanceof ProviderError) return e;
  if (state.timedOut) {
    return new ProviderError('timeout', `${provider}: no answer within ${timeoutMs ?? 0} ms`, { provider, status: 504 });
  }
  if (state.callerAborted) {
    return new ProviderError('timeout', `${provider}: request aborted by the caller`, { provider, status: 499, retryable: false, details: { aborted: true } });
  }
  const code = errorCode(e);
  if (code !== undefined && TIMEOUT_CODES.has(code)) return new ProviderError('timeout', `${provider}: ${code}`, { provider, status: 504 });
  return new ProviderError('connection', `${provider}: connection failed${code ? ` (${code})` : ''}`, { provider, status: 502 });
}
