/** Zod schemas of the Anthropic Messages wire format (the parts modelpin reads). */
import { z } from 'zod';

export const CacheControlSchema = z.strictObject({
  type: z.literal('ephemeral'),
  ttl: z.enum(['5m', '1h']).optional(),
});
const CacheControl = CacheControlSchema.nullish();
const TextBlock = z.object({ type: z.literal('text'), text: z.string(), cache_control: CacheControl });
const ImageBlock = z.object({
  type: z.literal('image'),
  source: z.discriminatedUnion('type', [
    z.object({ type: z.literal('base64'), media_type: z.string(), data: z.string() }),
    z.object({ type: z.literal('url'), url: z.string().min(1) }),
  ]),
  cache_control: CacheControl,
});
const ToolUseBlock = z.object({
  type: z.literal('tool_use'),
  id: z.string(),
  name: z.string(),
  input: z.record(z.string(), z.unknown()),
  cache_control: CacheControl,
});
const ToolResultBlock = z.object({
  type: z.literal('tool_result'),
  tool_use_id: z.string(),
  content: z.union([z.string(), z.array(z.discriminatedUnion('type', [TextBlock, ImageBlock]))]).optional(),
  is_error: z.boolean().optional(),
  cache_control: CacheControl,
});
const ThinkingBlock = z.object({
  type: z.literal('thinking'),
  thinking: z.string(),
  signature: z.string(),
  cache_control: CacheControl,
});
const RedactedThinkingBlock = z.object({
  type: z.literal('redacted_thinking'),
  data: z.string(),
  cache_control: CacheControl,
});
/** Valid Anthropic blocks with no canonical counterpart; decoded only to refuse them by name. */
const OtherBlock = z
  .object({
    type: z.enum([
      'document',
      'server_tool_use',
      'web_search_tool_result',
      'search_result',
      'container_upload',
      'mcp_tool_use',
      'mcp_tool_result',
    ]),
  })
  .loose();

export const Block = z.discriminatedUnion('type', [
  TextBlock,
  ImageBlock,
  ToolUseBlock,
  ToolResultBlock,
  ThinkingBlock,
  RedactedThinkingBlock,
  OtherBlock,
]);
export type Block = z.infer<typeof Block>;

/** Structured outputs: `output_config.format` (GA) and the beta top-level `output_format`. */
const JsonOutputFormat = z.strictObject({ type: z.literal('json_schema'), schema: z.record(z.string(), z.unknown()) });

export const MessagesRequest = z
  .object({
    model: z.string().min(1),
    max_tokens: z.number().int().positive(),
    messages: z
      .array(z.object({ role: z.enum(['user', 'assistant']), content: z.union([z.string(), z.array(Block)]) }))
      .min(1),
    system: z.union([z.string(), z.array(TextBlock)]).optional(),
    tools: z
      .array(
        z
          .object({
            type: z.string().optional(),
            name: z.string().min(1),
            description: z.string().optional(),
            input_schema: z.record(z.string(), z.unknown()).optional(),
            cache_control: CacheControl,
            strict: z.boolean().nullish(),
          })
          .loose(),
      )
      .optional(),
    tool_choice: z
      .discriminatedUnion('type', [
        z.object({ type: z.literal('auto'), disable_parallel_tool_use: z.boolean().optional() }),
        z.object({ type: z.literal('any'), disable_parallel_tool_use: z.boolean().optional() }),
        z.object({ type: z.literal('tool'), name: z.string(), disable_parallel_tool_use: z.boolean().optional() }),
        z.object({ type: z.literal('none') }),
      ])
      .optional(),
    temperature: z.number().min(0).max(1).optional(),
    top_p: z.number().min(0).max(1).optional(),
    top_k: z.number().int().nonnegative().optional(),
    stop_sequences: z.array(z.string()).optional(),
    stream: z.boolean().optional(),
    metadata: z.object({ user_id: z.string().nullish() }).optional(),
    thinking: z
      .discriminatedUnion('type', [
        z.strictObject({
          type: z.literal('enabled'),
          budget_tokens: z.number().int().min(1024),
          display: z.enum(['summarized', 'omitted']).optional(),
        }),
        z.strictObject({ type: z.literal('adaptive'), display: z.enum(['summarized', 'omitted']).optional() }),
        z.strictObject({ type: z.literal('disabled') }),
      ])
      .optional(),
    cache_control: CacheControl,
    output_config: z.object({ format: JsonOutputFormat.nullish(), effort: z.unknown().optional() }).nullish(),
    output_format: JsonOutputFormat.nullish(),
  })
  .loose();
export type MessagesRequest = z.infer<typeof MessagesRequest>;

export const AnthropicUsage = z
  .object({
    input_tokens: z.number().nullish(),
    output_tokens: z.number().nullish(),
    cache_creation_input_tokens: z.number().nullish(),
    cache_read_input_tokens: z.number().nullish(),
    output_tokens_details: z.object({ thinking_tokens: z.number().nullish() }).loose().nullish(),
  })
  .loose();
export type AnthropicUsage = z.infer<typeof AnthropicUsage>;

export const ResponseBlock = z.union([
  z.object({ type: z.literal('text'), text: z.string() }).loose(),
  z
    .object({ type: z.literal('tool_use'), id: z.string(), name: z.string(), input: z.record(z.string(), z.unknown()) })
    .loose(),
  z.object({ type: z.string() }).loose(),
]);

export const MessageResponse = z
  .object({
    id: z.string(),
    type: z.literal('message').optional(),
    role: z.string().optional(),
    model: z.string(),
    content: z.array(ResponseBlock),
    stop_reason: z.string().nullish(),
    stop_sequence: z.string().nullish(),
    usage: AnthropicUsage,
  })
  .loose();

export const StreamPayload = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('message_start'),
    message: z.object({ id: z.string(), model: z.string(), usage: AnthropicUsage.optional() }).loose(),
  }),
  z.object({ type: z.literal('content_block_start'), index: z.number(), content_block: ResponseBlock }),
  z.object({
    type: z.literal('content_block_delta'),
    index: z.number(),
    delta: z.union([
      z.object({ type: z.literal('text_delta'), text: z.string() }),
      z.object({ type: z.literal('input_json_delta'), partial_json: z.string() }),
      z.object({ type: z.string() }).loose(),
    ]),
  }),
  z.object({ type: z.literal('content_block_stop'), index: z.number() }),
  z.object({
    type: z.literal('message_delta'),
    delta: z.object({ stop_reason: z.string().nullish(), stop_sequence: z.string().nullish() }).loose(),
    usage: AnthropicUsage.nullish(),
  }),
  z.object({ type: z.literal('message_stop') }),
  z.object({ type: z.literal('ping') }),
  z.object({ type: z.literal('error'), error: z.object({ type: z.string(), message: z.string() }).loose() }),
]);

export const AnthropicErrorBody = z.object({
  type: z.literal('error').optional(),
  error: z.object({ type: z.string(), message: z.string().nullish() }).loose(),
  request_id: z.string().nullish(),
});
