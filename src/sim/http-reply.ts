/** Headers and error bodies every simulator answer shares, whatever the endpoint. */
import type { ServerResponse } from 'node:http';
import type { ModelpinError } from '../core/errors.js';
import type { ClientWireFormat } from '../wire/canonical.js';
import { clientCodecs } from '../wire/registry.js';
import { sendJson } from '../http/io.js';
import { SIM_HEADER } from './http-io.js';
import { nativeError } from './native-errors.js';

export function baseHeaders(requestId: string, served?: string): Record<string, string> {
  return {
    [SIM_HEADER]: '1',
    'x-request-id': requestId,
    'request-id': requestId,
    ...(served !== undefined ? { 'x-modelpin-served-model': served } : {}),
  };
}

/** The error in the format's own body shape and wording, with `retry-after` when there is a delay. */
export function sendError(res: ServerResponse, format: ClientWireFormat, err: ModelpinError, requestId: string): void {
  const native = nativeError(err, format);
  const enc = clientCodecs[format].encodeError(native);
  const headers = { ...enc.headers, ...baseHeaders(requestId) };
  if (native.retryAfterMs !== undefined && !Object.keys(headers).some((k) => k.toLowerCase() === 'retry-after')) {
    headers['retry-after'] = String(Math.ceil(native.retryAfterMs / 1000));
  }
  sendJson(res, enc.status, enc.body, headers);
}
