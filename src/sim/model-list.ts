/** The simulator's models as the wire model lists show them (see wire/model-list.ts). */
import type { WireFormat } from '../wire/canonical.js';
import {
  encodeModel as encodeListed,
  encodeModelList as encodeListedList,
  type ListedModel,
} from '../wire/model-list.js';
import type { SimModel } from './engine.js';

function listed(m: SimModel): ListedModel {
  return {
    id: m.id,
    displayName: m.displayName,
    created: m.created,
    ownedBy: 'modelpin-simulator',
    gemini: {
      baseModelId: m.id,
      version: m.target ?? m.id,
      description: 'Simulated model (modelpin simulator)',
      inputTokenLimit: 128_000,
      outputTokenLimit: 8_192,
      // Every live simulated snapshot also answers (simulated) embeddings.
      methods: ['generateContent', 'streamGenerateContent', 'embedContent', 'batchEmbedContents'],
    },
  };
}

/** Live models only: a retired snapshot is gone from the list, as it is from the APIs. */
export function encodeModelList(format: WireFormat, models: SimModel[]): Record<string, unknown> {
  return encodeListedList(format, models.filter((m) => !m.retired).map(listed));
}

export function encodeModel(format: WireFormat, model: SimModel): Record<string, unknown> {
  return encodeListed(format, listed(model));
}
