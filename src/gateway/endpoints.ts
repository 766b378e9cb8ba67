/** The model-call endpoints the gateway speaks, one per wire format entry point. */
import type { ClientWireFormat } from '../wire/canonical.js';
import type { ClientRequestContext } from '../wire/codec.js';

export type EndpointName = 'openai_chat' | 'openai_responses' | 'anthropic_messages' | 'gemini_generate' | 'gemini_stream';

export interface EndpointDef {
  wire: ClientWireFormat;
  /** Returns the codec context when the path matches. */
  match(pathname: string): ClientRequestContext | null;
}

const GEMINI = /^\/(?:v1beta|v1|v1alpha)\/models\/([^/:]+(?:\/[^/:]+)?):(generateContent|streamGenerateContent)$/;

function gemini(stream: boolean) {
  return (pathname: string): ClientRequestContext | null => {
    const m = GEMINI.exec(pathname);
    if (!m || (m[2] === 'streamGenerateContent') !== stream) return null;
    const model = decodeURIComponent(m[1] ?? '').replace(/^models\//, '');
    return { pathModel: model, stream };
  };
}

export const ENDPOINTS: Record<EndpointName, EndpointDef> = {
  openai_chat: { wire: 'openai', match: (p) => (p === '/v1/chat/completions' || p === '/chat/completions' ? {} : null) },
  openai_responses: { wire: 'openai-responses', match: (p) => (p === '/v1/responses' || p === '/responses' ? {} : null) },
  anthropic_messages: { wire: 'anthropic', match: (p) => (p === '/v1/messages' ? {} : null) },
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

/** `/v1/responses/{id}`, `/responses/input_tokens`...: the Responses resource, whatever follows. */
export function isResponsesPath(pathname: string): boolean {
  return /^\/(?:v1\/)?responses(?:\/|$)/.test(pathname);
}

/** The wire format an error on an unknown path should use: guessed from the path and the SDK's headers. */
export function guessWire(pathname: string, headers: Record<string, string | string[] | undefined>): ClientWireFormat {
  if (isResponsesPath(pathname)) return 'openai-responses';
  if (pathname.startsWith('/v1beta') || headers['x-goog-api-key'] !== undefined) return 'gemini';
  if (headers['anthropic-version'] !== undefined || headers['x-api-key'] !== undefined) return 'anthropic';
  return 'openai';
}
