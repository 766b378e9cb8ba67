import type { CanonicalResponse } from '../canonical.js';
import { toFinishReason, toUsageMetadata } from './mapping.js';

export function encodeGeminiResponse(res: CanonicalResponse, model: string): Record<string, unknown> {
  return {
    candidates: [
      {
        content: {
          role: 'model',
          parts: res.content.map((p) => (p.type === 'text' ? { text: p.text } : { functionCall: { id: p.id, name: p.name, args: p.input } })),
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
