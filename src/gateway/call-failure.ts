/** The end of a failed call, chat or embeddings: an error in the client's format, then its usage record. */
import type { ServerResponse } from 'node:http';
import { RequestError } from '../core/errors.js';
import type { ClientCodec } from '../wire/codec.js';
import { finishCall, overhead, publicError, type CallDeps, type CallScope } from './call-scope.js';
import { sendJson } from '../http/io.js';
import { routingHeaders } from './usage-record.js';

export function answerFailure(
  res: ServerResponse,
  e: unknown,
  signal: AbortSignal,
  scope: CallScope,
  deps: CallDeps,
  codec: Pick<ClientCodec, 'encodeError'>,
): void {
  // A client that went away is not an upstream failure: record it as 499, whatever the abort caused.
  const err = signal.aborted
    ? new RequestError('bad_request', 'client closed the connection', { status: 499 })
    : publicError(e, deps.logger);
  scope.overheadMs = overhead(scope, deps);
  const encoded = codec.encodeError(err);
  const headers = scope.plan
    ? { ...encoded.headers, ...routingHeaders(scope.plan, scope.trace, scope.servedModel, scope.overheadMs) }
    : encoded.headers;
  if (!res.headersSent) {
    if (err.code === 'payload_too_large') headers['connection'] = 'close';
    sendJson(res, encoded.status, encoded.body, headers);
  } else res.end();
  // Failed authentication leaves no usage record: unauthenticated traffic must not fill the store.
  if (scope.authenticated) finishCall(scope, deps, encoded.status, err);
  else if (scope.span !== null) scope.span.abandon(encoded.status, err);
}
