import { openaiCodec } from '../wire/openai/index.js';
import { parseDataIds, type ProviderAdapter } from './http/adapter.js';
import { openaiEmbeddings } from './openai-embeddings.js';

const bearer = (key: string | undefined): Record<string, string> => (key ? { authorization: `Bearer ${key}` } : {});

/** OpenAI Chat Completions: `Authorization: Bearer`. */
export const openaiAdapter: ProviderAdapter = {
  type: 'openai',
  codec: openaiCodec,
  defaultBaseUrl: 'https://api.openai.com/v1',
  headers: (s) => bearer(s.apiKey),
  callPath: (enc) => enc.path,
  models: { path: '/models', parse: parseDataIds },
  embeddings: openaiEmbeddings,
};

/** Any server speaking the OpenAI format (vLLM, Ollama, LiteLLM…): base URL required, key optional; `/embeddings` where the server has it. */
export const openaiCompatibleAdapter: ProviderAdapter = {
  ...openaiAdapter,
  type: 'openai-compatible',
  defaultBaseUrl: undefined,
};
