/**
 * Errors for Responses clients. A plain answer uses the OpenAI error body the SDKs already parse;
 * inside a stream, a failure is an `error` event followed by a terminal `response.failed`.
 */
import type { ModelpinError } from '../../core/errors.js';
import { decodeOpenAiError, encodeOpenAiError } from '../openai/errors.js';

export { encodeOpenAiError as encodeResponsesError };

/**
 * The `error` event. It carries `code`/`message`/`param` at the top (the SDK's ResponseErrorEvent
 * type) and the same fields nested under `error`, because the openai SDKs raise a stream error
 * only when an event has an `error` member.
 */
export function errorEventPayload(err: ModelpinError): Record<string, unknown> {
  const nested = encodeOpenAiError(err).body.error as {
    message: string;
    type: string;
    param: string | null;
    code: string;
  };
  return { code: nested.code, message: nested.message, param: nested.param, error: nested };
}

/** `response.error` of a failed response; the API's ResponseError code list has only these two that fit. */
export function failedResponseError(err: ModelpinError): { code: string; message: string } {
  return { code: err.code === 'rate_limited' ? 'rate_limit_exceeded' : 'server_error', message: err.message };
}

/**
 * An upstream failure reported inside a 200 (a `failed` response, an `error` or `response.failed`
 * stream event) -> typed error, classified from its code like a Chat Completions stream error.
 */
export function decodeResponseFailure(e: {
  code?: string | null | undefined;
  message?: string | null | undefined;
  type?: string | null | undefined;
}): ModelpinError {
  const error = { message: e.message ?? 'upstream response failed', code: e.code ?? null, type: e.type ?? null };
  return decodeOpenAiError(200, { error }, {});
}
