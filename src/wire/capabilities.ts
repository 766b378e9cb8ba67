/**
 * What a target model can do, where a request's translation depends on it. The catalog supplies
 * these per model (`capabilitiesOf` in src/catalog/catalog.ts); `undefined` means unknown, and
 * encoders then take the conservative path: the format's generally available spelling and its
 * narrowest documented schema subset or reasoning mode, never a silent drop (the provider's own
 * validation has the last word).
 */
import type { ReasoningEffort } from './canonical.js';

/** Each flag: true = supported, false = known not to be, absent = unknown (the conservative path). */
export interface StructuredOutputCapabilities {
  /** Answers constrained to a JSON Schema (OpenAI json_schema, Anthropic output_config.format, Gemini responseJsonSchema). */
  jsonSchema?: boolean;
  /** JSON without a schema (OpenAI json_object, Gemini responseMimeType alone). */
  jsonMode?: boolean;
  /** Tool calls constrained to their schemas (OpenAI/Anthropic `strict`, Gemini mode VALIDATED). */
  strictTools?: boolean;
}

export const THINKING_LEVELS = ['minimal', 'low', 'medium', 'high'] as const;
export type ThinkingLevel = (typeof THINKING_LEVELS)[number];

/** What a model accepts for reasoning (src/wire/shared/reasoning.ts plans from it). Absent fields mean "not offered". */
export interface ReasoningCapabilities {
  /** Effort values accepted (OpenAI `reasoning_effort`; Anthropic `output_config.effort` on adaptive models). */
  efforts?: ReasoningEffort[];
  /** Gemini `thinkingLevel` values accepted (Gemini 3); present means levels, not budgets. */
  levels?: ThinkingLevel[];
  /** A manual token budget is accepted (Anthropic `budget_tokens`, Gemini `thinkingBudget`), within these bounds. */
  budget?: { min: number; max: number };
  /** Anthropic adaptive thinking is offered. */
  adaptive?: boolean;
  /** Reasoning can be turned off (default true). */
  canDisable?: boolean;
  /** Gemini 3: a function call in the current turn must carry a thought signature. */
  signedToolCalls?: boolean;
}

/** One object per target model, carrying every fact an encoder reads. */
export interface ModelCapabilities {
  structuredOutput?: StructuredOutputCapabilities;
  /** false: the model does not reason. Absent: not known, the format's conservative default applies. */
  reasoning?: ReasoningCapabilities | false;
}

/** What an encoder knows about the call beyond the request: the target model's capabilities. */
export interface EncodeOptions {
  capabilities?: ModelCapabilities;
}
