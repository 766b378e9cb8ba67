/**
 * Which targets of a plan can answer embeddings. A provider without an embeddings API (Anthropic)
 * is left out of the chain before dispatch: it would fail every time, and as a non-retryable
 * failure it would stop the fallback that another target could answer.
 */
import { UnsupportedError } from '../core/errors.js';
import { targetRef, type Target } from '../config/target.js';
import type { ProviderClient } from '../providers/types.js';
import type { RoutePlan } from '../routing/types.js';

export interface EmbeddingTargets {
  /** The plan's targets that can embed, in chain order. */
  capable: Target[];
  /** The others, each with the reason it was left out. */
  skipped: Array<{ target: string; reason: string }>;
}

function reason(client: ProviderClient): string {
  return `provider "${client.id}" (type ${client.type}) has no embeddings API`;
}

/** Throws a 400 naming the route and the providers when no target of the chain can embed. */
export function embeddingTargets(plan: RoutePlan, provider: (id: string) => ProviderClient): EmbeddingTargets {
  const capable: Target[] = [];
  const skipped: EmbeddingTargets['skipped'] = [];
  for (const t of plan.targets) {
    const client = provider(t.provider);
    if (client.embed) capable.push(t);
    else skipped.push({ target: targetRef(t), reason: reason(client) });
  }
  if (capable.length === 0) {
    const which = skipped.map((s) => `${s.target}: ${s.reason}`).join('; ');
    const what = plan.passthrough ? `model "${plan.route}"` : `route "${plan.route}"`;
    throw new UnsupportedError(`${what} cannot answer embeddings: ${which}; call a route whose target is an embedding model`, {
      details: { route: plan.route, skipped },
    });
  }
  return { capable, skipped };
}

/** For the attempt itself: a provider swapped by a reload between planning and the call. */
export function noEmbeddings(client: ProviderClient, target: Target): UnsupportedError {
  return new UnsupportedError(`target ${targetRef(target)} cannot answer embeddings: ${reason(client)}`, { details: { target: targetRef(target) } });
}
