import type { ToolResultPart } from '../canonical.js';

/**
 * Gemini answers a call with a JSON object; canonical results are text. Text travels as
 * `{content: text}` (or `{error: text}` for a failed call); any other object becomes its JSON text.
 */
export function toolResultFromResponse(id: string, name: string, response: Record<string, unknown>): ToolResultPart {
  const keys = Object.keys(response);
  const only = keys.length === 1 ? keys[0] : undefined;
  if (only === 'content' && typeof response.content === 'string')
    return { type: 'tool_result', toolUseId: id, name, content: [{ type: 'text', text: response.content }] };
  if (only === 'error' && typeof response.error === 'string') {
    return {
      type: 'tool_result',
      toolUseId: id,
      name,
      content: [{ type: 'text', text: response.error }],
      isError: true,
    };
  }
  return { type: 'tool_result', toolUseId: id, name, content: [{ type: 'text', text: JSON.stringify(response) }] };
}

export function responseFromToolResult(text: string, isError: boolean | undefined): Record<string, unknown> {
  return isError ? { error: text } : { content: text };
}
