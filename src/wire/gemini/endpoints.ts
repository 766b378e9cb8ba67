/**
 * Gemini names the model and the method in the path: `/v1beta/models/{model}:{method}` (also under
 * `/v1` and `/v1alpha`, and with the model as `models/{id}` or `tunedModels/{id}`).
 */
import { bareModel, decodeSegment } from '../shared/model-name.js';

export type GeminiMethod = 'generateContent' | 'streamGenerateContent' | 'embedContent' | 'batchEmbedContents';

const CALL =
  /^\/(?:v1beta|v1|v1alpha)\/models\/([^/:]+(?:\/[^/:]+)?):(generateContent|streamGenerateContent|embedContent|batchEmbedContents)$/;
const MODEL = /^\/v1beta\/models\/([^/:]+)$/;

export const GEMINI_MODELS_PATH = '/v1beta/models';

/** The model (without `models/`) and the method of a call path; null when the path is none or its model is not decodable. */
export function geminiCallOf(pathname: string): { model: string; method: GeminiMethod } | null {
  const m = CALL.exec(pathname);
  const model = m ? decodeSegment(m[1] ?? '') : null;
  if (!m || model === null) return null;
  return { model: bareModel(model), method: m[2] as GeminiMethod };
}

/** `GET /v1beta/models/{model}`: one model resource (no `:method` suffix); the id without `models/`. */
export function geminiModelOf(pathname: string): string | null {
  const m = MODEL.exec(pathname);
  const model = m ? decodeSegment(m[1] ?? '') : null;
  return model === null ? null : bareModel(model);
}
