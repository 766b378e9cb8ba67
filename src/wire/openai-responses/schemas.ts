/**
 * Zod schemas of the OpenAI Responses request (`POST /v1/responses`), the parts a client may send.
 * Field names follow the openai SDK's `ResponseCreateParams` types.
 */
import { z } from 'zod';
import { REASONING_EFFORTS } from '../canonical.js';

const InputText = z.object({ type: z.literal('input_text'), text: z.string() }).loose();
const InputImage = z
  .object({
    type: z.literal('input_image'),
    image_url: z.string().min(1).nullish(),
    file_id: z.string().nullish(),
    detail: z.enum(['low', 'high', 'auto', 'original']).nullish(),
  })
  .loose();
/** Assistant text as the Responses API returned it (an output item sent back as input). */
const OutputText = z.object({ type: z.literal('output_text'), text: z.string() }).loose();
/** Valid content with no canonical counterpart; decoded only to refuse it by name. */
const OtherContent = z.object({ type: z.enum(['input_file', 'input_audio', 'refusal']) }).loose();

export const ContentPart = z.discriminatedUnion('type', [InputText, InputImage, OutputText, OtherContent]);
export type ContentPart = z.infer<typeof ContentPart>;

/** Items are loose: `id`, `status` and `phase` of an output item sent back are bookkeeping, not model input. */
const MessageItem = z
  .object({
    type: z.literal('message'),
    role: z.enum(['user', 'assistant', 'system', 'developer']),
    content: z.union([z.string(), z.array(ContentPart)]),
  })
  .loose();
const FunctionCallItem = z
  .object({
    type: z.literal('function_call'),
    call_id: z.string().min(1),
    name: z.string().min(1),
    arguments: z.string(),
  })
  .loose();
const FunctionCallOutputItem = z
  .object({
    type: z.literal('function_call_output'),
    call_id: z.string().min(1),
    output: z.union([z.string(), z.array(z.discriminatedUnion('type', [InputText, InputImage, OtherContent]))]),
  })
  .loose();

/** Item types of built-in tools, reasoning and stored state: valid input the gateway refuses by name. */
export const REFUSED_ITEM_TYPES = [
  'reasoning',
  'item_reference',
  'compaction',
  'file_search_call',
  'web_search_call',
  'computer_call',
  'computer_call_output',
  'image_generation_call',
  'code_interpreter_call',
  'local_shell_call',
  'local_shell_call_output',
  'shell_call',
  'shell_call_output',
  'apply_patch_call',
  'apply_patch_call_output',
  'mcp_list_tools',
  'mcp_approval_request',
  'mcp_approval_response',
  'mcp_call',
  'custom_tool_call',
  'custom_tool_call_output',
  'tool_search_call',
  'tool_search_output',
] as const;
const OtherItem = z.object({ type: z.enum(REFUSED_ITEM_TYPES) }).loose();

/** A message item may leave out `type` (the SDK's EasyInputMessage). */
function defaultToMessage(v: unknown): unknown {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !('type' in v) ? { ...v, type: 'message' } : v;
}

export const InputItem = z.preprocess(
  defaultToMessage,
  z.discriminatedUnion('type', [MessageItem, FunctionCallItem, FunctionCallOutputItem, OtherItem]),
);
export type InputItem = z.infer<typeof InputItem>;

const FunctionTool = z.strictObject({
  type: z.literal('function'),
  name: z.string().min(1),
  description: z.string().nullish(),
  parameters: z.record(z.string(), z.unknown()).nullish(),
  strict: z.boolean().nullish(),
  defer_loading: z.boolean().optional(),
});
/** Tools OpenAI runs itself: no other provider can, so they are refused by name. */
const HostedTool = z
  .object({
    type: z.enum([
      'file_search',
      'computer',
      'computer_use_preview',
      'web_search',
      'web_search_2025_08_26',
      'web_search_preview',
      'web_search_preview_2025_03_11',
      'mcp',
      'code_interpreter',
      'image_generation',
      'local_shell',
      'shell',
      'custom',
      'namespace',
      'tool_search',
      'apply_patch',
    ]),
  })
  .loose();
export const Tool = z.discriminatedUnion('type', [FunctionTool, HostedTool]);

/** Choices that name a built-in tool, a tool subset or an MCP server: decoded only to refuse them. */
const HostedToolChoice = z
  .object({
    type: z.enum([
      'allowed_tools',
      'file_search',
      'web_search_preview',
      'web_search_preview_2025_03_11',
      'computer',
      'computer_use',
      'computer_use_preview',
      'image_generation',
      'code_interpreter',
      'mcp',
      'custom',
      'apply_patch',
      'shell',
    ]),
  })
  .loose();
export const ToolChoice = z.union([
  z.enum(['none', 'auto', 'required']),
  z.strictObject({ type: z.literal('function'), name: z.string().min(1) }),
  HostedToolChoice,
]);
export type ToolChoice = z.infer<typeof ToolChoice>;

export const TextFormat = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('text') }),
  z.strictObject({ type: z.literal('json_object') }),
  z.strictObject({
    type: z.literal('json_schema'),
    name: z.string().min(1),
    schema: z.record(z.string(), z.unknown()),
    description: z.string().optional(),
    strict: z.boolean().nullish(),
  }),
]);
export type TextFormat = z.infer<typeof TextFormat>;

/** Fields refused before parsing (see fields.ts); any value that got past that check is harmless. */
const refusedChecked = z.unknown().optional();

/**
 * Strict: a field this schema does not know is a 400 naming it, so nothing a client sends is
 * silently ignored. Known fields the canonical model cannot carry are refused with a reason first.
 */
export const ResponsesRequest = z.strictObject({
  model: z.string().min(1),
  /** Optional here only so that a missing input is reported as `input: required` (a union would say `invalid value`). */
  input: z.union([z.string(), z.array(InputItem).min(1)]).optional(),
  instructions: z.string().nullish(),
  tools: z.array(Tool).nullish(),
  tool_choice: ToolChoice.nullish(),
  parallel_tool_calls: z.boolean().nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  max_output_tokens: z.number().int().positive().nullish(),
  text: z
    .strictObject({ format: TextFormat.nullish(), verbosity: z.enum(['low', 'medium', 'high']).nullish() })
    .nullish(),
  stream: z.boolean().nullish(),
  /** `include_obfuscation` only pads delta events; the gateway never adds that padding. */
  stream_options: z.strictObject({ include_obfuscation: z.boolean().nullish() }).nullish(),
  metadata: z.record(z.string(), z.string()).nullish(),
  user: z.string().nullish(),
  safety_identifier: z.string().nullish(),
  store: z.boolean().nullish(),
  previous_response_id: refusedChecked,
  conversation: refusedChecked,
  background: refusedChecked,
  prompt: refusedChecked,
  include: refusedChecked,
  /** `effort` is translated per target model; summaries and the rest are refused by name in request-decode.ts. */
  reasoning: z
    .strictObject({
      effort: z.enum(REASONING_EFFORTS).nullish(),
      summary: z.enum(['auto', 'concise', 'detailed']).nullish(),
      generate_summary: z.enum(['auto', 'concise', 'detailed']).nullish(),
      context: z.string().nullish(),
      mode: z.string().nullish(),
    })
    .nullish(),
  truncation: refusedChecked,
  service_tier: refusedChecked,
  top_logprobs: refusedChecked,
  max_tool_calls: refusedChecked,
  context_management: refusedChecked,
  prompt_cache_key: refusedChecked,
  prompt_cache_retention: refusedChecked,
});
export type ResponsesRequest = z.infer<typeof ResponsesRequest>;
