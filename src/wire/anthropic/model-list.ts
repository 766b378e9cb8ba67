import type { ListedModel } from '../model-list.js';

/** RFC 3339 in whole seconds, as the API writes `created_at`. */
const iso = (s: number): string => new Date(s * 1000).toISOString().replace(/\.000Z$/, 'Z');

/** One item of `GET /v1/models` (the Anthropic SDK sends `anthropic-version`). */
export const encodeAnthropicModel = (m: ListedModel): Record<string, unknown> => ({
  type: 'model',
  id: m.id,
  display_name: m.displayName,
  created_at: iso(m.created),
});

/** One page holding every model. */
export const encodeAnthropicModelList = (models: readonly ListedModel[]): Record<string, unknown> => ({
  data: models.map(encodeAnthropicModel),
  has_more: false,
  first_id: models[0]?.id ?? null,
  last_id: models.at(-1)?.id ?? null,
});
