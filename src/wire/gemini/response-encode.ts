import type { CanonicalResponse, TextPart, ThinkingPart, ToolUsePart } from '../canonical.js';
import { toFinishReason, toUsageMetadata } from './mapping.js';

/** Gemini's own signatures go back on the part they came with; other providers' reasoning is shown as unsigned thoughts. */
export function geminiPart(p: TextPart | ToolUsePart | ThinkingPart): Record<string, unknown> | null {
  const sig =
    p.signature?.format === 'gemini' && p.signature.value !== '' ? { thoughtSignature: p.signature.value } : {};
  if (p.type === 'text') return { text: p.text, ...sig };
  if (p.type === 'tool_use') return { functionCall: { id: p.id, name: p.name, args: p.input }, ...sig };
  if (p.redacted && p.signature?.format !== 'gemini') return null;
  return { text: p.text, thought: true, ...sig };
}

export function encodeGeminiResponse(res: CanonicalResponse, model: string): Record<string, unknown> {
  return {
    candidates: [
      {
        content: {
          role: 'model',
          parts: res.content.map(geminiPart).filter((p) => p !== null),
        },
        finishReason: toFinishReason(res.stopReason),
        index: 0,
      },
    ],
    usageMetadata: toUsageMetadata(res.usage),
    modelVersion: model,
    responseId: res.id,
  };
}
