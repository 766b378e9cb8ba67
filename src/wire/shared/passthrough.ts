/** Helpers of the same-format passthrough (src/wire/passthrough.ts) that every format's entry shares. */
import type { CanonicalResponse } from '../canonical.js';

/**
 * A canonical response whose eager fields are known and whose content is decoded on first read.
 * An answer that cannot be decoded reads as empty content stopped by an error: the client already
 * has the upstream's bytes, so this only feeds the format check and extensions.
 */
export function lazyResponse(eager: Pick<CanonicalResponse, 'id' | 'model' | 'usage' | 'created'> & { systemFingerprint?: string }, decode: () => CanonicalResponse): CanonicalResponse {
  let full: CanonicalResponse | null = null;
  const get = (): CanonicalResponse => {
    if (full) return full;
    try {
      full = decode();
    } catch {
      full = { ...eager, content: [], stopReason: 'error' };
    }
    return full;
  };
  const out = { ...eager } as CanonicalResponse;
  for (const key of ['content', 'stopReason', 'stopSequence', 'providerRequestId'] as const) {
    Object.defineProperty(out, key, { enumerable: true, configurable: true, get: () => get()[key] });
  }
  return out;
}

/**
 * Replace the value of the first `"model"` key (the top-level one in every format that has it: no
 * nested object precedes it, and a string value cannot hold an unescaped quote). Null when absent.
 */
export function swapModel(text: string, from: string, to: string): string | null {
  const value = JSON.stringify(from);
  for (const key of ['"model":', '"model": ']) {
    const i = text.indexOf(key + value);
    if (i !== -1) return text.slice(0, i) + key + JSON.stringify(to) + text.slice(i + key.length + value.length);
  }
  return null;
}
