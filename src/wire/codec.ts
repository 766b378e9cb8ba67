import type { ModelpinError } from '../core/errors.js';
import type { EncodeOptions } from './capabilities.js';
import type { CanonicalRequest, CanonicalResponse, ClientWireFormat, StreamEvent, WireFormat } from './canonical.js';

/** One server-sent event as parsed off the wire. */
export interface SseEvent {
  event?: string;
  data: string;
}

/** What to send upstream: the path below the provider's base URL and the JSON body. */
export interface EncodedRequest {
  path: string;
  body: Record<string, unknown>;
  /** Extra query parameters (Gemini `alt=sse`). */
  query?: Record<string, string>;
  /**
   * The answer arrives as a call to this tool, which the encoder added to ask for JSON the format
   * cannot request directly (Anthropic has no bare JSON mode): the caller turns that call back
   * into text (see shared/answer-tool.ts).
   */
  answerTool?: string;
}

export interface ClientRequestContext {
  /** Gemini carries the model in the URL path, not the body. */
  pathModel?: string;
  /** Gemini carries streaming in the method name (`:streamGenerateContent`). */
  stream?: boolean;
  /** A request header, by lower-case name (Anthropic `anthropic-beta` opts into beta fields). */
  header?: (name: string) => string | undefined;
}

export interface StreamEncoderOptions {
  /** OpenAI: emit the trailing usage chunk (`stream_options.include_usage`). */
  includeUsage?: boolean;
  /** The request being answered, for formats whose answer echoes request parameters (OpenAI Responses). */
  request?: CanonicalRequest;
}

/** Turns canonical stream events into SSE text for a client of this format. Stateful per response. */
export interface StreamEncoder {
  encode(event: StreamEvent): string;
  /** Called when the stream ends cleanly after `finish` (OpenAI `data: [DONE]`). */
  end(): string;
}

/** Turns provider SSE events into canonical stream events. Stateful per response. */
export interface StreamDecoder {
  decode(event: SseEvent): StreamEvent[];
}

/**
 * The client-facing half of a codec: what the gateway needs to answer a client in its own format.
 * Decoders validate with zod and throw RequestError; a field the canonical model cannot carry is
 * refused with UnsupportedError instead of being dropped.
 */
export interface ClientCodec<F extends ClientWireFormat = ClientWireFormat> {
  readonly format: F;
  /** Client bytes (parsed JSON) -> canonical. */
  decodeRequest(body: unknown, ctx?: ClientRequestContext): CanonicalRequest;
  /**
   * Canonical -> client JSON. `model` is what the client should see (usually the route name it asked for);
   * `request` is the request being answered, for formats that echo its parameters.
   */
  encodeResponse(res: CanonicalResponse, model: string, request?: CanonicalRequest): Record<string, unknown>;
  createStreamEncoder(model: string, opts?: StreamEncoderOptions): StreamEncoder;
  /** An error as this format's clients and SDKs expect it. */
  encodeError(err: ModelpinError): { status: number; headers: Record<string, string>; body: Record<string, unknown> };
}

/**
 * A codec translates one wire format both ways: the client half plus the provider-facing half.
 * Upstream decoders throw ProviderError; an encoder that cannot express something throws
 * UnsupportedError instead of dropping it.
 */
export interface WireCodec<F extends ClientWireFormat = WireFormat> extends ClientCodec<F> {
  /** Canonical -> provider request, addressed to `model` upstream; what it may ask depends on the model's capabilities. */
  encodeRequest(req: CanonicalRequest, model: string, opts?: EncodeOptions): EncodedRequest;
  /** Provider JSON -> canonical. */
  decodeResponse(body: unknown, headers?: Record<string, string>): CanonicalResponse;
  createStreamDecoder(): StreamDecoder;
  /**
   * Provider error JSON + HTTP status -> typed error (retryability, retired/unknown model, provider code).
   * `now` (epoch ms) resolves date-valued retry headers; defaults to the system clock.
   */
  decodeError(status: number, body: unknown, headers: Record<string, string>, now?: number): ModelpinError;
}
