/**
 * Every endpoint of the APIs modelpin speaks, from each format's own table: the gateway and the
 * simulator both route from here, so a path one of them accepts is a path the other accepts.
 */
import { ANTHROPIC_MESSAGES_PATHS } from './anthropic/endpoints.js';
import type { ClientWireFormat, WireFormat } from './canonical.js';
import type { ClientRequestContext } from './codec.js';
import { GEMINI_MODELS_PATH, geminiCallOf, geminiModelOf } from './gemini/endpoints.js';
import { OPENAI_CHAT_PATHS, OPENAI_EMBEDDINGS_PATHS, V1_MODELS_PATHS, v1ModelOf } from './openai/endpoints.js';
import { isResponsesPath, RESPONSES_PATHS } from './openai-responses/endpoints.js';
import { decodeSegment } from './shared/model-name.js';

export { isResponsesPath };

export type EndpointName =
  'openai_chat' | 'openai_responses' | 'anthropic_messages' | 'gemini_generate' | 'gemini_stream';

export interface EndpointDef {
  wire: ClientWireFormat;
  /** Returns the codec context when the path matches. */
  match(pathname: string): ClientRequestContext | null;
}

const onPaths =
  (paths: readonly string[]) =>
  (p: string): ClientRequestContext | null =>
    paths.includes(p) ? {} : null;

function gemini(stream: boolean) {
  return (pathname: string): ClientRequestContext | null => {
    const call = geminiCallOf(pathname);
    const method = stream ? 'streamGenerateContent' : 'generateContent';
    return call && call.method === method ? { pathModel: call.model, stream } : null;
  };
}

/** The model-call endpoints, one per wire format entry point. */
export const ENDPOINTS: Record<EndpointName, EndpointDef> = {
  openai_chat: { wire: 'openai', match: onPaths(OPENAI_CHAT_PATHS) },
  openai_responses: { wire: 'openai-responses', match: onPaths(RESPONSES_PATHS) },
  anthropic_messages: { wire: 'anthropic', match: onPaths(ANTHROPIC_MESSAGES_PATHS) },
  gemini_generate: { wire: 'gemini', match: gemini(false) },
  gemini_stream: { wire: 'gemini', match: gemini(true) },
};

const ENDPOINT_LIST = Object.values(ENDPOINTS);

export function matchEndpoint(pathname: string): { def: EndpointDef; ctx: ClientRequestContext } | null {
  for (const def of ENDPOINT_LIST) {
    const ctx = def.match(pathname);
    if (ctx) return { def, ctx };
  }
  return null;
}

/** OpenAI `POST /v1/embeddings`, Gemini `:embedContent` and `:batchEmbedContents` (model without `models/`). */
export type EmbeddingsEndpoint = { wire: 'openai' } | { wire: 'gemini'; pathModel: string; batch: boolean };

export function matchEmbeddingsEndpoint(pathname: string): EmbeddingsEndpoint | null {
  if (OPENAI_EMBEDDINGS_PATHS.includes(pathname)) return { wire: 'openai' };
  const call = geminiCallOf(pathname);
  if (!call || (call.method !== 'embedContent' && call.method !== 'batchEmbedContents')) return null;
  return { wire: 'gemini', pathModel: call.model, batch: call.method === 'batchEmbedContents' };
}

/**
 * `GET` model discovery: the list or one model, in the OpenAI/Anthropic family (`/v1/models`, told
 * apart by the caller) or the Gemini one (`/v1beta/models`). `model` is as named in the path, Gemini's without `models/`.
 */
export type ModelsEndpoint = { family: 'v1' | 'gemini'; model?: string };

export function matchModelsEndpoint(pathname: string): ModelsEndpoint | null {
  if (V1_MODELS_PATHS.includes(pathname)) return { family: 'v1' };
  if (pathname === GEMINI_MODELS_PATH) return { family: 'gemini' };
  const v1 = v1ModelOf(pathname);
  const v1Model = v1 === null ? null : decodeSegment(v1);
  if (v1Model !== null) return { family: 'v1', model: v1Model };
  const g = geminiModelOf(pathname);
  return g === null ? null : { family: 'gemini', model: g };
}

/** The wire format an error on an unknown path should use: guessed from the path and the SDK's headers. */
export function guessWire(pathname: string, headers: Record<string, string | string[] | undefined>): ClientWireFormat {
  if (isResponsesPath(pathname)) return 'openai-responses';
  if (pathname.startsWith('/v1beta') || headers['x-goog-api-key'] !== undefined) return 'gemini';
  if (headers['anthropic-version'] !== undefined || headers['x-api-key'] !== undefined) return 'anthropic';
  return 'openai';
}

/** The format a simulated provider answers an unknown path in (it has no Responses errors of its own). */
export function guessProviderWire(pathname: string, anthropic: boolean): WireFormat {
  if (pathname.startsWith('/v1beta')) return 'gemini';
  return anthropic || pathname.startsWith('/v1/messages') ? 'anthropic' : 'openai';
}
