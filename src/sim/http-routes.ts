/** Which API a request path belongs to, from the same endpoint tables as the gateway (wire/endpoints.ts). */
import type { ClientWireFormat, WireFormat } from '../wire/canonical.js';
import type { RequestUrl } from '../http/request-url.js';
import { guessProviderWire, matchEmbeddingsEndpoint, matchEndpoint, matchModelsEndpoint } from '../wire/endpoints.js';

export type SimRoute =
  | { kind: 'root' }
  | { kind: 'chat'; format: ClientWireFormat; pathModel?: string; stream?: boolean; sse?: boolean }
  | { kind: 'embed'; format: 'openai' }
  | { kind: 'embed'; format: 'gemini'; pathModel: string; batch: boolean }
  | { kind: 'list'; format: WireFormat }
  | { kind: 'get'; format: WireFormat; model: string }
  | { kind: 'unknown'; format: WireFormat };

/**
 * `anthropic` decides between the two `GET /v1/models` shapes (the Anthropic SDK always sends `anthropic-version`).
 * `url` is null for a request target no URL can be read from (`//`): no endpoint, answered 404.
 */
export function routeOf(method: string, url: RequestUrl | null, anthropic: boolean): SimRoute {
  if (url === null) return { kind: 'unknown', format: guessProviderWire('', anthropic) };
  const path = url.pathname.replace(/\/+$/, '') || '/';
  if (method === 'GET' && path === '/') return { kind: 'root' };
  if (method === 'POST') {
    const call = matchEndpoint(path);
    if (call) {
      const { pathModel, stream } = call.ctx;
      if (pathModel === undefined) return { kind: 'chat', format: call.def.wire };
      return {
        kind: 'chat',
        format: call.def.wire,
        pathModel,
        stream: stream === true,
        sse: url.searchParams.get('alt') === 'sse',
      };
    }
    const embed = matchEmbeddingsEndpoint(path);
    if (embed)
      return embed.wire === 'openai'
        ? { kind: 'embed', format: 'openai' }
        : { kind: 'embed', format: 'gemini', pathModel: embed.pathModel, batch: embed.batch };
  }
  const models = method === 'GET' ? matchModelsEndpoint(path) : null;
  if (models) {
    const format: WireFormat = models.family === 'gemini' ? 'gemini' : anthropic ? 'anthropic' : 'openai';
    return models.model === undefined ? { kind: 'list', format } : { kind: 'get', format, model: models.model };
  }
  return { kind: 'unknown', format: guessProviderWire(path, anthropic) };
}
