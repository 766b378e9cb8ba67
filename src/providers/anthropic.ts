import { anthropicCodec } from '../wire/anthropic/index.js';
import { parseDataIds, type ProviderAdapter } from './http/adapter.js';

export const ANTHROPIC_VERSION = '2023-06-01';

/** Anthropic Messages API: `x-api-key` + `anthropic-version`. */
export const anthropicAdapter: ProviderAdapter = {
  type: 'anthropic',
  codec: anthropicCodec,
  defaultBaseUrl: 'https://api.anthropic.com',
  headers: (s) => ({ ...(s.apiKey ? { 'x-api-key': s.apiKey } : {}), 'anthropic-version': ANTHROPIC_VERSION }),
  callPath: (enc) => enc.path,
  models: { path: '/v1/models?limit=1000', parse: parseDataIds },
};
