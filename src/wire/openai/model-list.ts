import type { ListedModel } from '../model-list.js';

/** One item of `GET /v1/models`. */
export const encodeOpenAiModel = (m: ListedModel): Record<string, unknown> => ({
  id: m.id,
  object: 'model',
  created: m.created,
  owned_by: m.ownedBy,
});

export const encodeOpenAiModelList = (models: readonly ListedModel[]): Record<string, unknown> => ({
  object: 'list',
  data: models.map(encodeOpenAiModel),
});
