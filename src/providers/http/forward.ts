/**
 * Same-format forwarding over an HTTP provider's pool: JSON text the caller already holds goes
 * upstream as it is, and the answer comes back as text. Auth headers, deadlines, error decoding
 * and attribution are the ones `complete` and `stream` use, so a forwarded call fails, times out
 * and is redacted exactly like a translated one.
 */
import { StringDecoder } from 'node:string_decoder';
import type { Dispatcher, Pool } from 'undici';
import { isModelpinError, ProviderError, type ModelpinError } from '../../core/errors.js';
import type { ClientWireFormat } from '../../wire/canonical.js';
import type { WireCodec } from '../../wire/codec.js';
import type { CallOptions, ProviderSettings, RawCall, RawForwarder, RawStream } from '../types.js';
import { withQuery, type ProviderAdapter } from './adapter.js';
import { createDeadline, type Deadline } from './deadline.js';
import { localFault, networkError } from './net-errors.js';
import { flattenHeaders, withExtra } from './response-io.js';
import { requestWhole, type WholeAnswer } from './whole-answer.js';
import type { ModelCapabilities } from '../../wire/capabilities.js';

export interface ForwarderDeps {
  pool: Pool;
  /** The base URL's path, without a trailing slash. */
  prefix: string;
  adapter: ProviderAdapter;
  settings: ProviderSettings;
  codec: WireCodec<ClientWireFormat>;
  headers: Record<string, string>;
  /** The client's error decoding (secrets scrubbed from the raw text first). */
  decodeError(status: number, text: string, headers: Record<string, string>): ModelpinError;
  /** Attribute an error to this provider and scrub its secrets. */
  fail(e: ModelpinError): ModelpinError;
  capabilities?: (model: string) => ModelCapabilities | undefined;
}

export function createForwarder(d: ForwarderDeps): RawForwarder {
  const id = d.settings.id;
  const build = (call: RawCall, model: string): string =>
    d.prefix + withQuery(d.adapter.callPath({ path: call.path, body: {} }, model, d.settings), call.query);
  // Calls without a query go to one path per (endpoint, model): built once each, not on every request.
  // Keyed by the two strings as they are (a joined key would be a new string to hash on every call).
  const paths = new Map<string, Map<string, string>>();
  let cached = 0;
  const path = (call: RawCall, model: string): string => {
    if (call.query !== undefined) return build(call, model);
    let byModel = paths.get(call.path);
    if (byModel === undefined) paths.set(call.path, (byModel = new Map()));
    let p = byModel.get(model);
    if (p === undefined) {
      // Passthrough model ids come from clients: keep it bounded.
      if (cached >= 1000) {
        paths.clear();
        paths.set(call.path, (byModel = new Map()));
        cached = 0;
      }
      p = build(call, model);
      byModel.set(model, p);
      cached++;
    }
    return p;
  };

  async function open(call: RawCall, model: string, deadline: Deadline, opts: CallOptions | undefined) {
    const res = await d.pool.request({
      method: 'POST',
      path: path(call, model),
      headers: withExtra(d.headers, opts),
      body: call.body,
      signal: deadline.signal,
    });
    deadline.headersReceived();
    const headers = flattenHeaders(res.headers);
    if (res.statusCode < 200 || res.statusCode >= 300) {
      const errText = await res.body.text().catch(() => '');
      throw d.decodeError(res.statusCode, errText, headers);
    }
    return { res, headers };
  }

  return {
    format: d.codec.format,
    ...(d.capabilities ? { capabilities: d.capabilities } : {}),

    // Not async: one `then` instead of an async function's result and await, on every forwarded call.
    complete(call, model, read, opts?: CallOptions) {
      const deadline = createDeadline(opts?.timeoutMs, opts?.signal, opts?.firstByteTimeoutMs);
      const failure = (e: unknown): ModelpinError => {
        deadline.clear();
        return isModelpinError(e) ? d.fail(e) : d.fail(networkError(e, id, deadline.state, opts?.timeoutMs));
      };
      let answer: Promise<WholeAnswer>;
      try {
        answer = requestWhole(
          d.pool,
          { method: 'POST', path: path(call, model), headers: withExtra(d.headers, opts), body: call.body },
          deadline,
        );
      } catch (e) {
        return Promise.reject(failure(e));
      }
      return answer.then(
        ({ status, headers, text }) => {
          deadline.clear();
          if (status < 200 || status >= 300) throw d.fail(d.decodeError(status, text, headers()));
          try {
            return read(text, headers);
          } catch (e) {
            // Reading an answer that arrived: a typed error is the upstream's; anything else is our own bug, never a connection failure.
            throw d.fail(isModelpinError(e) ? e : localFault(e, id));
          }
        },
        (e: unknown) => {
          throw failure(e);
        },
      );
    },

    async stream(call, model, opts?: CallOptions): Promise<RawStream> {
      const deadline = createDeadline(opts?.timeoutMs, opts?.signal, opts?.firstByteTimeoutMs);
      let opened: Awaited<ReturnType<typeof open>>;
      try {
        opened = await open(call, model, deadline, opts);
      } catch (e) {
        deadline.clear();
        throw isModelpinError(e) ? d.fail(e) : d.fail(networkError(e, id, deadline.state, opts?.timeoutMs));
      }
      const { res, headers } = opened;
      const state = { cancelled: false };
      const iterator = readChunks(res.body, deadline, state, d, opts);
      return {
        headers,
        chunks: iterator,
        attribute: d.fail,
        cancel() {
          state.cancelled = true;
          deadline.abort();
          res.body.destroy();
          void iterator.return(undefined);
        },
      };
    },
  };
}

/**
 * The answer's body as text, chunk by chunk; from the headers on, the deadline guards idle gaps between
 * chunks. At module level, not inside `stream`: a generator function made per call gives its generator
 * objects a hidden class of their own each time.
 */
async function* readChunks(
  body: Dispatcher.ResponseData['body'],
  deadline: Deadline,
  state: { cancelled: boolean },
  d: ForwarderDeps,
  opts: CallOptions | undefined,
): AsyncGenerator<string> {
  const id = d.settings.id;
  const text = new StringDecoder('utf8');
  let ended = false;
  try {
    for await (const buf of body as AsyncIterable<Buffer>) {
      deadline.rearm();
      const s = text.write(buf);
      if (s !== '') yield s;
    }
    ended = true;
    const tail = text.end();
    if (tail !== '') yield tail;
  } catch (e) {
    if (state.cancelled) return;
    const net = networkError(e, id, deadline.state, opts?.timeoutMs);
    // A timeout mid-stream keeps its code; any other transport failure after the headers is a cut stream.
    throw d.fail(
      net.code === 'timeout'
        ? net
        : new ProviderError('stream_cut', `${id}: stream interrupted (${net.message.replace(`${id}: `, '')})`, {
            provider: id,
          }),
    );
  } finally {
    deadline.clear();
    // An unread body pins its pooled connection: drop it unless it was read to the end.
    if (!ended) body.destroy();
  }
}
