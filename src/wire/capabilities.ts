/**
 * What a target model can do, where a request's translation depends on it. The catalog supplies
 * these per model; `undefined` means unknown, and encoders then take the conservative path: the
 * format's generally available spelling and its narrowest documented schema subset, never a
 * silent drop (the provider's own validation has the last word).
 */

/** Each flag: true = supported, false = known not to be, absent = unknown (the conservative path). */
export interface StructuredOutputCapabilities {
  /** Answers constrained to a JSON Schema (OpenAI json_schema, Anthropic output_config.format, Gemini responseJsonSchema). */
  jsonSchema?: boolean;
  /** JSON without a schema (OpenAI json_object, Gemini responseMimeType alone). */
  jsonMode?: boolean;
  /** Tool calls constrained to their schemas (OpenAI/Anthropic `strict`, Gemini mode VALIDATED). */
  strictTools?: boolean;
}

export interface ModelCapabilities {
  structuredOutput?: StructuredOutputCapabilities;
}

/** What an encoder knows about the call beyond the request: the target model's capabilities. */
export interface EncodeOptions {
  capabilities?: ModelCapabilities;
}
