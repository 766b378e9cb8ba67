import type { ClientWireFormat, WireFormat } from './canonical.js';
import type { ClientCodec, WireCodec } from './codec.js';
import { anthropicCodec } from './anthropic/index.js';
import { geminiCodec } from './gemini/index.js';
import { openaiCodec } from './openai/index.js';
import { openaiResponsesCodec } from './openai-responses/index.js';

/** One two-way codec per wire format a provider can be called in. */
export const codecs: Record<WireFormat, WireCodec> = {
  openai: openaiCodec,
  anthropic: anthropicCodec,
  gemini: geminiCodec,
};

/** One codec per format a client can call the gateway in: the shared three plus the Responses one (which providers are called in only when configured to). */
export const clientCodecs: Record<ClientWireFormat, ClientCodec> = {
  ...codecs,
  'openai-responses': openaiResponsesCodec,
};

export function codecFor(format: WireFormat): WireCodec {
  return codecs[format];
}
