/**
 * The simulator as an in-process provider: same engine as `modelpin simulate`, no HTTP. Faults become
 * the typed ProviderErrors an HTTP client would raise for the same upstream behaviour.
 */
import type { Clock } from '../core/clock.js';
import { ProviderError } from '../core/errors.js';
import type { Random } from '../core/random.js';
import { parseEmbedRequest } from '../providers/embed-request.js';
import type {
  CallOptions,
  EmbedRequest,
  EmbedResult,
  ProviderClient,
  ProviderSettings,
  UpstreamStream,
} from '../providers/types.js';
import type { CanonicalRequest, CanonicalResponse, StreamEvent } from '../wire/canonical.js';
import { createSimEngine, type SimAnswer, type SimEngine, type SimOutcome } from './engine.js';
import { loadScenario } from './scenario-load.js';
import { wait } from './wait.js';

export interface SimulatorDeps {
  clock?: Clock;
  random?: Random;
}

export function createSimulatorProvider(settings: ProviderSettings, deps: SimulatorDeps = {}): ProviderClient {
  const engine = createSimEngine({
    scenario: loadScenario(settings.scenario ?? 'default'),
    providerId: settings.id,
    ...(deps.clock ? { clock: deps.clock } : {}),
    ...(deps.random ? { random: deps.random } : {}),
    ...(settings.seed !== undefined ? { seed: settings.seed } : {}),
    ...(settings.fast !== undefined ? { fast: settings.fast } : {}),
  });
  return simulatorProviderFromEngine(engine, settings.id);
}

export function simulatorProviderFromEngine(engine: SimEngine, id: string): ProviderClient {
  const waitOpts = (opts: CallOptions | undefined, timeoutMs?: number) => ({
    provider: id,
    ...(opts?.signal ? { signal: opts.signal } : {}),
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
  });

  /** Errors, hangs and resets are thrown; an answer is returned. */
  async function settle(outcome: SimOutcome, opts: CallOptions | undefined): Promise<SimAnswer> {
    if (outcome.kind === 'error') throw outcome.error;
    if (outcome.kind === 'hang') {
      // Never answers: only the caller's deadline or signal (or the scenario's cap) ends it.
      // A hang sends no headers either: the time-to-first-byte limit, when set, ends it first.
      await wait(outcome.hangMaxMs, waitOpts(opts, opts?.firstByteTimeoutMs ?? opts?.timeoutMs ?? outcome.hangMaxMs));
      throw new ProviderError('timeout', 'simulated model hung', { provider: id });
    }
    if (outcome.kind === 'reset') {
      throw new ProviderError('connection', 'connection reset by the simulated provider', {
        provider: id,
        providerCode: 'ECONNRESET',
      });
    }
    return outcome;
  }

  return {
    id,
    type: 'simulator',
    async complete(req: CanonicalRequest, model: string, opts?: CallOptions): Promise<CanonicalResponse> {
      const a = await settle(engine.handle(req, model, false), opts);
      await wait(a.latencyMs, waitOpts(opts, opts?.timeoutMs));
      return a.response;
    },

    async stream(req: CanonicalRequest, model: string, opts?: CallOptions): Promise<UpstreamStream> {
      const a = await settle(engine.handle(req, model, true), opts);
      await wait(a.ttftMs, waitOpts(opts, opts?.timeoutMs));
      const cancelled = new AbortController();
      const signal = opts?.signal ? AbortSignal.any([opts.signal, cancelled.signal]) : cancelled.signal;
      async function* events(): AsyncGenerator<StreamEvent> {
        const limit = a.cutAfterEvents ?? a.events.length;
        for (let i = 0; i < a.events.length; i++) {
          if (i >= limit) {
            yield {
              type: 'error',
              error: new ProviderError('stream_cut', 'simulated stream cut before its end', { provider: id }),
            };
            return;
          }
          if (i > 0) {
            try {
              await wait(a.chunkDelaysMs[i - 1] ?? 0, { signal, provider: id });
            } catch (e) {
              if (cancelled.signal.aborted) return;
              throw e;
            }
          }
          const ev = a.events[i];
          if (ev) yield ev;
        }
      }
      const iterator = events();
      return {
        providerRequestId: a.response.providerRequestId ?? '',
        cancel: () => cancelled.abort(),
        [Symbol.asyncIterator]: () => iterator,
      };
    },

    async embed(input: EmbedRequest, model: string, opts?: CallOptions): Promise<EmbedResult> {
      const req = parseEmbedRequest(input);
      // Embeddings answer at once (no latency, no faults); an aborted caller still gets its timeout.
      await wait(0, waitOpts(opts));
      // taskType and title are accepted as Gemini accepts them: simulated vectors do not depend on the task.
      const out = engine.embed(req.texts, model, req.dimensions);
      if (out.kind === 'error') throw out.error;
      // What an HTTP client makes of the simulator's 400 for the same request.
      if (out.kind === 'invalid')
        throw new ProviderError('upstream_bad_request', out.message, { provider: id, status: 400, retryable: false });
      // The same snapshot and token count the HTTP endpoint answers in `model` and `usage.prompt_tokens`.
      return { vectors: out.vectors, model: out.model, usage: { inputTokens: out.inputTokens } };
    },

    async listModels(): Promise<string[]> {
      return engine
        .listModels()
        .filter((m) => !m.retired)
        .map((m) => m.id);
    },
  };
}
