/** Zod schemas of the Gemini generateContent wire format (camelCase proto JSON). */
import { z } from 'zod';

const Json = z.record(z.string(), z.unknown());

export const Part = z
  .object({
    text: z.string().optional(),
    thought: z.boolean().optional(),
    thoughtSignature: z.string().optional(),
    inlineData: z.object({ mimeType: z.string(), data: z.string() }).optional(),
    fileData: z.object({ mimeType: z.string().optional(), fileUri: z.string() }).optional(),
    functionCall: z.object({ id: z.string().optional(), name: z.string(), args: Json.optional() }).optional(),
    functionResponse: z.object({ id: z.string().optional(), name: z.string(), response: Json }).optional(),
  })
  .loose();
export type Part = z.infer<typeof Part>;

export const Content = z.object({ role: z.enum(['user', 'model', 'function']).optional(), parts: z.array(Part) });

export const GenerationConfig = z
  .object({
    temperature: z.number().min(0).max(2).optional(),
    topP: z.number().min(0).max(1).optional(),
    topK: z.number().int().nonnegative().optional(),
    maxOutputTokens: z.number().int().positive().optional(),
    stopSequences: z.array(z.string()).optional(),
    seed: z.number().int().optional(),
    presencePenalty: z.number().optional(),
    frequencyPenalty: z.number().optional(),
    candidateCount: z.number().int().positive().optional(),
    responseMimeType: z.string().optional(),
    responseSchema: Json.optional(),
    responseJsonSchema: Json.optional(),
    thinkingConfig: z
      .strictObject({
        includeThoughts: z.boolean().optional(),
        thinkingBudget: z.number().int().min(-1).optional(),
        // The SDK enum is upper case; Google's REST examples use lower case.
        thinkingLevel: z
          .string()
          .transform((s) => s.toLowerCase())
          .pipe(z.enum(['minimal', 'low', 'medium', 'high', 'thinking_level_unspecified']))
          .optional(),
      })
      .optional(),
  })
  .loose();

export const GenerateContentRequest = z
  .object({
    contents: z.array(Content).min(1),
    systemInstruction: z
      .object({ role: z.string().optional(), parts: z.array(z.object({ text: z.string() }).loose()) })
      .optional(),
    tools: z
      .array(
        z
          .object({
            functionDeclarations: z
              .array(
                z.strictObject({
                  name: z.string().min(1),
                  description: z.string().optional(),
                  parameters: Json.optional(),
                  parametersJsonSchema: Json.optional(),
                }),
              )
              .optional(),
          })
          .loose(),
      )
      .optional(),
    toolConfig: z
      .object({
        functionCallingConfig: z
          .object({
            mode: z.enum(['AUTO', 'ANY', 'NONE', 'VALIDATED', 'MODE_UNSPECIFIED']).optional(),
            allowedFunctionNames: z.array(z.string()).optional(),
          })
          .optional(),
      })
      .optional(),
    generationConfig: GenerationConfig.optional(),
    model: z.string().optional(),
  })
  .loose();
export type GenerateContentRequest = z.infer<typeof GenerateContentRequest>;

export const UsageMetadata = z
  .object({
    promptTokenCount: z.number().optional(),
    candidatesTokenCount: z.number().optional(),
    totalTokenCount: z.number().optional(),
    cachedContentTokenCount: z.number().optional(),
    thoughtsTokenCount: z.number().optional(),
  })
  .loose();
export type UsageMetadata = z.infer<typeof UsageMetadata>;

export const GenerateContentResponse = z
  .object({
    candidates: z
      .array(
        z
          .object({
            content: z
              .object({ role: z.string().optional(), parts: z.array(Part).optional() })
              .loose()
              .optional(),
            finishReason: z.string().optional(),
            index: z.number().optional(),
          })
          .loose(),
      )
      .optional(),
    promptFeedback: z.object({ blockReason: z.string().optional() }).loose().optional(),
    usageMetadata: UsageMetadata.optional(),
    modelVersion: z.string().optional(),
    responseId: z.string().optional(),
    createTime: z.string().optional(),
  })
  .loose();
export type GenerateContentResponse = z.infer<typeof GenerateContentResponse>;

export const GeminiErrorBody = z.object({
  error: z
    .object({
      code: z.number().optional(),
      message: z.string().optional(),
      status: z.string().optional(),
      details: z.array(z.object({ '@type': z.string().optional() }).loose()).optional(),
    })
    .loose(),
});
