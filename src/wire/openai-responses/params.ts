/**
 * Canonical -> Responses request parameters, shared by the upstream request encoder and the
 * `response` object's echo of the request, so both spell them the same way.
 */
import type { ResponseFormat, ToolChoice, ToolDef } from '../canonical.js';

export function encodeToolChoice(tc: ToolChoice): unknown {
  if (tc.type === 'any') return 'required';
  if (tc.type === 'tool') return { type: 'function', name: tc.name };
  return tc.type;
}

/** A canonical json_schema without a name gets `response`, as the Chat Completions encoder does. */
export function encodeTextFormat(rf: ResponseFormat | undefined): Record<string, unknown> {
  if (rf === undefined || rf.type === 'text') return { type: 'text' };
  if (rf.type === 'json') return { type: 'json_object' };
  return {
    type: 'json_schema',
    name: rf.name ?? 'response',
    ...(rf.description !== undefined ? { description: rf.description } : {}),
    schema: rf.schema,
    strict: rf.strict ?? null,
  };
}

/**
 * A tool's own `strict` when the caller set one, else `unset`: the Responses API makes function
 * tools strict unless told otherwise, which rejects ordinary schemas, so the upstream encoder
 * passes `false` (Chat Completions semantics) and the echo passes null (the caller said nothing).
 */
export function encodeFunctionTool(t: ToolDef, unset: boolean | null): Record<string, unknown> {
  return {
    type: 'function',
    name: t.name,
    description: t.description ?? null,
    parameters: t.inputSchema,
    strict: t.strict ?? unset,
  };
}
