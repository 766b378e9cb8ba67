import type { TargetInput } from './schema.js';

/** A target after normalisation: always provider + model, params in canonical names. */
export interface Target {
  provider: string;
  model: string;
  params?: { temperature?: number; topP?: number; maxTokens?: number; stop?: string[] };
  timeoutMs?: number;
}

export function normalizeTarget(t: TargetInput): Target {
  if (typeof t === 'string') {
    const slash = t.indexOf('/');
    return { provider: t.slice(0, slash), model: t.slice(slash + 1) };
  }
  const out: Target = { provider: t.provider, model: t.model };
  if (t.params) {
    out.params = {
      ...(t.params.temperature !== undefined ? { temperature: t.params.temperature } : {}),
      ...(t.params.top_p !== undefined ? { topP: t.params.top_p } : {}),
      ...(t.params.max_tokens !== undefined ? { maxTokens: t.params.max_tokens } : {}),
      ...(t.params.stop !== undefined ? { stop: t.params.stop } : {}),
    };
  }
  if (t.timeout_ms !== undefined) out.timeoutMs = t.timeout_ms;
  return out;
}

export function targetRef(t: Pick<Target, 'provider' | 'model'>): string {
  return `${t.provider}/${t.model}`;
}
