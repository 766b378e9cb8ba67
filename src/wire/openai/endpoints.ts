/** The OpenAI API's paths, with and without the `/v1` prefix that OpenAI-compatible clients may leave out of the base URL. */
export const OPENAI_CHAT_PATHS: readonly string[] = ['/v1/chat/completions', '/chat/completions'];
export const OPENAI_EMBEDDINGS_PATHS: readonly string[] = ['/v1/embeddings', '/embeddings'];
/** `GET`: OpenAI and Anthropic share the model list path; the Anthropic SDK tells itself apart by `anthropic-version`. */
export const V1_MODELS_PATHS: readonly string[] = ['/v1/models', '/models'];
const V1_MODEL = /^\/v1\/models\/([^/]+)$/;

/** `GET /v1/models/{id}`: the raw id, or null when the path is not one. */
export function v1ModelOf(pathname: string): string | null {
  return V1_MODEL.exec(pathname)?.[1] ?? null;
}
