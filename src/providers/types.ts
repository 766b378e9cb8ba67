import type { ModelpinError } from '../core/errors.js';
import type { EmbedOptions } from '../wire/embeddings.js';
import type { ModelCapabilities } from '../wire/capabilities.js';
import type { CanonicalRequest, CanonicalResponse, ClientWireFormat, StreamEvent } from '../wire/canonical.js';

/** Provider kinds modelpin can call. Each has an entry in the provider registry (src/providers/registry.ts). */
export const PROVIDER_TYPES = [
  'anthropic',
  'openai',
  'gemini',
  'openai-compatible',
  'azure-openai',
  'simulator',
] as const;
export type ProviderType = (typeof PROVIDER_TYPES)[number];

/** Provider types whose API refuses every call without a key (self-hosted OpenAI-compatible servers and the simulator may not). */
export const KEY_REQUIRED: ReadonlySet<ProviderType> = new Set<ProviderType>([
  'anthropic',
  'openai',
  'gemini',
  'azure-openai',
]);

/** How an OpenAI-family provider is called: `POST /chat/completions` or `POST /responses`. */
export const PROVIDER_APIS = ['chat-completions', 'responses'] as const;
export type ProviderApi = (typeof PROVIDER_APIS)[number];

/** A provider as configured in models.yml, after `${ENV}` interpolation. */
export interface ProviderSettings {
  /** The key under `providers:` in models.yml (e.g. `anthropic`, `sim`). */
  id: string;
  type: ProviderType;
  baseUrl?: string;
  /** Secret. Never log, print or return it. */
  apiKey?: string;
  /** Azure OpenAI api-version query parameter. */
  apiVersion?: string;
  /** OpenAI, OpenAI-compatible and Azure OpenAI: the API models are called through (default Chat Completions). */
  api?: ProviderApi;
  headers?: Record<string, string>;
  /** Simulator providers: scenario file path or built-in scenario name. */
  scenario?: string;
  /** Simulator providers: seed for reproducible faults and latency. */
  seed?: number;
  /** Simulator providers: fast mode (no latency, no faults). */
  fast?: boolean;
}

export interface CallOptions {
  /** Abort the attempt (client went away, total deadline hit). */
  signal?: AbortSignal;
  /** Per-attempt deadline; exceeding it throws a retryable `timeout` ProviderError. */
  timeoutMs?: number;
  /**
   * Time allowed until the response headers arrive, when shorter than `timeoutMs`: a target that
   * accepts the connection and never answers is given up early, while a fallback can still answer.
   */
  firstByteTimeoutMs?: number;
  /** Extra request headers for this call (a W3C traceparent); HTTP providers send them, in-process ones ignore them. */
  headers?: Record<string, string>;
}

export type { EmbedOptions };

/** One embeddings call. Validated by `parseEmbedRequest` (src/providers/embed-request.ts) at the provider boundary. */
export interface EmbedRequest extends EmbedOptions {
  texts: string[];
}

export interface EmbedResult {
  /** One per text, in input order. */
  vectors: number[][];
  /** The model the provider says answered (OpenAI `model`, the simulator's snapshot); null when its answer names none (Gemini). */
  model: string | null;
  /** Input tokens the provider counted (OpenAI `usage.prompt_tokens`, the simulator); null when its answer has none (Gemini). */
  usage: { inputTokens: number } | null;
}

/** A live upstream stream. Errors before the first event are thrown by `ProviderClient.stream` itself. */
export interface UpstreamStream extends AsyncIterable<StreamEvent> {
  /** Provider request id / headers seen when the stream opened. */
  readonly providerRequestId?: string;
  cancel(): void;
}

/** A model call sent as JSON text the caller already holds (same-format forwarding). */
export interface RawCall {
  /** Path below the provider's base URL as the format's codec would address it (the adapter may rewrite it, e.g. Azure deployments). */
  path: string;
  query?: Record<string, string>;
  body: string;
}

/** A streamed answer as text, decoded from UTF-8, chunk by chunk as it arrives. */
export interface RawStream {
  readonly headers: Record<string, string>;
  /** Transport failures surface as `stream_cut` or `timeout` ProviderErrors. */
  readonly chunks: AsyncIterator<string>;
  /** Attribute an error found in the stream's content to this provider (and scrub its secrets), as its own errors are. */
  attribute(e: ModelpinError): ModelpinError;
  cancel(): void;
}

/**
 * Same-format forwarding for an HTTP provider: the caller's JSON goes upstream as it is, and the answer
 * comes back as text. A non-2xx answer throws the codec's decoded error, exactly like `complete`.
 */
export interface RawForwarder {
  /** The wire format the provider is called in (its codec's). */
  readonly format: ClientWireFormat;
  /** The target model's capabilities (from the catalog), which decide what a request may ask of it. */
  readonly capabilities?: (model: string) => ModelCapabilities | undefined;
  /**
   * `read` runs on the 2xx answer; its errors are attributed to this provider as the codec's would be.
   * The answer's headers are read only if `read` calls `headers`.
   */
  complete<T>(
    call: RawCall,
    model: string,
    read: (text: string, headers: () => Record<string, string>) => T,
    opts?: CallOptions,
  ): Promise<T>;
  /** Resolves once the upstream accepted the stream (status 2xx and headers). */
  stream(call: RawCall, model: string, opts?: CallOptions): Promise<RawStream>;
}

/**
 * One configured provider, able to call a model. Implementations: HTTP clients on undici
 * for each wire format, and the in-process simulator. Errors are ProviderError with
 * `retryable`, `retryAfterMs`, `providerCode`.
 */
export interface ProviderClient {
  readonly id: string;
  readonly type: ProviderType;
  complete(req: CanonicalRequest, model: string, opts?: CallOptions): Promise<CanonicalResponse>;
  /** Resolves once the upstream has accepted the stream (status 200 and headers), so pre-first-byte failures can fall back. */
  stream(req: CanonicalRequest, model: string, opts?: CallOptions): Promise<UpstreamStream>;
  listModels?(opts?: CallOptions): Promise<string[]>;
  /**
   * One embedding vector per text, in input order, with the model and input tokens the provider
   * reports. Absent when the provider has no embeddings API (Anthropic); callers check for it and
   * say so instead of failing at call time. Options a provider's API lacks (`taskType` and `title`
   * outside Gemini and the simulator) are refused with an `unsupported` error, never dropped.
   */
  embed?(req: EmbedRequest, model: string, opts?: CallOptions): Promise<EmbedResult>;
  /** HTTP providers: send a client's own JSON to the upstream unchanged (the gateway's same-format fast path). */
  readonly forward?: RawForwarder;
  close?(): Promise<void>;
}
