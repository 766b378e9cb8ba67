/** Hand finished requests to extensions, after the client has its answer and never on the response path. */
import type { ModelpinError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { UsageRecord } from '../store/types.js';
import type { CallScope } from './call-scope.js';
import type { GatewayExtension, ServedEvent } from './extension.js';

export type ServedEmitter = (usage: UsageRecord, scope: CallScope, error: ModelpinError | null) => void;

/**
 * Events are queued and delivered in arrival order from one `setImmediate` per event-loop turn
 * (not one per request): under load many answers finish in the same turn.
 */
export function createServedEmitter(extensions: readonly GatewayExtension[], logger: Logger): ServedEmitter {
  const listeners = extensions.filter((e) => e.onServed !== undefined);
  let queue: ServedEvent[] = [];
  let scheduled = false;
  const deliver = (): void => {
    scheduled = false;
    const batch = queue;
    queue = [];
    for (const event of batch) {
      for (const ext of listeners) {
        try {
          ext.onServed?.(event);
        } catch (e) {
          logger.log('warn', 'extension onServed failed', {
            extension: ext.name,
            error: e instanceof Error ? e.message : String(e),
          });
        }
      }
    }
  };
  return (usage, scope, error) => {
    if (listeners.length === 0) return;
    const plan = scope.plan;
    const request = scope.request;
    const target = scope.trace.target ?? plan?.targets[0];
    // No canonical request: an embeddings call, or one that failed before decoding. Extensions watch chat calls only.
    if (!plan || !request || !target) return;
    queue.push({
      route: plan.route,
      env: plan.env,
      arm: plan.arm,
      target,
      request,
      response: scope.response,
      error,
      usage,
    });
    if (!scheduled) {
      scheduled = true;
      setImmediate(deliver);
    }
  };
}
