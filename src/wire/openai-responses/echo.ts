/**
 * The request parameters a Responses `response` object repeats back (`instructions`, `tools`,
 * `tool_choice`, `temperature`, ...), rebuilt from the canonical request. Without the request
 * (library use) they take the API's defaults.
 */
import type { CanonicalRequest } from '../canonical.js';
import { encodeFunctionTool, encodeTextFormat, encodeToolChoice } from './params.js';

export function echoRequest(req: CanonicalRequest | undefined): Record<string, unknown> {
  return {
    instructions: req?.system ?? null,
    max_output_tokens: req?.maxTokens ?? null,
    metadata: req?.metadata ?? {},
    parallel_tool_calls: req?.parallelToolCalls ?? true,
    previous_response_id: null,
    // A tool's `strict` is echoed as the caller sent it; unset reads null.
    tools: (req?.tools ?? []).map((t) => encodeFunctionTool(t, null)),
    tool_choice: req?.toolChoice ? encodeToolChoice(req.toolChoice) : 'auto',
    temperature: req?.temperature ?? null,
    top_p: req?.topP ?? null,
    text: { format: encodeTextFormat(req?.responseFormat) },
    truncation: 'disabled',
    background: false,
    store: false,
  };
}
