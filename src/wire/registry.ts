import type { WireFormat } from './canonical.js';
import type { WireCodec } from './codec.js';
import { anthropicCodec } from './anthropic/index.js';
import { geminiCodec } from './gemini/index.js';
import { openaiCodec } from './openai/index.js';

/** One codec per wire format. */
export const codecs: Record<WireFormat, WireCodec> = {
  openai: openaiCodec,
  anthropic: anthropicCodec,
  gemini: geminiCodec,
};

export function codecFor(format: WireFormat): WireCodec {
  return codecs[format];
}
