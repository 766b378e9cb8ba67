/** Helpers of same-format forwarding (src/wire/forward.ts) that every format's entry shares. */
import type { CanonicalResponse } from '../canonical.js';

/**
 * A canonical response whose eager fields are known and whose content is decoded on first read.
 * An answer that cannot be decoded reads as empty content stopped by an error: the client already
 * has the upstream's bytes, so this only feeds the format check and extensions.
 * A class with getters on its prototype: defining getters per object costs more than a full decode.
 * Spread copies only the eager fields; `JSON.stringify` sees every field through `toJSON`.
 */
class LazyResponse implements CanonicalResponse {
  private full: CanonicalResponse | null = null;
  readonly id: string;
  readonly model: string;
  readonly usage: CanonicalResponse['usage'];
  readonly created: number;
  readonly systemFingerprint?: string;

  constructor(
    eager: Eager,
    private readonly decode: () => CanonicalResponse,
  ) {
    this.id = eager.id;
    this.model = eager.model;
    this.usage = eager.usage;
    this.created = eager.created;
    if (eager.systemFingerprint !== undefined) this.systemFingerprint = eager.systemFingerprint;
  }

  private get decoded(): CanonicalResponse {
    if (this.full) return this.full;
    try {
      this.full = this.decode();
    } catch {
      this.full = {
        id: this.id,
        model: this.model,
        usage: this.usage,
        created: this.created,
        content: [],
        stopReason: 'error',
      };
    }
    return this.full;
  }
  get content(): CanonicalResponse['content'] {
    return this.decoded.content;
  }
  get stopReason(): CanonicalResponse['stopReason'] {
    return this.decoded.stopReason;
  }
  get stopSequence(): string | undefined {
    return this.decoded.stopSequence;
  }
  get providerRequestId(): string | undefined {
    return this.decoded.providerRequestId;
  }
  toJSON(): CanonicalResponse {
    return { ...this.decoded, id: this.id, model: this.model, usage: this.usage, created: this.created };
  }
}

export type Eager = Pick<CanonicalResponse, 'id' | 'model' | 'usage' | 'created'> & { systemFingerprint?: string };

export function lazyResponse(eager: Eager, decode: () => CanonicalResponse): CanonicalResponse {
  return new LazyResponse(eager, decode);
}

/**
 * Replace the value of the first `"model"` key (the top-level one in every format that has it: no
 * nested object precedes it, and a string value cannot hold an unescaped quote). Null when absent.
 */
export function swapModel(text: string, from: string, to: string): string | null {
  const value = quoted(from);
  for (const key of ['"model":', '"model": ']) {
    const i = text.indexOf(key + value);
    if (i !== -1) return text.slice(0, i) + key + quoted(to) + text.slice(i + key.length + value.length);
  }
  return null;
}

/** JSON string literals of the few model names a gateway sees, made once rather than per stream event. */
const literals = new Map<string, string>();
function quoted(s: string): string {
  let q = literals.get(s);
  if (q === undefined) {
    if (literals.size >= 1024) literals.clear(); // names come from clients and upstreams: keep it bounded
    q = JSON.stringify(s);
    literals.set(s, q);
  }
  return q;
}
