/**
 * The simulator engine: given a canonical request and a model id, decide the outcome (answer,
 * typed error, hang or connection reset) and build the answer with its stream events and timing.
 * Pure apart from the injected clock and random sources; HTTP and in-process adapters share it.
 */
import { systemClock, type Clock } from '../core/clock.js';
import { ProviderError } from '../core/errors.js';
import { hashString, seededRandom, type Random } from '../core/random.js';
import type {
  CanonicalRequest,
  CanonicalResponse,
  ClientWireFormat,
  StreamEvent,
  TextPart,
  ThinkingPart,
  ToolUsePart,
  Usage,
} from '../wire/canonical.js';
import { createAliasResolver } from './aliases.js';
import { DEFAULT_EMBEDDING_DIMENSIONS, simEmbedding } from './embedding.js';
import { drawFault } from './faults.js';
import { sampleLatency } from './latency.js';
import { outputTokens, render } from './render.js';
import { answer, requestTexts, type Draft } from './rules.js';
import { forcedTool, forcedToolInput, strictToolInput, structuredText } from './structured.js';
import type { Scenario } from './scenario.js';
import type { Behaviour } from './scenario-schema.js';
import { buildStreamEvents } from './stream-events.js';
import { countTokens } from '../core/tokenizer.js';
import { inputTokens } from './usage.js';
import { createSimPromptCache } from './prompt-cache.js';
import { scriptedCalls, scriptedTurn } from './agent-script.js';
import { checkReturnedReasoning, signToolCall, simReasoningTokens, simThinking } from './reasoning.js';
import { requestRandom, sampleBehaviour } from './sampling.js';

export interface SimAnswer {
  kind: 'answer';
  response: CanonicalResponse;
  /** Start, deltas, part ends and finish, in order. */
  events: StreamEvent[];
  /** Non-stream: total latency. */
  latencyMs: number;
  /** Stream: delay before the first event, and before each following event. */
  ttftMs: number;
  chunkDelaysMs: number[];
  /** Stream cut: how many events go out before the connection drops. */
  cutAfterEvents?: number;
}

export type SimOutcome =
  | SimAnswer
  | { kind: 'error'; error: ProviderError; requestId: string }
  | { kind: 'hang'; requestId: string; hangMaxMs: number }
  | { kind: 'reset'; requestId: string };

/** Simulated embeddings for a batch of texts, or why there are none. No latency and no faults. */
export type SimEmbedOutcome =
  | { kind: 'embeddings'; model: string; vectors: number[][]; inputTokens: number; requestId: string }
  | { kind: 'error'; error: ProviderError; requestId: string }
  /** The request itself is wrong (empty text, too many dimensions): a 400 in every format. */
  | { kind: 'invalid'; message: string; requestId: string };

export interface HandleOptions {
  /** Seeds this request's sampled behaviour (e.g. the `x-modelpin-sample-seed` header); default: the call index. */
  sampleSeed?: string;
}

export interface SimModel {
  id: string;
  kind: 'snapshot' | 'alias';
  /** For aliases: where it points right now. */
  target?: string;
  created: number;
  displayName: string;
  retired: boolean;
}

export interface SimEngineOptions {
  scenario: Scenario;
  clock?: Clock;
  /** Overrides the scenario seed. */
  seed?: number;
  /** Injected random source; when absent, seeded streams are derived from the seed. */
  random?: Random;
  /** No latency, no faults. */
  fast?: boolean;
  /** Provider id stamped on errors. */
  providerId?: string;
}

export interface SimEngine {
  readonly scenario: Scenario;
  readonly seed: number;
  readonly fast: boolean;
  /**
   * `format`: the wire format the request arrived in (HTTP), which decides how reasoning is shown and
   * signed and whether caching is explicit (Anthropic) or automatic; in-process calls have none.
   */
  handle(
    req: CanonicalRequest,
    model: string,
    stream: boolean,
    format?: ClientWireFormat,
    opts?: HandleOptions,
  ): SimOutcome;
  /** `dimensions`: a shorter vector than the snapshot's own length, when the caller asks for one. */
  embed(texts: readonly string[], model: string, dimensions?: number): SimEmbedOutcome;
  listModels(): SimModel[];
  /** Fresh request id for answers that never reach the engine (bad requests). */
  nextRequestId(): string;
}

export function createSimEngine(opts: SimEngineOptions): SimEngine {
  const { scenario } = opts;
  const clock = opts.clock ?? systemClock;
  const seed = opts.seed ?? scenario.seed ?? 1;
  const fast = opts.fast ?? scenario.fast;
  const faultRandom = opts.random ?? seededRandom(`${seed}:faults`);
  const latencyRandom = opts.random ?? seededRandom(`${seed}:latency`);
  const aliases = createAliasResolver(scenario.aliases, clock);
  const provider = opts.providerId ?? 'simulator';
  let counter = 0;
  const promptCache = createSimPromptCache(() => clock.now());
  const nextRequestId = () => `req_sim_${(seed >>> 0).toString(16)}_${String(++counter).padStart(6, '0')}`;

  const fail = (code: ConstructorParameters<typeof ProviderError>[0], message: string, extra: object = {}) =>
    new ProviderError(code, message, { provider, ...extra });

  /** Dated appearance and retirement are judged by the injected clock, like alias moves. */
  const released = (b: Behaviour): boolean =>
    b.available_from === undefined || Date.parse(b.available_from) <= clock.now();
  const isRetired = (b: Behaviour): boolean =>
    b.retired === true || (b.retired_at !== undefined && Date.parse(b.retired_at) <= clock.now());

  /** The snapshot a model id serves right now; unknown and retired ids are the same 404 for every endpoint. */
  function lookup(
    model: string,
    requestId: string,
  ): { kind: 'found'; served: string; b: Behaviour } | { kind: 'error'; error: ProviderError; requestId: string } {
    const served = aliases.resolve(model);
    const b = scenario.snapshots.get(served);
    if (!b || !released(b)) {
      const error = fail('model_not_found', `model: ${model}`, { details: { model, simulator: true } });
      return { kind: 'error', error, requestId };
    }
    if (isRetired(b)) {
      const error = fail('model_retired', `model: ${served}`, { details: { model: served, simulator: true } });
      return { kind: 'error', error, requestId };
    }
    return { kind: 'found', served, b };
  }

  function handle(
    req: CanonicalRequest,
    model: string,
    stream: boolean,
    format?: ClientWireFormat,
    hopts: HandleOptions = {},
  ): SimOutcome {
    const requestId = nextRequestId();
    const callIndex = counter;
    const found = lookup(model, requestId);
    if (found.kind === 'error') return found;
    const { served, b } = found;
    const fault = fast ? null : drawFault(b.faults, faultRandom, stream);
    if (fault === 'rate_limit') {
      const retryAfterMs = Math.round((b.faults?.retry_after_s ?? 1) * 1000);
      return {
        kind: 'error',
        error: fail('rate_limited', 'Rate limit reached (simulated)', { retryAfterMs }),
        requestId,
      };
    }
    if (fault === 'server_error') {
      return {
        kind: 'error',
        error: fail('upstream_error', 'Internal server error (simulated)', { status: 500 }),
        requestId,
      };
    }
    if (fault === 'overloaded') {
      return { kind: 'error', error: fail('overloaded', 'Overloaded (simulated)', { status: 529 }), requestId };
    }
    if (fault === 'hang') return { kind: 'hang', requestId, hangMaxMs: scenario.hangMaxMs };
    if (fault === 'reset') return { kind: 'reset', requestId };
    const refused = checkReturnedReasoning(req, format);
    if (refused)
      return {
        kind: 'error',
        error: fail('upstream_bad_request', refused, { status: 400, retryable: false }),
        requestId,
      };

    const sampled = sampleBehaviour(b, requestRandom(seed, hopts.sampleSeed ?? String(callIndex)));
    const response = buildResponse(req, served, sampled.behaviour, requestId, format, sampled.text);
    const timing = (d: Behaviour['latency']) => (fast ? 0 : Math.round(sampleLatency(d, latencyRandom)));
    const events = buildStreamEvents(response, b.stream?.chunk_tokens ?? 4);
    const deltas = events.filter((e) => e.type === 'text_delta' || e.type === 'tool_call_delta').length;
    const out: SimAnswer = {
      kind: 'answer',
      response,
      events,
      latencyMs: stream ? 0 : timing(b.latency),
      ttftMs: stream ? timing(b.stream?.ttft ?? b.latency) : 0,
      chunkDelaysMs: stream ? events.slice(1).map(() => timing(b.stream?.chunk_delay)) : [],
    };
    // Start event plus about half of the deltas, then the socket goes away.
    if (fault === 'stream_cut') out.cutAfterEvents = 1 + Math.max(1, Math.ceil(deltas / 2));
    return out;
  }

  function embed(texts: readonly string[], model: string, dimensions?: number): SimEmbedOutcome {
    const requestId = nextRequestId();
    const found = lookup(model, requestId);
    if (found.kind === 'error') return found;
    const { served, b } = found;
    const native = b.embedding_dimensions ?? DEFAULT_EMBEDDING_DIMENSIONS;
    const invalid = (message: string): SimEmbedOutcome => ({ kind: 'invalid', message, requestId });
    if (texts.length === 0) return invalid('input: at least one text is required');
    const empty = texts.findIndex((t) => t.length === 0);
    if (empty >= 0) return invalid(`input ${empty}: an empty string cannot be embedded`);
    if (dimensions !== undefined && (!Number.isInteger(dimensions) || dimensions < 1 || dimensions > native)) {
      return invalid(`dimensions: ${dimensions} is not between 1 and ${native}, the length ${served} answers`);
    }
    return {
      kind: 'embeddings',
      model: served,
      vectors: texts.map((t) => simEmbedding(t, served, dimensions ?? native)),
      inputTokens: texts.reduce((n, t) => n + countTokens(t), 0),
      requestId,
    };
  }

  function buildResponse(
    req: CanonicalRequest,
    served: string,
    b: Behaviour,
    requestId: string,
    format: ClientWireFormat | undefined,
    sampledText?: string,
  ): CanonicalResponse {
    const texts = requestTexts(req);
    const inTokens = inputTokens(req);
    const vars = { input: texts.user, system: texts.system, model: served, input_tokens: String(inTokens) };
    const rules = [...(b.rules ?? []), ...scenario.rules];
    const scripted = scriptedTurn(req, b.agent, vars);
    let draft: Draft = (scripted?.kind === 'text'
      ? { kind: 'text' as const, ruleId: scripted.scriptId, text: scripted.text }
      : null) ??
      answer(req, rules, vars) ?? {
        kind: 'text' as const,
        ruleId: undefined,
        text: `No scenario rule matched this prompt (modelpin simulator, ${served}).`,
      };
    // A sampled refusal or text variant replaces the scripted reply.
    if (sampledText !== undefined) draft = { kind: 'text', ruleId: draft.ruleId, text: sampledText };
    const forced = forcedTool(req, draft);
    if (forced)
      draft = {
        kind: 'tool',
        ruleId: draft.ruleId ?? 'forced-tool',
        name: forced.name,
        input: forcedToolInput(forced, draft, b),
      };
    else if (draft.kind === 'tool') draft = { ...draft, input: strictToolInput(req, draft.name, draft.input) };
    const exactText = structuredText(draft, b, req.responseFormat);
    const toolUseId = `toolu_sim_${String(counter).padStart(6, '0')}`;
    const rendered =
      scripted?.kind === 'calls'
        ? scriptedCalls(req, scripted.calls, toolUseId)
        : render(draft, b, {
            ...(exactText !== null ? { exactText } : {}),
            filler: scenario.filler,
            trimWords: scenario.trimWords,
            toolUseId,
            ...(req.stop ? { stop: req.stop } : {}),
            ...(req.maxTokens !== undefined ? { maxTokens: req.maxTokens } : {}),
          });
    const reasoning = simReasoningTokens(req.reasoning);
    const answerTokens = outputTokens(rendered.content);
    const content: Array<TextPart | ToolUsePart | ThinkingPart> = [...rendered.content];
    if (reasoning > 0 && req.reasoning) {
      const first = content.findIndex((p) => p.type === 'tool_use');
      const call = content[first];
      if (call?.type === 'tool_use') content[first] = signToolCall(format, call);
      const thinking = simThinking(format, req.reasoning, reasoning, served);
      if (thinking) content.unshift(thinking);
    }
    const cache = promptCache.use(req, format, served);
    const usage: Usage = { inputTokens: inTokens, outputTokens: answerTokens + reasoning };
    if (reasoning > 0) usage.reasoningTokens = reasoning;
    if (cache.cachedInputTokens > 0) usage.cachedInputTokens = cache.cachedInputTokens;
    if (cache.cacheCreationInputTokens > 0) usage.cacheCreationInputTokens = cache.cacheCreationInputTokens;
    return {
      id: `sim_${(seed >>> 0).toString(16)}_${String(counter).padStart(6, '0')}`,
      model: served,
      content,
      stopReason: rendered.stopReason,
      ...(rendered.stopSequence !== undefined ? { stopSequence: rendered.stopSequence } : {}),
      usage,
      systemFingerprint: b.system_fingerprint ?? `fp_sim_${hashString(served).toString(16)}`,
      providerRequestId: requestId,
      created: Math.floor(clock.now() / 1000),
    };
  }

  function listModels(): SimModel[] {
    const created = (s: string | undefined) =>
      s && !Number.isNaN(Date.parse(s)) ? Math.floor(Date.parse(s) / 1000) : 0;
    const out: SimModel[] = [];
    for (const [id, b] of scenario.snapshots) {
      if (!released(b)) continue;
      out.push({
        id,
        kind: 'snapshot',
        created: created(b.created),
        displayName: b.display_name ?? id,
        retired: isRetired(b),
      });
    }
    for (const id of scenario.aliases.keys()) {
      const target = aliases.peek(id) ?? '';
      const b = scenario.snapshots.get(target);
      out.push({ id, kind: 'alias', target, created: created(b?.created), displayName: id, retired: false });
    }
    return out;
  }

  return { scenario, seed, fast, handle, embed, listModels, nextRequestId };
}
