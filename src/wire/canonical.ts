/**
 * The canonical request/response model. Every wire format translates to and from
 * these types; nothing outside a codec or provider folder knows a provider's field names.
 */
import type { ModelpinError } from '../core/errors.js';

/** Formats spoken in both directions: clients call the gateway in them and providers are called in them. */
export const WIRE_FORMATS = ['openai', 'anthropic', 'gemini'] as const;
export type WireFormat = (typeof WIRE_FORMATS)[number];

/**
 * Formats outside the shared three. The gateway accepts them from clients; a provider is called in
 * one only when its configuration asks for it (OpenAI `api: responses`), so they stay out of the
 * format-to-format routing set. Their codecs still have both halves.
 */
export const CLIENT_ONLY_WIRE_FORMATS = ['openai-responses'] as const;
export type ClientOnlyWireFormat = (typeof CLIENT_ONLY_WIRE_FORMATS)[number];

/** Every format a client may call the gateway in. */
export const CLIENT_WIRE_FORMATS = [...WIRE_FORMATS, ...CLIENT_ONLY_WIRE_FORMATS] as const;
export type ClientWireFormat = (typeof CLIENT_WIRE_FORMATS)[number];

export type ImageSource = { kind: 'base64'; mediaType: string; data: string } | { kind: 'url'; url: string };

/**
 * A prompt-cache breakpoint (Anthropic `cache_control`). Only Anthropic-format targets take it; other
 * providers cache prefixes on their own, so encoders for them leave it out by a documented rule (docs/wire.md).
 */
export type CacheControl = { type: 'ephemeral'; ttl?: '5m' | '1h' };

/**
 * An opaque value a provider signs its reasoning with and wants back unchanged in later turns
 * (Anthropic thinking `signature` / `redacted_thinking.data`, Gemini `thoughtSignature`). It is only
 * valid for the format that issued it: encoders for other formats never send it.
 */
export type ReasoningSignature = { format: WireFormat; value: string };

export type TextPart = { type: 'text'; text: string; cacheControl?: CacheControl; signature?: ReasoningSignature };
export type ImagePart = { type: 'image'; source: ImageSource; cacheControl?: CacheControl };
export type ToolUsePart = {
  type: 'tool_use';
  id: string;
  name: string;
  input: Record<string, unknown>;
  cacheControl?: CacheControl;
  signature?: ReasoningSignature;
};
export type ToolResultPart = {
  type: 'tool_result';
  toolUseId: string;
  /** Gemini needs the function name on a result; codecs fill it from the matching tool_use when they can. */
  name?: string;
  content: Array<TextPart | ImagePart>;
  isError?: boolean;
  cacheControl?: CacheControl;
};
/**
 * The model's reasoning as the provider showed it (Anthropic `thinking`/`redacted_thinking`, Gemini
 * `thought: true` parts). `redacted` blocks carry no text, only their signature.
 */
export type ThinkingPart = { type: 'thinking'; text: string; signature?: ReasoningSignature; redacted?: boolean };
export type ContentPart = TextPart | ImagePart | ToolUsePart | ToolResultPart | ThinkingPart;

export type Role = 'user' | 'assistant';

export interface Message {
  role: Role;
  content: ContentPart[];
}

export interface ToolDef {
  name: string;
  description?: string;
  /** JSON Schema of the tool input. */
  inputSchema: Record<string, unknown>;
  /**
   * The caller asked for calls guaranteed to match `inputSchema` (OpenAI `strict`, Anthropic
   * `strict`, Gemini mode `VALIDATED`). Unset means best effort.
   */
  strict?: boolean;
  cacheControl?: CacheControl;
}

/** Every effort value any format accepts, lowest first (OpenAI `reasoning_effort`, Anthropic `output_config.effort`). */
export const REASONING_EFFORTS = ['none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max'] as const;
export type ReasoningEffort = (typeof REASONING_EFFORTS)[number];

/**
 * Reasoning as the client asked for it, in the terms its format has. What the target gets is decided
 * per target model (src/wire/shared/reasoning.ts reads the catalog's capabilities); docs/wire.md has the table.
 */
export interface ReasoningRequest {
  /** A named level; `none` turns reasoning off (Anthropic `thinking.type: disabled`, Gemini `thinkingBudget: 0`). */
  effort?: ReasoningEffort;
  /** A token budget (Anthropic `budget_tokens`, Gemini `thinkingBudget`). */
  budgetTokens?: number;
  /** The model decides how much to think (Anthropic adaptive thinking, Gemini `thinkingBudget: -1`). */
  adaptive?: boolean;
  /** Whether thinking text comes back (Gemini `includeThoughts`, Anthropic `display`). */
  includeThoughts?: boolean;
}

export type ToolChoice = { type: 'auto' } | { type: 'none' } | { type: 'any' } | { type: 'tool'; name: string };

export type ResponseFormat =
  | { type: 'text' }
  | { type: 'json' }
  | {
      type: 'json_schema';
      name?: string;
      /** What the answer is for (OpenAI `json_schema.description`): guidance for the model, not a constraint. */
      description?: string;
      schema: Record<string, unknown>;
      /**
       * true: the answer must match the schema (constrained decoding). Anthropic and Gemini always
       * constrain, so their decoders set it; OpenAI leaves it to the caller's `strict`.
       */
      strict?: boolean;
    };

export interface CanonicalRequest {
  /** As the client sent it: a route name, or a raw model id. Routing decides the upstream model. */
  model: string;
  system?: string;
  messages: Message[];
  tools?: ToolDef[];
  toolChoice?: ToolChoice;
  temperature?: number;
  topP?: number;
  maxTokens?: number;
  stop?: string[];
  responseFormat?: ResponseFormat;
  stream: boolean;
  /** Whether the client asked for usage in the stream (OpenAI `stream_options.include_usage`). */
  streamUsage?: boolean;
  /** Reasoning settings; absent leaves the target model's default. */
  reasoning?: ReasoningRequest;
  /**
   * The system prompt as blocks, set only when a block carries a cache breakpoint (Anthropic `system`
   * blocks with `cache_control`); `system` still holds the joined text for every other format.
   */
  systemBlocks?: TextPart[];
  /** Anthropic top-level `cache_control`: cache up to the last cacheable block. */
  cacheControl?: CacheControl;
  /** Opaque caller metadata (Anthropic `metadata.user_id`, OpenAI `user`/`metadata`). */
  metadata?: Record<string, string>;
  /** Top-k sampling (Anthropic `top_k`, Gemini `topK`). */
  topK?: number;
  /** Sampling seed (OpenAI `seed`, Gemini `seed`). */
  seed?: number;
  /** OpenAI `presence_penalty`, Gemini `presencePenalty`. */
  presencePenalty?: number;
  /** OpenAI `frequency_penalty`, Gemini `frequencyPenalty`. */
  frequencyPenalty?: number;
  /** false = at most one tool call per turn (OpenAI `parallel_tool_calls`, Anthropic `disable_parallel_tool_use`). */
  parallelToolCalls?: boolean;
}

export type StopReason =
  'end_turn' | 'max_tokens' | 'stop_sequence' | 'tool_use' | 'content_filter' | 'error' | 'other';

export interface Usage {
  inputTokens: number;
  outputTokens: number;
  /** Input tokens read from a prompt cache (billed at the cached rate). */
  cachedInputTokens?: number;
  /** Input tokens written to a prompt cache (Anthropic). */
  cacheCreationInputTokens?: number;
  /** Output tokens spent on reasoning/thinking; part of outputTokens, as every provider bills them as output. */
  reasoningTokens?: number;
}

export interface CanonicalResponse {
  id: string;
  /** The model id the provider says served the request (`model` / `modelVersion`). */
  model: string;
  /** Text, tool_use and thinking parts. */
  content: Array<TextPart | ToolUsePart | ThinkingPart>;
  stopReason: StopReason;
  stopSequence?: string;
  usage: Usage;
  systemFingerprint?: string;
  providerRequestId?: string;
  /** Unix seconds. */
  created: number;
}

/**
 * Canonical stream events. Parts are indexed in order of appearance; a text part and a
 * tool_use part never share an index.
 */
export type StreamEvent =
  | {
      type: 'start';
      id: string;
      model: string;
      created: number;
      inputTokens?: number;
      systemFingerprint?: string;
      providerRequestId?: string;
    }
  | { type: 'text_delta'; index: number; text: string }
  /** Reasoning text; opens a thinking part at `index` like text_delta opens a text part. */
  | { type: 'thinking_delta'; index: number; text: string }
  /**
   * The signature of the part at `index` (thinking, text or tool call). `redacted` opens a redacted
   * thinking part that has nothing but this signature.
   */
  | { type: 'signature'; index: number; signature: ReasoningSignature; redacted?: boolean }
  | { type: 'tool_call_start'; index: number; id: string; name: string }
  | { type: 'tool_call_delta'; index: number; partialJson: string }
  | { type: 'part_end'; index: number }
  | { type: 'finish'; stopReason: StopReason; stopSequence?: string; usage: Usage; systemFingerprint?: string }
  | { type: 'error'; error: ModelpinError };

/** Join all text parts: what assertions and drift checks read. */
export function responseText(res: Pick<CanonicalResponse, 'content'>): string {
  return res.content
    .filter((p): p is TextPart => p.type === 'text')
    .map((p) => p.text)
    .join('');
}
