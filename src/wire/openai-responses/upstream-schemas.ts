/**
 * Zod schemas of what the Responses API sends back: the `response` object and its streaming
 * events. Loose, because the API adds fields; only what the canonical model reads is checked.
 */
import { z } from 'zod';

export const ResponsesUsage = z
  .object({
    input_tokens: z.number().int().nonnegative(),
    output_tokens: z.number().int().nonnegative(),
    input_tokens_details: z
      .object({
        cached_tokens: z.number().int().nonnegative().nullish(),
        cache_write_tokens: z.number().int().nonnegative().nullish(),
      })
      .loose()
      .nullish(),
    output_tokens_details: z.object({ reasoning_tokens: z.number().int().nonnegative().nullish() }).loose().nullish(),
  })
  .loose();
export type ResponsesUsage = z.infer<typeof ResponsesUsage>;

const OutputContent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('output_text'), text: z.string() }).loose(),
  z.object({ type: z.literal('refusal'), refusal: z.string() }).loose(),
]);

export const OutputMessage = z.object({ type: z.literal('message'), content: z.array(OutputContent) }).loose();
export const OutputFunctionCall = z
  .object({
    type: z.literal('function_call'),
    call_id: z.string().min(1),
    name: z.string().min(1),
    arguments: z.string(),
  })
  .loose();

/**
 * Any output item. Messages and function calls are parsed further by their readers; reasoning
 * items and anything else a model adds besides the answer are not part of the canonical answer.
 */
export const OutputItem = z.object({ type: z.string() }).loose();
export type OutputItem = z.infer<typeof OutputItem>;

export const ResponseError = z.object({ code: z.string().nullish(), message: z.string() }).loose();

export const ResponseObject = z
  .object({
    id: z.string(),
    created_at: z.number().nullish(),
    status: z.string().nullish(),
    model: z.string(),
    output: z.array(OutputItem),
    error: ResponseError.nullish(),
    incomplete_details: z.object({ reason: z.string().nullish() }).loose().nullish(),
    usage: ResponsesUsage.nullish(),
  })
  .loose();
export type ResponseObject = z.infer<typeof ResponseObject>;

/** Any streaming event: `type` says which, the rest is read per type. */
export const StreamEventEnvelope = z.object({ type: z.string() }).loose();

export const ResponseEvent = z.object({ response: ResponseObject }).loose();
export const ItemEvent = z.object({ output_index: z.number().int().nonnegative(), item: OutputItem }).loose();
export const DeltaEvent = z.object({ output_index: z.number().int().nonnegative(), delta: z.string() }).loose();
/** The `error` event: code/message at the top (the documented shape) or nested under `error`. */
export const ErrorEvent = z
  .object({
    code: z.string().nullish(),
    message: z.string().nullish(),
    param: z.string().nullish(),
    error: ResponseError.extend({ type: z.string().nullish() }).nullish(),
  })
  .loose();
