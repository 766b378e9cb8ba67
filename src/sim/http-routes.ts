/** Which API a request path belongs to. */
import type { ClientWireFormat, WireFormat } from '../wire/canonical.js';

export type SimRoute =
  | { kind: 'root' }
  | { kind: 'chat'; format: ClientWireFormat; pathModel?: string; stream?: boolean; sse?: boolean }
  | { kind: 'embed'; format: 'openai' }
  | { kind: 'embed'; format: 'gemini'; pathModel: string; batch: boolean }
  | { kind: 'list'; format: WireFormat }
  | { kind: 'get'; format: WireFormat; model: string }
  | { kind: 'unknown'; format: WireFormat };

const GEMINI_CALL = /^\/v1beta\/models\/([^/:]+):(generateContent|streamGenerateContent)$/;
const GEMINI_EMBED = /^\/v1beta\/models\/([^/:]+):(embedContent|batchEmbedContents)$/;
const GEMINI_GET = /^\/v1beta\/models\/([^/:]+)$/;
const V1_GET = /^\/v1\/models\/([^/]+)$/;

/** `anthropic` decides between the two `GET /v1/models` shapes (the Anthropic SDK always sends `anthropic-version`). */
export function routeOf(method: string, url: URL, anthropic: boolean): SimRoute {
  const path = url.pathname.replace(/\/+$/, '') || '/';
  const v1Format: WireFormat = anthropic ? 'anthropic' : 'openai';
  if (method === 'GET' && path === '/') return { kind: 'root' };
  if (method === 'POST' && path === '/v1/chat/completions') return { kind: 'chat', format: 'openai' };
  if (method === 'POST' && path === '/v1/messages') return { kind: 'chat', format: 'anthropic' };
  if (method === 'POST' && path === '/v1/responses') return { kind: 'chat', format: 'openai-responses' };
  if (method === 'POST' && path === '/v1/embeddings') return { kind: 'embed', format: 'openai' };
  const embed = GEMINI_EMBED.exec(path);
  if (method === 'POST' && embed) return { kind: 'embed', format: 'gemini', pathModel: decodeURIComponent(embed[1] ?? ''), batch: embed[2] === 'batchEmbedContents' };
  const call = GEMINI_CALL.exec(path);
  if (method === 'POST' && call) {
    const stream = call[2] === 'streamGenerateContent';
    return { kind: 'chat', format: 'gemini', pathModel: decodeURIComponent(call[1] ?? ''), stream, sse: url.searchParams.get('alt') === 'sse' };
  }
  if (method === 'GET' && path === '/v1/models') return { kind: 'list', format: v1Format };
  if (method === 'GET' && path === '/v1beta/models') return { kind: 'list', format: 'gemini' };
  const v1 = V1_GET.exec(path);
  if (method === 'GET' && v1) return { kind: 'get', format: v1Format, model: decodeURIComponent(v1[1] ?? '') };
  const g = GEMINI_GET.exec(path);
  if (method === 'GET' && g) return { kind: 'get', format: 'gemini', model: decodeURIComponent(g[1] ?? '') };
  return { kind: 'unknown', format: path.startsWith('/v1beta') ? 'gemini' : anthropic || path.startsWith('/v1/messages') ? 'anthropic' : 'openai' };
}
