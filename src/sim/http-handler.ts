/** One HTTP request to the simulator: route, decode with the wire codec, run the engine, answer. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ModelpinError, RequestError, toModelpinError } from '../core/errors.js';
import type { CanonicalRequest, ClientWireFormat } from '../wire/canonical.js';
import { clientCodecs } from '../wire/registry.js';
import { bareModel } from '../wire/shared/model-name.js';
import type { SimAnswer, SimEngine } from './engine.js';
import { handleEmbeddings } from './http-embeddings.js';
import { sendJson } from '../http/io.js';
import { requestUrl } from '../http/request-url.js';
import { delay, readJson, SIM_HEADER } from './http-io.js';
import { baseHeaders, sendError } from './http-reply.js';
import { routeOf } from './http-routes.js';
import { encodeModel, encodeModelList } from './model-list.js';

export interface HandlerState {
  engine: SimEngine;
  timers: Set<NodeJS.Timeout>;
}

function rootText(engine: SimEngine): string {
  const models = engine
    .listModels()
    .map((m) => `  ${m.id}${m.kind === 'alias' ? ` -> ${m.target ?? ''}` : ''}${m.retired ? ' (retired)' : ''}`);
  return [
    'modelpin simulator: a local stand-in for the OpenAI (Chat Completions and Responses), Anthropic and Gemini APIs.',
    'Every model here is SIMULATED; answers come from scenario rules, not from a real model.',
    'Embeddings (POST /v1/embeddings, :embedContent, :batchEmbedContents) are hashed word vectors, not a real embedding model.',
    `scenario: ${engine.scenario.name} (${engine.scenario.file})  seed: ${engine.seed}  fast: ${engine.fast}`,
    'models:',
    ...models,
    '',
  ].join('\n');
}

export async function handleRequest(req: IncomingMessage, res: ServerResponse, state: HandlerState): Promise<void> {
  const { engine } = state;
  const url = requestUrl(req.url);
  const route = routeOf(req.method ?? 'GET', url, req.headers['anthropic-version'] !== undefined);
  if (route.kind === 'root') {
    res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', [SIM_HEADER]: '1' });
    res.end(rootText(engine));
    return;
  }
  const format = route.format;
  if (route.kind === 'unknown') {
    const err = new RequestError(
      'route_not_found',
      `modelpin simulator: no such endpoint ${req.method ?? ''} ${url?.pathname ?? req.url ?? ''}`,
      { status: 404 },
    );
    return sendError(res, format, err, engine.nextRequestId());
  }
  if (route.kind === 'embed') return handleEmbeddings(req, res, route, engine);
  if (route.kind === 'list') {
    return sendJson(res, 200, encodeModelList(route.format, engine.listModels()), baseHeaders(engine.nextRequestId()));
  }
  if (route.kind === 'get') {
    const id = bareModel(route.model);
    const found = engine.listModels().find((m) => m.id === id && !m.retired);
    if (found) return sendJson(res, 200, encodeModel(route.format, found), baseHeaders(engine.nextRequestId()));
    const err = new ModelpinError('model_not_found', `model: ${id}`, { details: { model: id } });
    return sendError(res, format, err, engine.nextRequestId());
  }

  let canonical;
  try {
    const body = await readJson(req);
    canonical = clientCodecs[format].decodeRequest(body, {
      ...(route.pathModel !== undefined ? { pathModel: route.pathModel } : {}),
      ...(route.stream !== undefined ? { stream: route.stream } : {}),
      header: (name) => {
        const v = req.headers[name];
        return Array.isArray(v) ? v.join(',') : v;
      },
    });
  } catch (e) {
    return sendError(res, format, toModelpinError(e), engine.nextRequestId());
  }
  const model = bareModel(route.pathModel ?? canonical.model);
  const seedHeader = req.headers['x-modelpin-sample-seed'];
  const sampleSeed = Array.isArray(seedHeader) ? seedHeader[0] : seedHeader;
  const outcome = engine.handle(
    canonical,
    model,
    canonical.stream,
    format,
    sampleSeed !== undefined ? { sampleSeed } : {},
  );
  if (outcome.kind === 'error') return sendError(res, format, outcome.error, outcome.requestId);
  if (outcome.kind === 'hang') {
    // Never answers: the client's deadline fires first; after hang_max_ms the socket is dropped so nothing leaks.
    if (await delay(outcome.hangMaxMs, res, state.timers)) req.socket.destroy();
    return;
  }
  if (outcome.kind === 'reset') {
    req.socket.destroy();
    return;
  }
  if (canonical.stream) return streamAnswer(res, format, outcome, state, canonical);
  if (!(await delay(outcome.latencyMs, res, state.timers))) return;
  const headers = baseHeaders(outcome.response.providerRequestId ?? '', outcome.response.model);
  // The request goes along for formats whose answer echoes its parameters (Responses).
  sendJson(res, 200, clientCodecs[format].encodeResponse(outcome.response, outcome.response.model, canonical), headers);
}

async function streamAnswer(
  res: ServerResponse,
  format: ClientWireFormat,
  a: SimAnswer,
  state: HandlerState,
  request: CanonicalRequest,
): Promise<void> {
  if (!(await delay(a.ttftMs, res, state.timers))) return;
  res.writeHead(200, {
    ...baseHeaders(a.response.providerRequestId ?? '', a.response.model),
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  });
  const encoder = clientCodecs[format].createStreamEncoder(a.response.model, {
    includeUsage: request.streamUsage === true,
    request,
  });
  const limit = a.cutAfterEvents ?? a.events.length;
  for (let i = 0; i < a.events.length; i++) {
    if (i >= limit) {
      // Stream cut: no terminal event, the connection just drops.
      res.socket?.destroy();
      return;
    }
    if (i > 0 && !(await delay(a.chunkDelaysMs[i - 1] ?? 0, res, state.timers))) return;
    const ev = a.events[i];
    if (ev) res.write(encoder.encode(ev));
  }
  res.end(encoder.end());
}
