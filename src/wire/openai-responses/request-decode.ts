import type { CanonicalRequest } from '../canonical.js';
import { failRequest, parseClient } from '../shared/validate.js';
import { decodeInput } from './input-items.js';
import { refuse } from './refuse.js';
import { checkFields } from '../shared/field-table.js';
import { RESPONSES_FIELDS } from './fields.js';
import { ResponsesRequest } from './schemas.js';
import { decodeTextFormat, decodeToolChoice, decodeTools } from './tools.js';

/** The end user behind a call: `safety_identifier` replaced `user`; both become canonical `metadata.user_id`. */
function endUser(r: ResponsesRequest): string | undefined {
  if (r.user != null && r.safety_identifier != null && r.user !== r.safety_identifier) {
    refuse('user', 'send one end-user id: user and safety_identifier differ');
  }
  return r.safety_identifier ?? r.user ?? undefined;
}

/** A `POST /v1/responses` body -> canonical request. */
export function decodeResponsesRequest(body: unknown): CanonicalRequest {
  checkFields('openai-responses', RESPONSES_FIELDS, body);
  const r = parseClient(ResponsesRequest, body);
  if (r.input === undefined) return failRequest('input: required', 'input');
  const { system, messages } = decodeInput(r.input, r.instructions ?? undefined);
  const out: CanonicalRequest =
    system !== undefined
      ? { model: r.model, system, messages, stream: r.stream === true }
      : { model: r.model, messages, stream: r.stream === true };
  if (r.tools != null) out.tools = decodeTools(r.tools);
  if (r.tool_choice != null) out.toolChoice = decodeToolChoice(r.tool_choice);
  if (r.parallel_tool_calls != null) out.parallelToolCalls = r.parallel_tool_calls;
  if (r.temperature != null) out.temperature = r.temperature;
  if (r.top_p != null) out.topP = r.top_p;
  if (r.max_output_tokens != null) out.maxTokens = r.max_output_tokens;
  if (r.text?.format != null) out.responseFormat = decodeTextFormat(r.text.format);
  if (r.reasoning != null) {
    const rs = r.reasoning;
    // Summaries would need reasoning text from every provider in Responses' own shape; the gateway does not produce them.
    if (rs.summary != null) refuse('reasoning.summary', 'reasoning summaries are not produced by the gateway');
    if (rs.generate_summary != null)
      refuse('reasoning.generate_summary', 'reasoning summaries are not produced by the gateway');
    if (rs.context != null) refuse('reasoning.context', 'reasoning context is specific to OpenAI');
    if (rs.mode != null && rs.mode !== 'standard') refuse('reasoning.mode', 'only the standard mode is supported');
    if (rs.effort != null) out.reasoning = { effort: rs.effort };
  }
  const user = endUser(r);
  if (r.metadata != null || user !== undefined) {
    const metadata: Record<string, string> = {
      ...(r.metadata ?? {}),
      ...(user !== undefined ? { user_id: user } : {}),
    };
    if (Object.keys(metadata).length > 0) out.metadata = metadata;
  }
  return out;
}
