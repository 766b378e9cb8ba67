import { ModelpinError, ProviderError, RequestError } from '../../core/errors.js';

const TIMEOUT_CODES = new Set([
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'ETIMEDOUT',
]);
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
/** Codes undici and Node give to arguments we built wrongly: our fault, not the upstream's. */
const LOCAL_CODES = new Set([
  'UND_ERR_INVALID_ARG',
  'UND_ERR_NOT_SUPPORTED',
  'ERR_INVALID_ARG_TYPE',
  'ERR_INVALID_ARG_VALUE',
  'ERR_INVALID_CHAR',
  'ERR_INVALID_HTTP_TOKEN',
  'ERR_HTTP_INVALID_HEADER_VALUE',
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

/**
 * Did this exception come from the network (a socket, DNS, TLS, an undici transport error)?
 * Those carry a string `code` (ECONNRESET, UND_ERR_SOCKET, CERT_HAS_EXPIRED…); an exception
 * without one (TypeError, RangeError) was raised by our own code and says nothing about the upstream.
 */
export function isTransportFailure(e: unknown): boolean {
  let cur: unknown = e;
  for (let i = 0; i < 4 && cur !== null && typeof cur === 'object'; i++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string') return !LOCAL_CODES.has(code);
    if ((cur as { name?: unknown }).name === 'AbortError') return true;
    cur = (cur as { cause?: unknown }).cause;
  }
  return false;
}

export interface AbortState {
  timedOut: boolean;
  callerAborted: boolean;
  /** The limit that fired was the time to the response headers, not the whole-answer one. */
  firstByte?: boolean;
  /** The limit that fired, in ms. */
  limitMs?: number;
}

/**
 * An exception raised while preparing the request (encoding it, serialising it), not by the upstream.
 * Never retryable and never a verdict on the upstream's health, so the circuit breaker ignores it.
 * A request too deep or too large to serialise is the caller's 400; any other exception is our own bug.
 */
export function requestFault(e: unknown, provider: string): ModelpinError {
  if (e instanceof ModelpinError) return e;
  if (e instanceof RangeError) {
    return new RequestError(
      'bad_request',
      `the request cannot be encoded for provider ${provider}: it is too large or too deeply nested`,
      { provider, retryable: false, cause: e },
    );
  }
  if (e instanceof TypeError && /circular|BigInt/i.test(e.message)) {
    return new RequestError(
      'bad_request',
      `the request cannot be encoded for provider ${provider}: it is not serialisable as JSON`,
      { provider, retryable: false, cause: e },
    );
  }
  return localFault(e, provider);
}

/** Our own exception surfacing during an upstream call: a 500 that is logged, never retried or held against the upstream. */
export function localFault(e: unknown, provider: string): ModelpinError {
  if (e instanceof ModelpinError) return e;
  const message = e instanceof Error ? e.message : String(e);
  return new ModelpinError('internal', `${provider}: local failure during the call: ${message}`, {
    provider,
    retryable: false,
    cause: e,
  });
}

/**
 * A failure during the exchange as a typed error. The message names the provider and the failure
 * kind only: never a URL query, header or body that could carry a key. Only real transport failures
 * become retryable `timeout`/`connection` errors.
 */
export function networkError(
  e: unknown,
  provider: string,
  state: AbortState,
  timeoutMs: number | undefined,
): ModelpinError {
  if (e instanceof ModelpinError) return e;
  if (state.timedOut) {
    const ms = state.limitMs ?? timeoutMs ?? 0;
    return state.firstByte
      ? new ProviderError('timeout', `${provider}: no response headers within ${ms} ms`, {
          provider,
          status: 504,
          details: { phase: 'first_byte', limitMs: ms },
        })
      : new ProviderError('timeout', `${provider}: no answer within ${ms} ms`, { provider, status: 504 });
  }
  if (state.callerAborted) {
    return new ProviderError('timeout', `${provider}: request aborted by the caller`, {
      provider,
      status: 499,
      retryable: false,
      details: { aborted: true },
    });
  }
  if (!isTransportFailure(e)) return localFault(e, provider);
  const code = errorCode(e);
  if (code !== undefined && TIMEOUT_CODES.has(code))
    return new ProviderError('timeout', `${provider}: ${code}`, { provider, status: 504 });
  return new ProviderError('connection', `${provider}: connection failed${code ? ` (${code})` : ''}`, {
    provider,
    status: 502,
  });
}
