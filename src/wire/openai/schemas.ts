/** Zod schemas of the OpenAI Chat Completions wire format (the parts modelpin reads). */
import { z } from 'zod';
import { REASONING_EFFORTS } from '../canonical.js';

const TextPart = z.object({ type: z.literal('text'), text: z.string() });
const ImageUrlPart = z.object({
  type: z.literal('image_url'),
  image_url: z.object({ url: z.string().min(1), detail: z.enum(['auto', 'low', 'high']).optional() }),
});
/** Valid OpenAI inputs that have no canonical counterpart; decoded only to refuse them by name. */
const OtherPart = z.object({ type: z.enum(['input_audio', 'file']) }).loose();
const RefusalPart = z.object({ type: z.literal('refusal'), refusal: z.string() });

export const ToolCall = z.object({
  id: z.string(),
  type: z.literal('function').default('function'),
  function: z.object({ name: z.string(), arguments: z.string() }),
});

export const ChatMessage = z.discriminatedUnion('role', [
  z.object({
    role: z.enum(['system', 'developer']),
    content: z.union([z.string(), z.array(TextPart)]),
    name: z.string().optional(),
  }),
  z.object({
    role: z.literal('user'),
    content: z.union([z.string(), z.array(z.discriminatedUnion('type', [TextPart, ImageUrlPart, OtherPart]))]),
    name: z.string().optional(),
  }),
  z.object({
    role: z.literal('assistant'),
    content: z.union([z.string(), z.array(z.discriminatedUnion('type', [TextPart, RefusalPart]))]).nullish(),
    tool_calls: z.array(ToolCall).nullish(),
    refusal: z.string().nullish(),
    name: z.string().optional(),
  }),
  z.object({ role: z.literal('tool'), tool_call_id: z.string(), content: z.union([z.string(), z.array(TextPart)]) }),
]);
export type ChatMessage = z.infer<typeof ChatMessage>;

const ToolChoice = z.union([
  z.enum(['auto', 'none', 'required']),
  z.object({ type: z.literal('function'), function: z.object({ name: z.string() }) }),
]);

export const ChatRequest = z
  .object({
    model: z.string().min(1),
    messages: z.array(ChatMessage).min(1),
    tools: z
      .array(
        z.object({
          type: z.literal('function'),
          function: z.object({
            name: z.string().min(1),
            description: z.string().optional(),
            parameters: z.record(z.string(), z.unknown()).optional(),
            strict: z.boolean().nullish(),
          }),
        }),
      )
      .optional(),
    tool_choice: ToolChoice.optional(),
    parallel_tool_calls: z.boolean().optional(),
    temperature: z.number().min(0).max(2).nullish(),
    top_p: z.number().min(0).max(1).nullish(),
    max_tokens: z.number().int().positive().nullish(),
    max_completion_tokens: z.number().int().positive().nullish(),
    stop: z.union([z.string(), z.array(z.string())]).nullish(),
    seed: z.number().int().nullish(),
    presence_penalty: z.number().min(-2).max(2).nullish(),
    frequency_penalty: z.number().min(-2).max(2).nullish(),
    n: z.number().int().positive().nullish(),
    response_format: z
      .discriminatedUnion('type', [
        z.object({ type: z.literal('text') }),
        z.object({ type: z.literal('json_object') }),
        z.object({
          type: z.literal('json_schema'),
          json_schema: z.object({
            name: z.string(),
            description: z.string().optional(),
            schema: z.record(z.string(), z.unknown()).optional(),
            strict: z.boolean().nullish(),
          }),
        }),
      ])
      .optional(),
    stream: z.boolean().nullish(),
    stream_options: z
      .object({ include_usage: z.boolean().optional(), include_obfuscation: z.boolean().nullish() })
      .nullish(),
    reasoning_effort: z.enum(REASONING_EFFORTS).nullish(),
    user: z.string().optional(),
    safety_identifier: z.string().nullish(),
    metadata: z.record(z.string(), z.string()).nullish(),
  })
  .loose();
export type ChatRequest = z.infer<typeof ChatRequest>;

const Usage = z
  .object({
    prompt_tokens: z.number(),
    completion_tokens: z.number(),
    total_tokens: z.number().optional(),
    prompt_tokens_details: z
      .object({ cached_tokens: z.number().nullish(), cache_write_tokens: z.number().nullish() })
      .loose()
      .nullish(),
    completion_tokens_details: z.object({ reasoning_tokens: z.number().nullish() }).loose().nullish(),
  })
  .loose();

/** What a completion and each of its stream chunks share; `choice` is what differs (a message or a delta). */
function completionShape<C extends z.ZodType>(choice: C) {
  return z
    .object({
      id: z.string(),
      created: z.number(),
      model: z.string(),
      system_fingerprint: z.string().nullish(),
      choices: z.array(choice),
      usage: Usage.nullish(),
    })
    .loose();
}

const ChoiceText = { role: z.string().nullish(), content: z.string().nullish(), refusal: z.string().nullish() };

export const ChatCompletion = completionShape(
  z
    .object({
      index: z.number().optional(),
      message: z
        .object({ ...ChoiceText, role: z.string().optional(), tool_calls: z.array(ToolCall).nullish() })
        .loose(),
      finish_reason: z.string().nullish(),
    })
    .loose(),
).extend({ object: z.string().optional() });
export type ChatCompletion = z.infer<typeof ChatCompletion>;

export const ChatChunk = completionShape(
  z
    .object({
      index: z.number().optional(),
      delta: z
        .object({
          ...ChoiceText,
          tool_calls: z
            .array(
              z.object({
                index: z.number(),
                id: z.string().nullish(),
                type: z.string().nullish(),
                function: z.object({ name: z.string().nullish(), arguments: z.string().nullish() }).nullish(),
              }),
            )
            .nullish(),
        })
        .loose()
        .optional(),
      finish_reason: z.string().nullish(),
    })
    .loose(),
);
export type ChatChunk = z.infer<typeof ChatChunk>;

export const OpenAiErrorBody = z.object({
  error: z
    .object({
      message: z.string().nullish(),
      type: z.string().nullish(),
      param: z.string().nullish(),
      code: z.union([z.string(), z.number()]).nullish(),
    })
    .loose(),
});

/** The usage object of an answer or of a stream's last chunk (read alone by the same-format passthrough). */
export { Usage as ChatUsage };
