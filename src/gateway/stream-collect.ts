/** Rebuild a canonical response from stream events, for extensions that look at what was served. */
import type { CanonicalResponse, StreamEvent, TextPart, ToolUsePart } from '../wire/canonical.js';

export interface StreamCollector {
  add(ev: StreamEvent): void;
  response(): CanonicalResponse | null;
}

export function createStreamCollector(): StreamCollector {
  let start: Extract<StreamEvent, { type: 'start' }> | null = null;
  let finish: Extract<StreamEvent, { type: 'finish' }> | null = null;
  const parts = new Map<number, { text?: string; tool?: { id: string; name: string; json: string } }>();
  return {
    add(ev) {
      switch (ev.type) {
        case 'start':
          start = ev;
          return;
        case 'text_delta': {
          const p = parts.get(ev.index) ?? {};
          p.text = (p.text ?? '') + ev.text;
          parts.set(ev.index, p);
          return;
        }
        case 'tool_call_start':
          parts.set(ev.index, { tool: { id: ev.id, name: ev.name, json: '' } });
          return;
        case 'tool_call_delta': {
          const p = parts.get(ev.index);
          if (p?.tool) p.tool.json += ev.partialJson;
          return;
        }
        case 'finish':
          finish = ev;
          return;
        default:
          return;
      }
    },
    response() {
      if (!start || !finish) return null;
      const content: Array<TextPart | ToolUsePart> = [];
      for (const [, p] of [...parts.entries()].sort((a, b) => a[0] - b[0])) {
        if (p.text !== undefined) content.push({ type: 'text', text: p.text });
        if (p.tool)
          content.push({ type: 'tool_use', id: p.tool.id, name: p.tool.name, input: parseInput(p.tool.json) });
      }
      const s: Extract<StreamEvent, { type: 'start' }> = start;
      const f: Extract<StreamEvent, { type: 'finish' }> = finish;
      const fp = f.systemFingerprint ?? s.systemFingerprint;
      return {
        id: s.id,
        model: s.model,
        content,
        stopReason: f.stopReason,
        ...(f.stopSequence !== undefined ? { stopSequence: f.stopSequence } : {}),
        usage: { ...f.usage, inputTokens: f.usage.inputTokens || (s.inputTokens ?? 0) },
        ...(fp !== undefined ? { systemFingerprint: fp } : {}),
        ...(s.providerRequestId !== undefined ? { providerRequestId: s.providerRequestId } : {}),
        created: s.created,
      };
    },
  };
}

function parseInput(json: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(json || '{}');
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
