/**
 * Same-format forwarding: a client and a target that speak the same wire format need no translation.
 * The client's JSON goes upstream with only what the target forces changed (its model, its params,
 * usage on streams), and the answer's bytes come back with only `model` set to what the client asked
 * for. The answer is read for what the gateway records (served model, fingerprint, usage); the
 * canonical response is decoded only when something reads further (the format check, the shadow mirror).
 * Each format that supports this has an entry here; a format without one always goes through translation.
 */
import type { Target } from '../config/target.js';
import type { CanonicalRequest, CanonicalResponse, ClientWireFormat, StreamEvent, Usage } from './canonical.js';
import type { ModelCapabilities } from './capabilities.js';
import type { SseEvent } from './codec.js';
import { openaiForward } from './openai/forward.js';

export interface ForwardAnswer {
  /** The model the upstream says answered. */
  served: string;
  fingerprint: string | null;
  usage: Usage;
  /** Canonical view of the answer: model, fingerprint and usage at once, the rest decoded on first read. */
  response: CanonicalResponse;
}

export interface ForwardStream {
  /**
   * One upstream event: the canonical events it carries (validated by the format's own stream decoder)
   * and the SSE text to forward ('' forwards nothing). Throws like the decoder on an unreadable event.
   */
  event(ev: SseEvent): { events: StreamEvent[]; out: string };
  /** What closes a stream that finished cleanly, when the upstream's own closing event did not come. */
  end(): string;
}

export interface ForwardWire {
  readonly format: ClientWireFormat;
  /** Refuse what the target model cannot do, exactly as the format's request encoder would. */
  check(req: CanonicalRequest, model: string, capabilities: ModelCapabilities | undefined): void;
  /** Path (and query) of a model call below the provider's base URL. */
  call(model: string, stream: boolean): { path: string; query?: Record<string, string> };
  /** The client's body as the target receives it: the target's model, the params it forces and, on streams, usage. */
  upstreamBody(body: Record<string, unknown>, target: Target, stream: boolean): string;
  /**
   * A 2xx answer, read for what the gateway records; a body that is no answer throws `upstream_bad_response`.
   * `headers` reads the answer's headers when called (only the full decode needs them).
   */
  readAnswer(text: string, headers: () => Record<string, string>, targetModel: string): ForwardAnswer;
  /** The answer as the client receives it: the upstream's text with `model` set to what the client asked for. */
  clientAnswer(text: string, answer: ForwardAnswer, clientModel: string): string;
  openStream(clientModel: string, o: { includeUsage: boolean }): ForwardStream;
}

export const FORWARD: Partial<Record<ClientWireFormat, ForwardWire>> = {
  openai: openaiForward,
};
