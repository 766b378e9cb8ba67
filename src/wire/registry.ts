import type { ClientWireFormat, WireFormat } from './canonical.js';
import type { ClientCodec, WireCodec } from './codec.js';
import { anthropicCodec } from './anthropic/index.js';
import { geminiCodec } from './gemini/index.js';
import { openaiCodec } from './openai/index.js';
import { openaiResponsesCodec } from './openai-responses/index.js';

/** One two-way codec per wire format a provider can be called in. Frozen: it is part of the public surface, and a codec swapped at run time would change every caller. */
export const codecs: Readonly<Record<WireFormat, WireCodec>> = Object.freeze({
  openai: Object.freeze(openaiCodec),
  anthropic: Object.freeze(anthropicCodec),
  gemini: Object.freeze(geminiCodec),
});

/** One codec per format a client can call the gateway in: the shared three plus the Responses one (which providers are called in only when configured to). */
export const clientCodecs: Readonly<Record<ClientWireFormat, ClientCodec>> = Object.freeze({
  ...codecs,
  'openai-responses': Object.freeze(openaiResponsesCodec),
});

export function codecFor(format: WireFormat): WireCodec {
  return codecs[format];
}
