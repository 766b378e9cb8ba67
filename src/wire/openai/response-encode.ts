import type { CanonicalResponse } from '../canonical.js';
import { toFinishReason } from './stop-reason.js';
import { toOpenAiUsage } from './usage.js';

export function encodeOpenAiResponse(res: CanonicalResponse, model: string): Record<string, unknown> {
  const text = res.content.filter((p) => p.type === 'text');
  const calls = res.content.filter((p) => p.type === 'tool_use');
  return {
    id: res.id,
    object: 'chat.completion',
    created: res.created,
    model,
    ...(res.systemFingerprint !== undefined ? { system_fingerprint: res.systemFingerprint } : {}),
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: text.length === 0 ? null : text.map((p) => p.text).join(''),
          refusal: null,
          ...(calls.length > 0
            ? {
                tool_calls: calls.map((c) => ({
                  id: c.id,
                  type: 'function',
                  function: { name: c.name, arguments: JSON.stringify(c.input) },
                })),
              }
            : {}),
        },
        logprobs: null,
        finish_reason: toFinishReason(res.stopReason),
      },
    ],
    usage: toOpenAiUsage(res.usage),
  };
}
