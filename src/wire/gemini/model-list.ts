import type { ListedModel } from '../model-list.js';

/** One model resource of `GET /v1beta/models[/{model}]`. */
export function encodeGeminiModel(m: ListedModel): Record<string, unknown> {
  const g = m.gemini;
  return {
    name: `models/${m.id}`,
    ...(g.baseModelId === undefined ? {} : { baseModelId: g.baseModelId }),
    version: g.version,
    displayName: m.displayName,
    ...(g.description === undefined ? {} : { description: g.description }),
    ...(g.inputTokenLimit === undefined ? {} : { inputTokenLimit: g.inputTokenLimit }),
    ...(g.outputTokenLimit === undefined ? {} : { outputTokenLimit: g.outputTokenLimit }),
    supportedGenerationMethods: g.methods,
  };
}

export const encodeGeminiModelList = (models: readonly ListedModel[]): Record<string, unknown> => ({
  models: models.map(encodeGeminiModel),
});
