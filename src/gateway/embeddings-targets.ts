/**
 * Which targets of a plan can answer embeddings. A provider without an embeddings API (Anthropic)
 * is left out of the chain before dispatch: it would fail every time, and as a non-retryable
 * failure it would stop the fallback that another target could answer. So is a fallback target
 * whose embeddings API cannot carry a task option the client set (`taskType`, `title`: Gemini
 * only), since it would drop it; when the target that normally answers cannot, the request is
 * refused instead, so that the option is never silently lost on the route's usual path.
 */
import { UnsupportedError } from '../core/errors.js';
import { targetRef, type Target } from '../config/target.js';
import { takesTaskOptions, type TaskOption } from '../providers/embed-request.js';
import type { ProviderClient } from '../providers/types.js';
import type { RoutePlan } from '../routing/types.js';

export interface EmbeddingTargets {
  /** The plan's targets that can embed, in chain order. */
  capable: Target[];
  /** The others, each with the reason it was left out. */
  skipped: Array<{ target: string; reason: string }>;
}

/** A task option the client set, and the request field that set it. */
export interface TaskOptionUse {
  option: TaskOption;
  param: string;
}

function reason(client: ProviderClient): string {
  return `provider "${client.id}" (type ${client.type}) has no embeddings API`;
}

function noTaskOption(client: ProviderClient, option: TaskOption): string {
  return `provider "${client.id}" (type ${client.type}) has no ${option} in its embeddings API`;
}

/**
 * Throws a 400 naming the route and the providers when no target of the chain can embed, and one
 * naming the field when the first target that can embed cannot carry the task option in use.
 */
export function embeddingTargets(
  plan: RoutePlan,
  provider: (id: string) => ProviderClient,
  task: TaskOptionUse | null = null,
): EmbeddingTargets {
  const capable: Target[] = [];
  const skipped: EmbeddingTargets['skipped'] = [];
  // The first target with an embeddings API is the one that answers when nothing fails.
  let usual = true;
  for (const t of plan.targets) {
    const client = provider(t.provider);
    if (!client.embed) {
      skipped.push({ target: targetRef(t), reason: reason(client) });
      continue;
    }
    const answersUsually = usual;
    usual = false;
    if (task && !takesTaskOptions(client.type)) {
      if (answersUsually) {
        const what = plan.passthrough ? `model "${plan.route}"` : `route "${plan.route}"`;
        throw new UnsupportedError(
          `${task.param}: ${what} is answered by ${targetRef(t)}, whose ${noTaskOption(client, task.option)} (only the Gemini embeddings API has it); leave ${task.option} unset or call a route on a Gemini embedding model`,
          { details: { param: task.param, field: task.param, target: targetRef(t) } },
        );
      }
      skipped.push({ target: targetRef(t), reason: noTaskOption(client, task.option) });
      continue;
    }
    capable.push(t);
  }
  if (capable.length === 0) {
    const which = skipped.map((s) => `${s.target}: ${s.reason}`).join('; ');
    const what = plan.passthrough ? `model "${plan.route}"` : `route "${plan.route}"`;
    throw new UnsupportedError(
      `${what} cannot answer embeddings: ${which}; call a route whose target is an embedding model`,
      {
        details: { route: plan.route, skipped },
      },
    );
  }
  return { capable, skipped };
}

/** For the attempt itself: a provider swapped by a reload between planning and the call. */
export function noEmbeddings(client: ProviderClient, target: Target): UnsupportedError {
  return new UnsupportedError(`target ${targetRef(target)} cannot answer embeddings: ${reason(client)}`, {
    details: { target: targetRef(target) },
  });
}
