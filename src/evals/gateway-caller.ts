/**
 * Calls a running gateway by route name in the OpenAI wire format. A small direct client rather
 * than the generic provider client because the served snapshot travels in the gateway's
 * `x-modelpin-served-model` header (the body echoes the route name the client asked for).
 */
import { ProviderError } from '../core/errors.js';
import { codecFor } from '../wire/registry.js';
import type { CallOptions } from '../providers/types.js';
import type { CanonicalRequest, CanonicalResponse } from '../wire/canonical.js';

export type GatewayCall = (req: CanonicalRequest, route: string, opts: CallOptions) => Promise<CanonicalResponse>;

export function gatewayCall(baseUrl: string, opts: { apiKey?: string; now?: () => number } = {}): GatewayCall {
  const codec = codecFor('openai');
  const root = baseUrl.replace(/\/+$/, '');
  return async (req, route, callOpts) => {
    const enc = codec.encodeRequest({ ...req, model: route, stream: false }, route);
    const signals = [
      callOpts.signal,
      callOpts.timeoutMs !== undefined ? AbortSignal.timeout(callOpts.timeoutMs) : undefined,
    ].filter((s): s is AbortSignal => s !== undefined);
    let res: Response;
    try {
      res = await fetch(`${root}/v1${enc.path}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(opts.apiKey ? { authorization: `Bearer ${opts.apiKey}` } : {}),
          ...callOpts.headers,
        },
        body: JSON.stringify(enc.body),
        ...(signals.length > 0 ? { signal: AbortSignal.any(signals) } : {}),
      });
    } catch (e) {
      const timedOut = e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError');
      throw new ProviderError(
        timedOut ? 'timeout' : 'connection',
        `gateway ${root}: ${e instanceof Error ? e.message : String(e)}`,
        { provider: 'gateway', cause: e },
      );
    }
    const headers: Record<string, string> = {};
    res.headers.forEach((v, k) => {
      headers[k] = v;
    });
    const text = await res.text();
    let body: unknown;
    try {
      body = JSON.parse(text) as unknown;
    } catch {
      body = { error: { message: text.slice(0, 200) } };
    }
    if (!res.ok) throw codec.decodeError(res.status, body, headers, opts.now?.());
    const decoded = codec.decodeResponse(body, headers);
    const served = headers['x-modelpin-served-model'];
    return served ? { ...decoded, model: served } : decoded;
  };
}
