import type { Dispatcher } from 'undici';
import { ProviderError } from '../../core/errors.js';
import type { CallOptions } from '../types.js';

/** undici already lower-cases names; only repeated headers (arrays) need folding, which is rare. */
export function flattenHeaders(h: Dispatcher.ResponseData['headers']): Record<string, string> {
  let simple = true;
  for (const k in h) {
    const v = h[k];
    if (typeof v !== 'string' || k !== k.toLowerCase()) {
      simple = false;
      break;
    }
  }
  if (simple) return h as Record<string, string>;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) {
    if (v === undefined) continue;
    out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : String(v);
  }
  return out;
}

/** Error bodies may be JSON or text; both are passed on to the codec's decodeError. */
export function parseMaybeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

export function parseJsonBody(text: string, provider: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ProviderError('upstream_bad_response', `${provider}: response body is not valid JSON`, { provider });
  }
}

/** A call's own headers (a traceparent) on top of the client's: a copy only when there are some. */
export function withExtra(headers: Record<string, string>, opts: CallOptions | undefined): Record<string, string> {
  return opts?.headers === undefined ? headers : { ...headers, ...opts.headers };
}
