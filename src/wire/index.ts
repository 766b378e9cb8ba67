/**
 * The `modelpin/wire` entry: the canonical model and the codecs between it and each wire format,
 * for building your own proxy or test double (docs/wire.md). The codec registries are frozen.
 */
export { codecs, clientCodecs } from './registry.js';
export type { ClientCodec, WireCodec, SseEvent } from './codec.js';
export { responseText } from './canonical.js';
export type * from './canonical.js';
export type {
  EncodeOptions,
  ModelCapabilities,
  ReasoningCapabilities,
  StructuredOutputCapabilities,
} from './capabilities.js';
export { createSseParser, formatSse, type SseParser } from './sse.js';
export { assembleStream, responseToEvents } from './assemble.js';
export { checkRequestFields, type FieldCheckMode } from './field-check.js';
