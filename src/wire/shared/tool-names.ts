import type { Message } from '../canonical.js';

/** Fill `tool_result.name` from the matching earlier `tool_use` (Gemini needs the name on a result). */
export function fillToolResultNames(messages: Message[]): Message[] {
  // Most requests carry no tool results: return them untouched instead of copying every message.
  if (!messages.some((m) => m.content.some((p) => p.type === 'tool_result' && p.name === undefined))) return messages;
  const names = new Map<string, string>();
  return messages.map((m) => ({
    ...m,
    content: m.content.map((p) => {
      if (p.type === 'tool_use') names.set(p.id, p.name);
      if (p.type === 'tool_result' && p.name === undefined) {
        const name = names.get(p.toolUseId);
        if (name !== undefined) return { ...p, name };
      }
      return p;
    }),
  }));
}

/** Parse a tool-call argument string into an object; anything but a JSON object is refused. */
export function parseToolArguments(text: string): Record<string, unknown> | undefined {
  if (text.trim() === '') return {};
  try {
    const v = JSON.parse(text) as unknown;
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
