import type { ClientWireFormat } from '../../wire/canonical.js';
import type { EncodedRequest, WireCodec } from '../../wire/codec.js';
import type { ProviderSettings, ProviderType } from '../types.js';
import type { EmbeddingsWire } from './embeddings-wire.js';

/** What differs between HTTP providers: codec, base URL, auth headers and URL layout. */
export interface ProviderAdapter {
  readonly type: ProviderType;
  /** Usually the format's own codec; OpenAI providers with `api: responses` use the Responses one. */
  readonly codec: WireCodec<ClientWireFormat>;
  readonly defaultBaseUrl?: string;
  /** Auth and version headers. The key goes into headers only, never into a URL. */
  headers(settings: ProviderSettings): Record<string, string>;
  /** Path + query below the base URL's path for a model call. */
  callPath(encoded: EncodedRequest, model: string, settings: ProviderSettings): string;
  /** Model listing, when the provider has one. */
  models?: { path: string; parse(body: unknown): string[] };
  /** Embeddings endpoint, when the provider has one. */
  embeddings?: EmbeddingsWire;
}

export function withQuery(path: string, query: Record<string, string> | undefined): string {
  if (!query || Object.keys(query).length === 0) return path;
  return `${path}${path.includes('?') ? '&' : '?'}${new URLSearchParams(query).toString()}`;
}

/** `{data:[{id}]}` (OpenAI and Anthropic model lists). */
export function parseDataIds(body: unknown): string[] {
  const data = (body as { data?: unknown } | null)?.data;
  if (!Array.isArray(data)) return [];
  return data.map((m) => (m as { id?: unknown }).id).filter((id): id is string => typeof id === 'string');
}
