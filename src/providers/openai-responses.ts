/**
 * OpenAI-family providers called through the Responses API (`api: responses` in models.yml): the
 * same auth, base URL, model listing and embeddings as their Chat Completions adapter, with the
 * Responses codec and endpoint. Some models (the `-pro` reasoning ones) are served only there.
 */
import { openaiResponsesCodec } from '../wire/openai-responses/index.js';
import { azureOpenAiAdapter } from './azure-openai.js';
import type { ProviderAdapter } from './http/adapter.js';
import { openaiAdapter, openaiCompatibleAdapter } from './openai.js';

export const openaiResponsesAdapter: ProviderAdapter = {
  ...openaiAdapter,
  codec: openaiResponsesCodec,
  callPath: (enc) => enc.path,
};

export const openaiCompatibleResponsesAdapter: ProviderAdapter = {
  ...openaiCompatibleAdapter,
  codec: openaiResponsesCodec,
  callPath: (enc) => enc.path,
};

/**
 * Azure serves Responses on its v1 API (`/openai/v1/responses`), where the deployment name goes in
 * the body's `model` rather than the path and no api-version is needed.
 */
export const azureOpenAiResponsesAdapter: ProviderAdapter = {
  ...azureOpenAiAdapter,
  codec: openaiResponsesCodec,
  callPath: () => '/openai/v1/responses',
};
