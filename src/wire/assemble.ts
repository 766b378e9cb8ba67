import { ProviderError } from '../core/errors.js';
import type {
  CanonicalResponse,
  ReasoningSignature,
  StreamEvent,
  TextPart,
  ThinkingPart,
  ToolUsePart,
} from './canonical.js';
import { parseToolArguments } from './shared/tool-names.js';

/**
 * Builds a complete response from stream events (for callers that stream upstream but
 * need the whole answer: evals, shadow traffic, usage records).
 */
export interface StreamAssembler {
  push(ev: StreamEvent): void;
  /** True once `finish` arrived. */
  readonly done: boolean;
  result(): CanonicalResponse;
}

export function createStreamAssembler(): StreamAssembler {
  let res: CanonicalResponse | undefined;
  let done = false;
  type Part =
    | { kind: 'text'; text: string; signature?: ReasoningSignature }
    | { kind: 'thinking'; text: string; signature?: ReasoningSignature; redacted?: boolean }
    | { kind: 'tool'; id: string; name: string; json: string; signature?: ReasoningSignature };
  const parts = new Map<number, Part>();

  function base(): CanonicalResponse {
    res ??= {
      id: '',
      model: '',
      content: [],
      stopReason: 'other',
      usage: { inputTokens: 0, outputTokens: 0 },
      created: 0,
    };
    return res;
  }

  return {
    push(ev) {
      const r = base();
      switch (ev.type) {
        case 'start':
          Object.assign(r, { id: ev.id, model: ev.model, created: ev.created });
          if (ev.systemFingerprint !== undefined) r.systemFingerprint = ev.systemFingerprint;
          if (ev.providerRequestId !== undefined) r.providerRequestId = ev.providerRequestId;
          if (ev.inputTokens !== undefined) r.usage = { ...r.usage, inputTokens: ev.inputTokens };
          return;
        case 'text_delta': {
          const p = parts.get(ev.index);
          if (p?.kind === 'text') p.text += ev.text;
          else parts.set(ev.index, { kind: 'text', text: ev.text });
          return;
        }
        case 'thinking_delta': {
          const p = parts.get(ev.index);
          if (p?.kind === 'thinking') p.text += ev.text;
          else parts.set(ev.index, { kind: 'thinking', text: ev.text });
          return;
        }
        case 'signature': {
          const p = parts.get(ev.index);
          // Signatures arrive whole or in pieces depending on the format; pieces of one signature concatenate.
          if (p)
            p.signature =
              p.signature && p.signature.format === ev.signature.format
                ? { format: p.signature.format, value: p.signature.value + ev.signature.value }
                : ev.signature;
          else
            parts.set(ev.index, {
              kind: 'thinking',
              text: '',
              signature: ev.signature,
              ...(ev.redacted ? { redacted: true } : {}),
            });
          return;
        }
        case 'tool_call_start':
          parts.set(ev.index, { kind: 'tool', id: ev.id, name: ev.name, json: '' });
          return;
        case 'tool_call_delta': {
          const p = parts.get(ev.index);
          if (p?.kind === 'tool') p.json += ev.partialJson;
          return;
        }
        case 'part_end':
          return;
        case 'finish':
          done = true;
          r.stopReason = ev.stopReason;
          if (ev.stopSequence !== undefined) r.stopSequence = ev.stopSequence;
          r.usage = ev.usage;
          if (ev.systemFingerprint !== undefined) r.systemFingerprint = ev.systemFingerprint;
          return;
        case 'error':
          throw ev.error;
      }
    },
    get done() {
      return done;
    },
    result() {
      const r = base();
      const content: Array<TextPart | ToolUsePart | ThinkingPart> = [];
      for (const [, p] of [...parts.entries()].sort((a, b) => a[0] - b[0])) {
        const sig = p.signature ? { signature: p.signature } : {};
        if (p.kind === 'text') content.push({ type: 'text', text: p.text, ...sig });
        else if (p.kind === 'thinking')
          content.push({ type: 'thinking', text: p.text, ...sig, ...(p.redacted ? { redacted: true } : {}) });
        else {
          const input = parseToolArguments(p.json);
          if (!input)
            throw new ProviderError(
              'upstream_bad_response',
              `streamed tool call ${p.name} has arguments that are not a JSON object`,
            );
          content.push({ type: 'tool_use', id: p.id, name: p.name, input, ...sig });
        }
      }
      return { ...r, content };
    },
  };
}

export function assembleStream(events: Iterable<StreamEvent>): CanonicalResponse {
  const a = createStreamAssembler();
  for (const e of events) a.push(e);
  return a.result();
}

/** How a complete answer is cut into deltas: by characters (default) or by a caller's own rule. */
export interface ChunkRules {
  text(s: string): string[];
  json(s: string): string[];
}

export function charChunks(size: number): (s: string) => string[] {
  const n = Math.max(1, size);
  return (s) => {
    const out: string[] = [];
    for (let i = 0; i < s.length; i += n) out.push(s.slice(i, i + n));
    return out;
  };
}

/**
 * A complete response as the stream events a provider would send. A number splits text and tool
 * arguments into deltas of at most that many characters; `ChunkRules` lets the simulator cut by tokens.
 */
export function responseToEvents(res: CanonicalResponse, chunking: number | ChunkRules = 16): StreamEvent[] {
  const rules: ChunkRules =
    typeof chunking === 'number' ? { text: charChunks(chunking), json: charChunks(chunking) } : chunking;
  const events: StreamEvent[] = [
    {
      type: 'start',
      id: res.id,
      model: res.model,
      created: res.created,
      inputTokens: res.usage.inputTokens,
      ...(res.systemFingerprint !== undefined ? { systemFingerprint: res.systemFingerprint } : {}),
      ...(res.providerRequestId !== undefined ? { providerRequestId: res.providerRequestId } : {}),
    },
  ];
  res.content.forEach((p, index) => {
    if (p.type === 'text') for (const text of rules.text(p.text)) events.push({ type: 'text_delta', index, text });
    else if (p.type === 'thinking') {
      if (!p.redacted) for (const text of rules.text(p.text)) events.push({ type: 'thinking_delta', index, text });
    } else {
      events.push({ type: 'tool_call_start', index, id: p.id, name: p.name });
      for (const partialJson of rules.json(JSON.stringify(p.input)))
        events.push({ type: 'tool_call_delta', index, partialJson });
    }
    // A signature follows its part's content, as Anthropic's signature_delta and Gemini's last chunk do.
    if (p.signature)
      events.push({
        type: 'signature',
        index,
        signature: p.signature,
        ...(p.type === 'thinking' && p.redacted ? { redacted: true } : {}),
      });
    events.push({ type: 'part_end', index });
  });
  events.push({
    type: 'finish',
    stopReason: res.stopReason,
    ...(res.stopSequence !== undefined ? { stopSequence: res.stopSequence } : {}),
    usage: res.usage,
    ...(res.systemFingerprint !== undefined ? { systemFingerprint: res.systemFingerprint } : {}),
  });
  return events;
}
