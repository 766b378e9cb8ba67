/**
 * An embeddings call from an OpenAI or Gemini client: authenticate, read and decode the body, plan
 * the route exactly like a chat call, dispatch through the same retry/breaker/fallback chain, answer
 * in the client's format and leave one usage record.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestUrl } from '../http/request-url.js';
import type { Target } from '../config/target.js';
import { taskOptionOf } from '../providers/embed-request.js';
import type { CallOptions, EmbedResult, ProviderClient } from '../providers/types.js';
import { authenticateCall, finishCall, openScope, overhead, planCall, type CallDeps } from './call-scope.js';
import { answerFailure } from './call-failure.js';
import { connectionSignal } from './client-signal.js';
import type { EmbeddingsCodec, EmbeddingsPathContext, EmbeddingsRequest } from './embeddings-codec.js';
import { groupByOptions, ungroup, type EmbedGroup } from './embeddings-groups.js';
import { embeddingTargets, noEmbeddings, type TaskOptionUse } from './embeddings-targets.js';
import { estimateInputTokens } from './embeddings-tokens.js';
import { parseJsonBody, readBody, sendJson } from '../http/io.js';
import { routingHeaders } from './usage-record.js';

export async function handleEmbeddingsCall(
  req: IncomingMessage,
  res: ServerResponse,
  url: RequestUrl,
  codec: EmbeddingsCodec,
  ctx: EmbeddingsPathContext,
  deps: CallDeps,
): Promise<void> {
  const errors = deps.codecs[codec.errorFormat];
  // Embeddings have no canonical request (scope.request stays null): extensions (shadow, sentinel) are not handed these calls.
  const scope = openScope(deps, codec.usageWire, {
    stream: false,
    requested: ctx.pathModel ?? '',
    headers: req.headers,
  });
  const signal = connectionSignal(req.socket);
  try {
    const identity = authenticateCall(req, url, scope, deps);
    const decoded = codec.decode(parseJsonBody(await readBody(req, deps.bodyLimit())), ctx);
    const request = decoded.request;
    const runtime = deps.runtime();
    const plan = planCall(req, scope, deps, request.model, identity);
    const { capable, skipped } = embeddingTargets(plan, (id) => runtime.provider(id), taskOptionUse(request));
    if (skipped.length > 0)
      deps.logger.log('debug', 'embeddings: targets that cannot answer this request left out of the chain', {
        route: plan.route,
        skipped,
      });
    const groups = groupByOptions(request.texts, request.options);
    const attempt = (client: ProviderClient, target: Target, opts: CallOptions): Promise<EmbedResult> => {
      if (!client.embed) throw noEmbeddings(client, target);
      return embedGroups(client.embed.bind(client), groups, target.model, opts);
    };
    const value = await runtime.dispatcher.run(capable, attempt, { signal, trace: scope.trace });
    const target = scope.trace.target ?? capable[0];
    // What the provider says answered (an alias resolves to its snapshot); the target's id when it names none (Gemini).
    scope.servedModel = value.model ?? (target ? target.model : null);
    // The provider's count when it reports one (OpenAI formats, the simulator); else the gateway's estimate (Gemini).
    const inputTokens = value.usage ? value.usage.inputTokens : estimateInputTokens(request.texts);
    scope.usage = { inputTokens, outputTokens: 0 };
    const vectors = value.vectors;
    const body = decoded.encode({ vectors, inputTokens });
    scope.overheadMs = overhead(scope, deps);
    sendJson(res, 200, body, routingHeaders(plan, scope.trace, scope.servedModel, scope.overheadMs));
    finishCall(scope, deps, 200, null);
  } catch (e) {
    answerFailure(res, e, signal, scope, deps, errors);
  }
}

/** The first task option any text sets, and the field that set it: targets that cannot carry it are left out or refuse. */
function taskOptionUse(request: EmbeddingsRequest): TaskOptionUse | null {
  for (let i = 0; i < request.options.length; i++) {
    const option = taskOptionOf(request.options[i] ?? {});
    if (option) return { option, param: request.param(i, option) };
  }
  return null;
}

type Embed = NonNullable<ProviderClient['embed']>;

/**
 * One provider call per group, side by side; the first failure cancels the others, so a retry of
 * the attempt does not race leftovers of the previous one.
 */
async function embedGroups(
  embed: Embed,
  groups: readonly EmbedGroup[],
  model: string,
  opts: CallOptions,
): Promise<EmbedResult> {
  const only = groups[0];
  if (groups.length === 1 && only) return embed(only.request, model, opts);
  const siblings = new AbortController();
  const signal = opts.signal ? AbortSignal.any([opts.signal, siblings.signal]) : siblings.signal;
  try {
    return ungroup(groups, await Promise.all(groups.map((g) => embed(g.request, model, { ...opts, signal }))));
  } catch (e) {
    siblings.abort();
    throw e;
  }
}
