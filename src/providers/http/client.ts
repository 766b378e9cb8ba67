import { Pool } from 'undici';
import { systemClock, type Clock } from '../../core/clock.js';
import { isModelpinError, type ModelpinError } from '../../core/errors.js';
import type { ModelCapabilities } from '../../wire/capabilities.js';
import type { CanonicalRequest, CanonicalResponse } from '../../wire/canonical.js';
import { answerFromTool, answerToolEvents } from '../../wire/shared/answer-tool.js';
import { parseEmbedRequest, refuseTaskOptions } from '../embed-request.js';
import { joinEmbedResults } from '../embed-result.js';
import type {
  CallOptions,
  EmbedRequest,
  EmbedResult,
  ProviderClient,
  ProviderSettings,
  UpstreamStream,
} from '../types.js';
import type { ProviderAdapter } from './adapter.js';
import { withQuery } from './adapter.js';
import { createDeadline, type Deadline } from './deadline.js';
import type { EmbeddingsWire } from './embeddings-wire.js';
import { localFault, networkError, requestFault } from './net-errors.js';
import { attribute, providerSecrets, scrubSecret } from './redact.js';
import { flattenHeaders, parseJsonBody, parseMaybeJson, withExtra } from './response-io.js';
import { openEventStream } from './stream.js';
import { requestWhole } from './whole-answer.js';
import { createForwarder } from './forward.js';

export interface HttpClientDeps {
  clock?: Clock;
  /** The target model's capabilities, from the catalog; unknown models get the encoders' conservative path. */
  capabilities?: (model: string) => ModelCapabilities | undefined;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: AsyncIterable<Buffer> & { text(): Promise<string>; destroy(err?: Error): unknown };
}

/** Keep-alive connections are reused across calls; one pool per configured base URL. */
const POOL_OPTIONS: Pool.Options = { connections: 64, keepAliveTimeout: 30_000, keepAliveMaxTimeout: 600_000 };

export function createHttpProviderClient(
  adapter: ProviderAdapter,
  settings: ProviderSettings,
  deps: HttpClientDeps = {},
): ProviderClient {
  const clock = deps.clock ?? systemClock;
  const base = new URL(settings.baseUrl ?? adapter.defaultBaseUrl ?? '');
  const prefix = base.pathname.replace(/\/+$/, '');
  const pool = new Pool(base.origin, POOL_OPTIONS);
  const { codec } = adapter;
  const id = settings.id;
  const secrets = providerSecrets(settings);
  const fail = (e: ModelpinError): ModelpinError => attribute(e, id, secrets);
  // An error body is scrubbed as raw text, before any parsing could reshape a secret it echoes.
  const decodeError = (status: number, text: string, headers: Record<string, string>): ModelpinError =>
    codec.decodeError(status, parseMaybeJson(scrubSecret(text, secrets)), headers, clock.now());
  // Settings never change for a client (a new config makes a new client): build the headers once.
  const getHeaders: Record<string, string> = {
    accept: 'application/json',
    ...adapter.headers(settings),
    ...settings.headers,
  };
  const postHeaders: Record<string, string> = {
    accept: 'application/json, text/event-stream',
    'content-type': 'application/json',
    ...adapter.headers(settings),
    ...settings.headers,
  };

  /**
   * The request's bytes, made before any network work starts: a body that cannot be serialised is the
   * caller's fault and must never look like a connection failure (which is retried and counted against the upstream).
   */
  function serialise(body: unknown): string | undefined {
    if (body === undefined) return undefined;
    try {
      return JSON.stringify(body);
    } catch (e) {
      throw fail(requestFault(e, id));
    }
  }

  /**
   * The codec's upstream request, shaped by the target model's capabilities: an exception here is
   * about the request, never the upstream.
   */
  function encode(req: CanonicalRequest, model: string): ReturnType<typeof codec.encodeRequest> {
    try {
      const capabilities = deps.capabilities?.(model);
      return codec.encodeRequest(req, model, capabilities ? { capabilities } : {});
    } catch (e) {
      throw fail(requestFault(e, id));
    }
  }

  /** Decoding an answer that arrived: a typed error is the upstream's; anything else is our own bug. */
  function decodeFailure(e: unknown): ModelpinError {
    return fail(isModelpinError(e) ? e : localFault(e, id));
  }

  /** Send one request on the pool; resolves when the response headers are in. */
  async function request(
    method: 'GET' | 'POST',
    path: string,
    payload: string | undefined,
    deadline: Deadline,
    opts: CallOptions | undefined,
  ) {
    const res = await pool.request(
      payload === undefined
        ? { method, path: prefix + path, headers: withExtra(getHeaders, opts), signal: deadline.signal }
        : {
            method,
            path: prefix + path,
            headers: withExtra(postHeaders, opts),
            body: payload,
            signal: deadline.signal,
          },
    );
    deadline.headersReceived();
    return res;
  }

  async function send(
    method: 'GET' | 'POST',
    path: string,
    payload: string | undefined,
    deadline: Deadline,
    opts: CallOptions | undefined,
  ): Promise<RawResponse> {
    const timeoutMs = opts?.timeoutMs;
    try {
      const res = await request(method, path, payload, deadline, opts);
      return { status: res.statusCode, headers: flattenHeaders(res.headers), body: res.body };
    } catch (e) {
      throw fail(networkError(e, id, deadline.state, timeoutMs));
    }
  }

  async function readText(res: RawResponse, deadline: Deadline, timeoutMs: number | undefined): Promise<string> {
    try {
      return await res.body.text();
    } catch (e) {
      throw fail(networkError(e, id, deadline.state, timeoutMs));
    }
  }

  async function throwStatus(res: RawResponse, deadline: Deadline, timeoutMs: number | undefined): Promise<never> {
    const text = await readText(res, deadline, timeoutMs).catch(() => '');
    throw fail(decodeError(res.status, text, res.headers));
  }

  /** Fill what a format leaves out, from the call itself. */
  function complete(res: CanonicalResponse, model: string): CanonicalResponse {
    // The codec built this object for this call alone: fill it in place rather than copy it.
    if (!res.model) res.model = model;
    if (!res.created) res.created = Math.floor(clock.now() / 1000);
    return res;
  }

  /**
   * One request/response round trip, in a single async frame (it runs for every gateway request). The
   * answer is read whole by a dispatch handler (src/providers/http/whole-answer.ts), not through a stream.
   */
  async function call(
    method: 'GET' | 'POST',
    path: string,
    body: unknown,
    opts: CallOptions | undefined,
  ): Promise<{ json: unknown; headers: Record<string, string> }> {
    const payload = serialise(body);
    const deadline = createDeadline(opts?.timeoutMs, opts?.signal, opts?.firstByteTimeoutMs);
    try {
      const answer = await requestWhole(
        pool,
        {
          method,
          path: prefix + path,
          headers: withExtra(payload === undefined ? getHeaders : postHeaders, opts),
          body: payload,
        },
        deadline,
      );
      const headers = answer.headers();
      if (answer.status < 200 || answer.status >= 300) throw decodeError(answer.status, answer.text, headers);
      return { json: parseJsonBody(answer.text, id), headers };
    } catch (e) {
      throw isModelpinError(e) ? fail(e) : fail(networkError(e, id, deadline.state, opts?.timeoutMs));
    } finally {
      deadline.clear();
    }
  }

  /** Batches of at most `maxBatch` texts, sent one after the other: the vectors come back in input order. */
  function embedWith(wire: EmbeddingsWire) {
    return async (input: EmbedRequest, model: string, opts?: CallOptions): Promise<EmbedResult> => {
      const req = parseEmbedRequest(input);
      refuseTaskOptions({ id, type: adapter.type }, req);
      const parts: EmbedResult[] = [];
      for (let start = 0; start < req.texts.length; start += wire.maxBatch) {
        const batch = { ...req, texts: req.texts.slice(start, start + wire.maxBatch) };
        const { json } = await call('POST', wire.path(model, settings), wire.body(batch, model), opts);
        try {
          parts.push(wire.parse(json, batch.texts.length, id));
        } catch (e) {
          throw decodeFailure(e);
        }
      }
      return joinEmbedResults(parts);
    };
  }

  return {
    id,
    type: adapter.type,
    forward: createForwarder({
      pool,
      prefix,
      adapter,
      settings,
      codec,
      headers: postHeaders,
      decodeError,
      fail,
      ...(deps.capabilities ? { capabilities: deps.capabilities } : {}),
    }),
    async complete(req: CanonicalRequest, model: string, opts?: CallOptions): Promise<CanonicalResponse> {
      const encoded = encode(req.stream ? { ...req, stream: false } : req, model);
      const { json, headers } = await call(
        'POST',
        withQuery(adapter.callPath(encoded, model, settings), encoded.query),
        encoded.body,
        opts,
      );
      try {
        const res = codec.decodeResponse(json, headers);
        return complete(encoded.answerTool === undefined ? res : answerFromTool(res, encoded.answerTool), model);
      } catch (e) {
        throw decodeFailure(e);
      }
    },

    async stream(req: CanonicalRequest, model: string, opts?: CallOptions): Promise<UpstreamStream> {
      const encoded = encode({ ...req, stream: true }, model);
      const payload = serialise(encoded.body);
      const deadline = createDeadline(opts?.timeoutMs, opts?.signal, opts?.firstByteTimeoutMs);
      let res: RawResponse;
      try {
        res = await send(
          'POST',
          withQuery(adapter.callPath(encoded, model, settings), encoded.query),
          payload,
          deadline,
          opts,
        );
        if (res.status < 200 || res.status >= 300) await throwStatus(res, deadline, opts?.timeoutMs);
      } catch (e) {
        deadline.clear();
        throw isModelpinError(e) ? fail(e) : fail(networkError(e, id, deadline.state, opts?.timeoutMs));
      }
      // Status and headers are in: from here on, failures are stream events, and the timer guards idle gaps.
      return openEventStream({
        res,
        deadline,
        codec,
        model,
        clock,
        provider: id,
        timeoutMs: opts?.timeoutMs,
        fail,
        ...(encoded.answerTool !== undefined ? { transform: answerToolEvents(encoded.answerTool) } : {}),
      });
    },

    ...(adapter.embeddings ? { embed: embedWith(adapter.embeddings) } : {}),

    ...(adapter.models
      ? {
          async listModels(opts?: CallOptions): Promise<string[]> {
            const models = adapter.models as NonNullable<ProviderAdapter['models']>;
            const { json } = await call('GET', models.path, undefined, opts);
            return models.parse(json);
          },
        }
      : {}),

    async close(): Promise<void> {
      await pool.close();
    },
  };
}
