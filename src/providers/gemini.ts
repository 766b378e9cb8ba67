import { bareModel } from '../wire/shared/model-name.js';
import { geminiCodec } from '../wire/gemini/index.js';
import type { ProviderAdapter } from './http/adapter.js';
import { geminiEmbeddings } from './gemini-embeddings.js';

function parseGeminiModels(body: unknown): string[] {
  const models = (body as { models?: unknown } | null)?.models;
  if (!Array.isArray(models)) return [];
  return models
    .map((m) => (m as { name?: unknown }).name)
    .filter((n): n is string => typeof n === 'string')
    .map(bareModel);
}

/** Gemini API: `x-goog-api-key` header (never the `?key=` query, which would leak into logs). */
export const geminiAdapter: ProviderAdapter = {
  type: 'gemini',
  codec: geminiCodec,
  defaultBaseUrl: 'https://generativelanguage.googleapis.com/v1beta',
  headers: (s): Record<string, string> => (s.apiKey ? { 'x-goog-api-key': s.apiKey } : {}),
  callPath: (enc) => enc.path,
  models: { path: '/models?pageSize=1000', parse: parseGeminiModels },
  embeddings: geminiEmbeddings,
};
