import { openaiCodec } from '../wire/openai/index.js';
import type { ProviderAdapter } from './http/adapter.js';
import { encodeOpenAiEmbeddingsRequest, OPENAI_MAX_EMBEDDING_INPUTS } from '../wire/openai/embeddings.js';
import { parseOpenAiEmbeddings } from './openai-embeddings.js';
import type { ProviderSettings } from './types.js';

export const DEFAULT_AZURE_API_VERSION = '2024-10-21';

/** `/openai/deployments/{deployment}/{operation}?api-version=…`: the model is a deployment name. */
const deploymentPath = (model: string, operation: string, s: ProviderSettings): string =>
  `/openai/deployments/${encodeURIComponent(model)}/${operation}?api-version=${encodeURIComponent(s.apiVersion ?? DEFAULT_AZURE_API_VERSION)}`;

/** Azure OpenAI: the model is a deployment name in the path, `api-key` header, `api-version` query. */
export const azureOpenAiAdapter: ProviderAdapter = {
  type: 'azure-openai',
  codec: openaiCodec,
  headers: (s): Record<string, string> => (s.apiKey ? { 'api-key': s.apiKey } : {}),
  callPath: (_enc, model, s) => deploymentPath(model, 'chat/completions', s),
  embeddings: {
    maxBatch: OPENAI_MAX_EMBEDDING_INPUTS,
    path: (model, s) => deploymentPath(model, 'embeddings', s),
    // The deployment in the path names the model.
    body: (req) => encodeOpenAiEmbeddingsRequest(req, null),
    parse: parseOpenAiEmbeddings,
  },
};
