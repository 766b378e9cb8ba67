/** `GET /v1/models` and `GET /v1beta/models` in each API's shape, for the gateway's routes and the simulator's models alike. */
import { encodeAnthropicModel, encodeAnthropicModelList } from './anthropic/model-list.js';
import type { WireFormat } from './canonical.js';
import { encodeGeminiModel, encodeGeminiModelList } from './gemini/model-list.js';
import { encodeOpenAiModel, encodeOpenAiModelList } from './openai/model-list.js';

/** A model as the lists show it; each format takes the fields it has. */
export interface ListedModel {
  id: string;
  displayName: string;
  /** Unix seconds. */
  created: number;
  /** OpenAI `owned_by`. */
  ownedBy: string;
  gemini: {
    version: string;
    description?: string;
    /** `supportedGenerationMethods`. */
    methods: readonly string[];
    baseModelId?: string;
    inputTokenLimit?: number;
    outputTokenLimit?: number;
  };
}

const ONE: Record<WireFormat, (m: ListedModel) => Record<string, unknown>> = {
  openai: encodeOpenAiModel,
  anthropic: encodeAnthropicModel,
  gemini: encodeGeminiModel,
};
const LIST: Record<WireFormat, (ms: readonly ListedModel[]) => Record<string, unknown>> = {
  openai: encodeOpenAiModelList,
  anthropic: encodeAnthropicModelList,
  gemini: encodeGeminiModelList,
};

export function encodeModelList(format: WireFormat, models: readonly ListedModel[]): Record<string, unknown> {
  return LIST[format](models);
}

export function encodeModel(format: WireFormat, model: ListedModel): Record<string, unknown> {
  return ONE[format](model);
}

/** One `GET /v1/models` answer both the OpenAI and the Anthropic SDK read: each item and the page carry both shapes. */
export function encodeV1ModelList(models: readonly ListedModel[]): Record<string, unknown> {
  return {
    ...encodeOpenAiModelList(models),
    ...encodeAnthropicModelList(models),
    data: models.map((m) => ({ ...encodeOpenAiModel(m), ...encodeAnthropicModel(m) })),
  };
}
