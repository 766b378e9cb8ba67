/**
 * The request parameters a Responses `response` object repeats back (`instructions`, `tools`,
 * `tool_choice`, `temperature`, ...), rebuilt from the canonical request. Without the request
 * (library use) they take the API's defaults.
 */
import type { CanonicalRequest, ResponseFormat, ToolChoice } from '../canonical.js';

function toolChoice(tc: ToolChoice | undefined): unknown {
  if (tc === undefined) return 'auto';
  if (tc.type === 'any') return 'required';
  if (tc.type === 'tool') return { type: 'function', name: tc.name };
  return tc.type;
}

function textFormat(rf: ResponseFormat | undefined): Record<string, unknown> {
  if (rf === undefined || rf.type === 'text') return { type: 'text' };
  if (rf.type === 'json') return { type: 'json_object' };
  return { type: 'json_schema', name: rf.name ?? 'response', schema: rf.schema, strict: rf.strict ?? null };
}

export function echoRequest(req: CanonicalRequest | undefined): Record<string, unknown> {
  return {
    instructions: req?.system ?? null,
    max_output_tokens: req?.maxTokens ?? null,
    metadata: req?.metadata ?? {},
    parallel_tool_calls: req?.parallelToolCalls ?? true,
    previous_response_id: null,
    // Tools are echoed as forwarded: `strict` is not, so it reads null.
    tools: (req?.tools ?? []).map((t) => ({ type: 'function', name: t.name, description: t.description ?? null, parameters: t.inputSchema, strict: null })),
    tool_choice: toolChoice(req?.toolChoice),
    temperature: req?.temperature ?? null,
    top_p: req?.topP ?? null,
    text: { format: textFormat(req?.responseFormat) },
    truncation: 'disabled',
    background: false,
    store: false,
  };
}
