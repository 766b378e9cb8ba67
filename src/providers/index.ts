/**
 * The `modelpin/providers` entry: one client per provider type, speaking the canonical model
 * (docs/wire.md). The factory table stays internal; `createProviderClient` picks from it.
 */
export { createProviderClient, type ProviderDeps } from './registry.js';
export type {
  ProviderType,
  ProviderApi,
  ProviderSettings,
  CallOptions,
  EmbedOptions,
  EmbedRequest,
  EmbedResult,
  UpstreamStream,
  ProviderClient,
} from './types.js';
