/** Chat Completions client to a Chat Completions target: no translation, see src/wire/forward.ts. */
import { ProviderError } from '../../core/errors.js';
import type { Usage } from '../canonical.js';
import type { ForwardAnswer, ForwardWire } from '../forward.js';
import { lazyResponse, swapModel, type Eager } from '../shared/forward.js';
import { formatSse } from '../sse.js';
import { parseUpstream } from '../shared/validate.js';
import { decodeOpenAiResponse } from './response-decode.js';
import { checkOpenAiStructured } from './request-encode.js';
import { ChatUsage } from './schemas.js';
import { createOpenAiStreamDecoder } from './stream-decode.js';
import { fromOpenAiUsage } from './usage.js';

const DONE = 'data: [DONE]\n\n';
const NO_USAGE: Usage = { inputTokens: 0, outputTokens: 0 };

function bad(why: string): never {
  throw new ProviderError('upstream_bad_response', `upstream chat completion ${why}`);
}

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * The usage object, read without zod when it has the plain shape every answer has (a parse costs about
 * as much as decoding the client's request); anything else goes through the codec's schema and its error.
 */
function readUsage(u: unknown): Usage {
  if (u === undefined || u === null) return NO_USAGE;
  const o = u as {
    prompt_tokens?: unknown;
    completion_tokens?: unknown;
    prompt_tokens_details?: { cached_tokens?: unknown } | null;
    completion_tokens_details?: unknown;
  };
  // Reasoning tokens live in completion_tokens_details: such usage takes the codec's full reading.
  if (o.completion_tokens_details !== undefined && o.completion_tokens_details !== null)
    return fromOpenAiUsage(parseUpstream(ChatUsage, u, 'chat completion usage'));
  const details = o.prompt_tokens_details;
  const plainDetails = details === undefined || details === null || typeof details === 'object';
  const cached = details === undefined || details === null ? undefined : details.cached_tokens;
  if (
    typeof u === 'object' &&
    plainDetails &&
    isCount(o.prompt_tokens) &&
    isCount(o.completion_tokens) &&
    (cached === undefined || cached === null || isCount(cached))
  ) {
    return cached === undefined || cached === null
      ? { inputTokens: o.prompt_tokens, outputTokens: o.completion_tokens }
      : { inputTokens: o.prompt_tokens, outputTokens: o.completion_tokens, cachedInputTokens: cached };
  }
  return fromOpenAiUsage(parseUpstream(ChatUsage, u, 'chat completion usage'));
}

export const openaiForward: ForwardWire = {
  format: 'openai',

  check: (req, model, capabilities) => checkOpenAiStructured(req, model, capabilities, 'openai'),

  call: () => ({ path: '/chat/completions' }),

  upstreamBody(body, target, stream) {
    // Keys the body may lack come before the spread: optimised V8 code gives an object that is spread and
    // then given a new key a hidden class of its own on every call (bench/map-churn.ts counts them).
    // Not Object.assign: it would drop a `__proto__` key the client sent.
    const out: Record<string, unknown> = stream
      ? { stream_options: null, ...body, model: target.model }
      : { ...body, model: target.model };
    const p = target.params;
    if (p) {
      if (p.temperature !== undefined) out.temperature = p.temperature;
      if (p.topP !== undefined) out.top_p = p.topP;
      if (p.maxTokens !== undefined) {
        // One of the two, as the translating encoder sends: o-series models refuse `max_tokens`.
        delete out.max_tokens;
        out.max_completion_tokens = p.maxTokens;
      }
      if (p.stop !== undefined) out.stop = p.stop;
    }
    // Usage is always requested upstream: it feeds cost records whatever the client asked.
    if (stream) {
      const options: Record<string, unknown> = { include_usage: true, ...(body.stream_options as object | null) };
      options.include_usage = true;
      out.stream_options = options;
    }
    return JSON.stringify(out);
  },

  readAnswer(text, headers, targetModel): ForwardAnswer {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return bad('is not valid JSON');
    }
    if (json === null || typeof json !== 'object' || Array.isArray(json)) return bad('is not a JSON object');
    const r = json as Record<string, unknown>;
    if (!Array.isArray(r.choices) || r.choices.length === 0) return bad('has no choices');
    const served = typeof r.model === 'string' && r.model !== '' ? r.model : targetModel;
    const fingerprint =
      typeof r.system_fingerprint === 'string' && r.system_fingerprint !== '' ? r.system_fingerprint : null;
    const usage = readUsage(r.usage);
    // The optional field is set only when present: a conditional spread would build a second object per answer.
    const eager: Eager = {
      id: typeof r.id === 'string' ? r.id : '',
      model: served,
      usage,
      created: typeof r.created === 'number' ? r.created : 0,
    };
    if (fingerprint !== null) eager.systemFingerprint = fingerprint;
    return {
      served,
      fingerprint,
      usage,
      response: lazyResponse(eager, () => ({ ...decodeOpenAiResponse(json, headers()), model: served })),
    };
  },

  clientAnswer(text, answer, clientModel) {
    const swapped = swapModel(text, answer.served, clientModel);
    if (swapped !== null) return swapped;
    // No top-level model in the upstream's answer: the client still sees the name it asked for.
    return JSON.stringify({ ...(JSON.parse(text) as Record<string, unknown>), model: clientModel });
  },

  openStream(clientModel, o) {
    const decoder = createOpenAiStreamDecoder();
    let served: string | null = null;
    let done = false;
    return {
      event(ev) {
        const events = decoder.decode(ev);
        if (ev.data.trim() === '[DONE]') {
          done = true;
          return { events, out: DONE };
        }
        for (const e of events) {
          if (e.type === 'error') return { events, out: '' };
          if (e.type === 'start') served = e.model;
        }
        let data = ev.data;
        // The chunk that only carries usage exists because the gateway asked for it: drop it for a client that did not.
        if (!o.includeUsage && data.includes('"usage"')) {
          const chunk = JSON.parse(data) as { choices?: unknown[] };
          if (Array.isArray(chunk.choices) && chunk.choices.length === 0) return { events, out: '' };
        }
        if (served !== null) {
          const swapped = swapModel(data, served, clientModel);
          if (swapped !== null) data = swapped;
          else if (data.includes('"model"'))
            data = JSON.stringify({ ...(JSON.parse(data) as Record<string, unknown>), model: clientModel });
        }
        // One-line data (every chunk OpenAI sends) needs no splitting into `data:` lines.
        if (ev.event === undefined && !/[\r\n]/.test(data)) return { events, out: `data: ${data}\n\n` };
        return { events, out: formatSse(ev.event === undefined ? { data } : { event: ev.event, data }) };
      },
      end: () => (done ? '' : DONE),
    };
  },
};
