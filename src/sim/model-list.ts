/** `GET /v1/models` and `GET /v1beta/models` in each provider's shape. */
import type { WireFormat } from '../wire/canonical.js';
import type { SimModel } from './engine.js';

const iso = (s: number) => new Date(s * 1000).toISOString();

const ENTRY: Record<WireFormat, (m: SimModel) => Record<string, unknown>> = {
  openai: (m) => ({ id: m.id, object: 'model', created: m.created, owned_by: 'modelpin-simulator' }),
  anthropic: (m) => ({ type: 'model', id: m.id, display_name: m.displayName, created_at: iso(m.created) }),
  gemini: (m) => ({
    name: `models/${m.id}`,
    baseModelId: m.id,
    version: m.target ?? m.id,
    displayName: m.displayName,
    description: 'Simulated model (modelpin simulator)',
    inputTokenLimit: 128_000,
    outputTokenLimit: 8_192,
    // Every live simulated snapshot also answers (simulated) embeddings.
    supportedGenerationMethods: ['generateContent', 'streamGenerateContent', 'embedContent', 'batchEmbedContents'],
  }),
};

export function encodeModelList(format: WireFormat, models: SimModel[]): Record<string, unknown> {
  const live = models.filter((m) => !m.retired);
  const data = live.map(ENTRY[format]);
  if (format === 'openai') return { object: 'list', data };
  if (format === 'gemini') return { models: data };
  return { data, has_more: false, first_id: live[0]?.id ?? null, last_id: live.at(-1)?.id ?? null };
}

export function encodeModel(format: WireFormat, model: SimModel): Record<string, unknown> {
  return ENTRY[format](model);
}
