import { openaiCodec } from '../wire/openai/index.js';
import type { ProviderAdapter } from './http/adapter.js';

export const DEFAULT_AZURE_API_VERSION = '2024-10-21';

/** Azure OpenAI: the model is a deployment name in the path, `api-key` header, `api-version` query. */
export const azureOpenAiAdapter: ProviderAdapter = {
  type: 'azure-openai',
  codec: openaiCodec,
  headers: (s): Record<string, string> => (s.apiKey ? { 'api-key': s.apiKey } : {}),
  callPath: (_enc, model, s) =>
    `/openai/deployments/${encodeURIComponent(model)}/chat/completions?api-version=${encodeURIComponent(s.apiVersion ?? DEFAULT_AZURE_API_VERSION)}`,
};
